package dev.streamlearn.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.streamlearn.records.FeatureNames;
import dev.streamlearn.records.Features;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code features} object of one event as read, in document order, before it is checked and
 * hashed (the event may name its model after its features, and the model decides the hash space).
 * Names and string values are ranges of UTF-8 in {@link #utf8}: the record's own bytes when the
 * {@link EventScanner} read it in place, or copies of the token stream's text otherwise. Those
 * bytes are what the features hasher hashes; a name becomes a String only for a message.
 */
final class EventFeatures {

    static final byte STRING = 0;
    static final byte NUMBER = 1;
    /** An object or array where a feature value is due. */
    static final byte NESTED = 2;

    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);

    /** The JSON type of the {@code features} value itself. */
    JsonScalar.Type type = JsonScalar.Type.MISSING;

    int count;
    byte[] kinds = new byte[32];
    double[] numbers = new double[32];
    boolean[] underflows = new boolean[32];
    int[] nameStart = new int[32];
    int[] nameLength = new int[32];
    int[] textStart = new int[32];
    int[] textLength = new int[32];
    /** The hash of each feature as a feature of its own (name=value, or a number's name), once featurized. */
    int[] hashes = new int[32];
    /** Where the names and string values are. */
    byte[] utf8;

    private byte[] copies = new byte[1024];
    private int copiesUsed;
    private final NameSet seen = new NameSet();

    void clear() {
        type = JsonScalar.Type.MISSING;
        count = 0;
        copiesUsed = 0;
    }

    /** The features are an object whose names and values are ranges of {@code source}, added next. */
    void beginInPlace(byte[] source) {
        type = JsonScalar.Type.OBJECT;
        utf8 = source;
    }

    void addString(int nameAt, int nameBytes, int textAt, int textBytes) {
        int i = add(nameAt, nameBytes, STRING);
        textStart[i] = textAt;
        textLength[i] = textBytes;
    }

    void addNumber(int nameAt, int nameBytes, double value, boolean underflow) {
        int i = add(nameAt, nameBytes, NUMBER);
        numbers[i] = value;
        underflows[i] = underflow;
    }

    /** The name of feature {@code i}, for a message. */
    String name(int i) {
        return new String(utf8, nameStart[i], nameLength[i], StandardCharsets.UTF_8);
    }

    /** Reads the value at the parser's current token {@code t}: an object of features, or anything else skipped. */
    void read(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            type = JsonScalar.typeOf(t);
            EventReader.skipStrictly(p);
            return;
        }
        beginInPlace(copies);
        seen.clear();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (!seen.add(name)) {
                throw EventReader.duplicate(p, name);
            }
            byte[] encodedName = name.getBytes(StandardCharsets.UTF_8); // the slow path: allocations allowed
            int nameAt = copy(encodedName);
            int nameBytes = encodedName.length;
            JsonToken v = p.nextToken();
            switch (v) {
                case VALUE_STRING:
                    byte[] text = p.getText().getBytes(StandardCharsets.UTF_8);
                    addString(nameAt, nameBytes, copy(text), text.length);
                    break;
                case VALUE_TRUE:
                    addString(nameAt, nameBytes, copy(TRUE), TRUE.length);
                    break;
                case VALUE_FALSE:
                    addString(nameAt, nameBytes, copy(FALSE), FALSE.length);
                    break;
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT:
                    double x = p.getDoubleValue();
                    addNumber(nameAt, nameBytes, x, v == JsonToken.VALUE_NUMBER_FLOAT && JsonScalar.underflows(p, x));
                    break;
                case VALUE_NULL:
                    break; // an absent value
                default:
                    add(nameAt, nameBytes, NESTED);
                    EventReader.skipStrictly(p);
            }
        }
    }

    private int add(int nameAt, int nameBytes, byte kind) {
        if (count == kinds.length) {
            int n = count * 2;
            kinds = Arrays.copyOf(kinds, n);
            numbers = Arrays.copyOf(numbers, n);
            underflows = Arrays.copyOf(underflows, n);
            nameStart = Arrays.copyOf(nameStart, n);
            nameLength = Arrays.copyOf(nameLength, n);
            textStart = Arrays.copyOf(textStart, n);
            textLength = Arrays.copyOf(textLength, n);
            hashes = Arrays.copyOf(hashes, n);
        }
        nameStart[count] = nameAt;
        nameLength[count] = nameBytes;
        kinds[count] = kind;
        return count++;
    }

    /** Copies {@code bytes} to the end of the copy buffer; returns where they start. */
    private int copy(byte[] bytes) {
        int at = copiesUsed;
        if (at + bytes.length > copies.length) {
            copies = Arrays.copyOf(copies, Math.max(copies.length * 2, at + bytes.length));
            utf8 = copies;
        }
        System.arraycopy(bytes, 0, copies, at, bytes.length);
        copiesUsed += bytes.length;
        return at;
    }

    /**
     * The names of the features just read, in the order of the built vector's arrays: categoricals
     * as {@code name=value}, then numeric features, each followed by the names of the crosses
     * of its kind; for a request that asks for its explanation.
     */
    FeatureNames names(Features built, List<String> categoricalCrosses, List<String> numericCrosses) {
        String[] categorical = new String[built.categorical.length];
        String[] numeric = new String[built.numeric.length];
        int c = 0;
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (kinds[i] == STRING) {
                categorical[c++] =
                        name(i) + "=" + new String(utf8, textStart[i], textLength[i], StandardCharsets.UTF_8);
            } else {
                numeric[n++] = name(i);
            }
        }
        for (String cross : categoricalCrosses) {
            categorical[c++] = cross;
        }
        for (String cross : numericCrosses) {
            numeric[n++] = cross;
        }
        return new FeatureNames(categorical, numeric);
    }

    /** Where the value named {@code name} is; -1 when it is not there. */
    int indexOf(byte[] name) {
        if (type != JsonScalar.Type.OBJECT) {
            return -1;
        }
        for (int i = 0; i < count; i++) {
            // length and first byte first: most names differ in one of them
            if (nameLength[i] == name.length
                    && (name.length == 0 || utf8[nameStart[i]] == name[0])
                    && Arrays.equals(utf8, nameStart[i], nameStart[i] + nameLength[i], name, 0, name.length)) {
                return i;
            }
        }
        return -1;
    }

    /** Value {@code i} as an entity: a string as it is, a number as written without a fraction; null for none. */
    String text(int i) {
        if (i < 0) {
            return null;
        }
        if (kinds[i] == STRING) {
            return new String(utf8, textStart[i], textLength[i], StandardCharsets.UTF_8);
        }
        double x = numbers[i];
        return x == Math.rint(x) && Math.abs(x) < 1e15 ? Long.toString((long) x) : Double.toString(x);
    }
}
