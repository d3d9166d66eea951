package dev.streamlearn.ingest;

import dev.streamlearn.features.Crosses;
import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.features.FeaturesBuilder;
import dev.streamlearn.features.MurmurHash3;
import dev.streamlearn.records.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Makes one model's feature crosses from an event's features as read ({@link EventFeatures}),
 * into the vector its own features went to. A cross's hash is MurmurHash3 of its parts' hashes
 * (each the hash its part has as a feature of its own), so crossing costs a few multiplications
 * per pair, not a string. One per model of a parser; reuses its buffers, not thread-safe.
 */
final class EventCrosses {

    private final Crosses.Cross[] crosses;
    /** Per cross, the UTF-8 names of its fields; of its exceptions for a cross with every other field. */
    private final byte[][][] fields;

    private final byte[][][] except;
    private final Side[] sides = {new Side(), new Side(), new Side()};

    /** The values one field of a cross has in the event: a number, or strings (several: a comma-separated list). */
    private static final class Side {
        boolean present;
        boolean numeric;
        double value;
        int count;
        int[] hashes = new int[8];
        /** Where each string value is in {@link #utf8}, for the names of explained features. */
        int[] valueStart = new int[8];

        int[] valueLength = new int[8];
        byte[] utf8;
        /** Where the field's name is: made a String only for a message or an explanation. */
        EventFeatures source;

        int index;

        void clear() {
            present = false;
            numeric = false;
            count = 0;
        }

        void addString(int hash, int start, int length) {
            if (count == hashes.length) {
                hashes = Arrays.copyOf(hashes, count * 2);
                valueStart = Arrays.copyOf(valueStart, count * 2);
                valueLength = Arrays.copyOf(valueLength, count * 2);
            }
            hashes[count] = hash;
            valueStart[count] = start;
            valueLength[count++] = length;
            present = true;
        }

        String name() {
            return source.name(index);
        }

        String partName(int i) {
            return numeric
                    ? name()
                    : name() + "=" + new String(utf8, valueStart[i], valueLength[i], StandardCharsets.UTF_8);
        }
    }

    EventCrosses(Crosses crosses) {
        this.crosses = crosses.list().toArray(Crosses.Cross[]::new);
        this.fields = new byte[this.crosses.length][][];
        this.except = new byte[this.crosses.length][][];
        for (int c = 0; c < this.crosses.length; c++) {
            fields[c] = utf8(this.crosses[c].fields);
            except[c] = utf8(this.crosses[c].except);
        }
    }

    private static byte[][] utf8(String[] names) {
        return Arrays.stream(names).map(n -> n.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }

    /**
     * Adds the crosses of the event's {@code features} (fields not among them are looked up in its
     * {@code entities}) to {@code vector}; with {@code names}, instead of adding, appends their
     * names in the same order (categorical and numeric apart), for an explained request ({@code
     * vector} then only hashes).
     *
     * @throws Rejection when the crosses take the event past {@code maxFeatures}, or a product of
     *     numbers past {@code maxAbsValue}
     */
    void add(
            EventFeatures features,
            EventFeatures entities,
            FeaturesBuilder vector,
            int maxFeatures,
            double maxAbsValue,
            List<String> categoricalNames,
            List<String> numericNames) {
        for (int c = 0; c < crosses.length; c++) {
            byte[][] names = fields[c];
            int n = names.length;
            boolean all = true;
            for (int s = 0; s < n; s++) {
                all &= read(features, entities, names[s], sides[s]);
            }
            if (!all) {
                continue; // a field the event does not have: no cross
            }
            if (!crosses[c].withEveryOther) {
                emit(n, vector, maxFeatures, maxAbsValue, categoricalNames, numericNames);
                continue;
            }
            int anchor = features.indexOf(names[0]);
            for (int k = 0; k < features.count; k++) {
                if (k != anchor && features.kinds[k] == EventFeatures.STRING && !excepted(features, k, except[c])) {
                    readString(features, k, sides[1]);
                    emit(2, vector, maxFeatures, maxAbsValue, categoricalNames, numericNames);
                }
            }
        }
    }

    private static boolean excepted(EventFeatures features, int k, byte[][] names) {
        for (byte[] name : names) {
            if (Arrays.equals(
                    features.utf8,
                    features.nameStart[k],
                    features.nameStart[k] + features.nameLength[k],
                    name,
                    0,
                    name.length)) {
                return true;
            }
        }
        return false;
    }

    /** Reads the values of field {@code name} into {@code side}; false when the event has none. */
    private static boolean read(EventFeatures features, EventFeatures entities, byte[] name, Side side) {
        side.clear();
        int i = features.indexOf(name);
        if (i >= 0) {
            if (features.kinds[i] == EventFeatures.NUMBER) {
                side.numeric = true;
                side.present = true;
                side.value = features.numbers[i];
                side.hashes[0] = features.hashes[i];
                side.count = 1;
                side.source = features;
                side.index = i;
            } else {
                readString(features, i, side);
            }
            return side.present;
        }
        int e = entities.indexOf(name);
        if (e < 0 || entities.kinds[e] == EventFeatures.NESTED) {
            return false;
        }
        // an entity is a category whatever its JSON type: a number as written without a fraction
        byte[] text = entities.text(e).getBytes(StandardCharsets.UTF_8);
        side.utf8 = text;
        side.source = entities;
        side.index = e;
        side.addString(FeaturesBuilder.categoricalHash(name, 0, name.length, text, 0, text.length), 0, text.length);
        return true;
    }

    /**
     * A string feature's values: each of a comma-separated list (trimmed, empty ones left out), else
     * the one, whose hash is that of the feature itself.
     */
    private static void readString(EventFeatures features, int i, Side side) {
        side.clear();
        byte[] utf8 = features.utf8;
        side.utf8 = utf8;
        side.source = features;
        side.index = i;
        int nameAt = features.nameStart[i];
        int nameLength = features.nameLength[i];
        int at = features.textStart[i];
        int end = at + features.textLength[i];
        int firstComma = at;
        while (firstComma < end && utf8[firstComma] != ',') {
            firstComma++;
        }
        if (firstComma == end) {
            side.addString(features.hashes[i], at, end - at);
            return;
        }
        while (at <= end) {
            int comma = at;
            while (comma < end && utf8[comma] != ',') {
                comma++;
            }
            int from = at;
            int to = comma;
            while (from < to && utf8[from] == ' ') {
                from++;
            }
            while (to > from && utf8[to - 1] == ' ') {
                to--;
            }
            if (to > from) {
                side.addString(
                        FeaturesBuilder.categoricalHash(utf8, nameAt, nameLength, utf8, from, to - from),
                        from,
                        to - from);
            }
            at = comma + 1;
        }
    }

    /** Every combination of the values of the first {@code n} sides, one feature each. */
    private void emit(
            int n,
            FeaturesBuilder vector,
            int maxFeatures,
            double maxAbsValue,
            List<String> categoricalNames,
            List<String> numericNames) {
        Side a = sides[0];
        Side b = sides[1];
        Side c = n == 3 ? sides[2] : null;
        int combinations = a.count * b.count * (c == null ? 1 : c.count);
        if (categoricalNames == null && vector.size() + combinations > maxFeatures) {
            throw new Rejection(
                    DeadLetterReason.TOO_LARGE,
                    "features: with the crosses of " + a.name() + " and " + b.name()
                            + (c == null ? "" : " and " + c.name()) + " the event has more than " + maxFeatures
                            + " features (input.max-features)");
        }
        boolean numeric = a.numeric || b.numeric || (c != null && c.numeric);
        for (int i = 0; i < a.count; i++) {
            for (int j = 0; j < b.count; j++) {
                for (int k = 0; k < (c == null ? 1 : c.count); k++) {
                    int hash = c == null
                            ? MurmurHash3.hash(a.hashes[i], b.hashes[j], FeatureHasher.SEED)
                            : MurmurHash3.hash(a.hashes[i], b.hashes[j], c.hashes[k], FeatureHasher.SEED);
                    if (categoricalNames != null) {
                        String name = a.partName(i) + "^" + b.partName(j) + (c == null ? "" : "^" + c.partName(k));
                        (numeric ? numericNames : categoricalNames).add(name);
                    } else if (numeric) {
                        vector.numericCrossOfHash(hash, product(a, b, c, maxAbsValue));
                    } else {
                        vector.crossOfHash(hash);
                    }
                }
            }
        }
    }

    private static double product(Side a, Side b, Side c, double maxAbsValue) {
        double x = (a.numeric ? a.value : 1) * (b.numeric ? b.value : 1) * (c != null && c.numeric ? c.value : 1);
        if (!(Math.abs(x) <= maxAbsValue)) {
            throw new Rejection(
                    DeadLetterReason.OUT_OF_RANGE,
                    "features: the cross " + a.name() + "^" + b.name() + (c == null ? "" : "^" + c.name()) + " is " + x
                            + ", beyond the limit of +-" + maxAbsValue);
        }
        return x;
    }
}
