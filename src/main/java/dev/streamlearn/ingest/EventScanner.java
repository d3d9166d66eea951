package dev.streamlearn.ingest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path of {@link EventReader}: reads the common event in place, in one pass over its
 * UTF-8 bytes, with no tokens, no tree and no String per name or value; names and values stay
 * ranges of those bytes, which are what the features hasher hashes. It takes one flat object of
 * strings without escapes, numbers, booleans and nulls, and a {@code features} object of the same.
 * At the first thing it does not take (an escape, a nested value, a name twice, a long number,
 * NaN, anything that is not JSON) it gives up and Jackson's token stream reads the record from
 * the start and decides. So the scanner never accepts what that reader refuses, nor reads a value
 * otherwise: {@code EventScannerTest} checks both on events and on their mutations.
 */
final class EventScanner {

    /** Longer names and numbers are left to Jackson, which knows its own limits on them. */
    private static final int MAX_NAME_CHARS = 256;

    private static final int MAX_NUMBER_CHARS = 64;
    /** Names per object this reads; more are left to Jackson. */
    private static final int MAX_NAMES = 256;
    /** Decimal digits that always fit a long. */
    private static final int LONG_DIGITS = 18;
    /** The largest power of ten that is exact as a double. */
    private static final int EXACT_POWER = 22;

    private static final double[] POWERS_OF_TEN = new double[EXACT_POWER + 1];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i <= EXACT_POWER; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private byte[] bytes;
    private int pos;
    private int end;
    /** The last name or string scanned: its first byte, its length in bytes and (a name's) hash. */
    private int tokenStart;

    private int tokenLength;
    private int tokenHash;
    private final JsonScalar ignored = new JsonScalar();
    private final NameRanges eventNames = new NameRanges();
    private final NameRanges featureNames = new NameRanges();

    /** Reads {@code payload} into {@code into}; false when it is left to Jackson, with {@code into} in any state. */
    boolean read(String payload, EventReader into) {
        // for the usual ASCII text one copy of the String's own bytes
        bytes = payload.getBytes(StandardCharsets.UTF_8);
        end = bytes.length;
        pos = 0;
        eventNames.clear();
        if (!skipSpaceThen('{')) {
            return false;
        }
        if (!skipSpaceThen('}')) {
            do {
                if (!name(eventNames)) {
                    return false;
                }
                JsonScalar field = into.field(bytes, tokenStart, tokenLength);
                boolean read;
                if (field != null) {
                    read = scalar(field);
                } else if (named(EventReader.FEATURES, bytes, tokenStart, tokenLength)) {
                    read = features(into.features);
                } else if (named(EventReader.ENTITIES, bytes, tokenStart, tokenLength)) {
                    read = false; // rare and small: the token stream reads it, and says what is wrong with it
                } else {
                    read = scalar(ignored);
                }
                if (!read) {
                    return false;
                }
            } while (skipSpaceThen(','));
            if (!skipSpaceThen('}')) {
                return false;
            }
        }
        skipSpace();
        return pos == end;
    }

    private boolean features(EventFeatures features) {
        skipSpace();
        if (pos == end || bytes[pos] != '{') {
            if (!scalar(ignored)) {
                return false;
            }
            features.type = ignored.type;
            return true;
        }
        pos++;
        features.beginInPlace(bytes);
        featureNames.clear();
        if (skipSpaceThen('}')) {
            return true;
        }
        do {
            if (!name(featureNames)) {
                return false;
            }
            int nameStart = tokenStart;
            int nameLength = tokenLength;
            skipSpace();
            if (pos == end) {
                return false;
            }
            byte c = bytes[pos];
            if (c == '"') {
                if (!string()) {
                    return false;
                }
                features.addString(nameStart, nameLength, tokenStart, tokenLength);
            } else if (c == 't' || c == 'f') {
                int at = pos;
                if (!literal(c == 't' ? "true" : "false")) {
                    return false;
                }
                features.addString(nameStart, nameLength, at, pos - at);
            } else if (c == 'n') {
                if (!literal("null")) {
                    return false; // null: an absent value
                }
            } else {
                if (!number(ignored)) {
                    return false;
                }
                features.addNumber(nameStart, nameLength, ignored.number, ignored.underflows);
            }
        } while (skipSpaceThen(','));
        return skipSpaceThen('}');
    }

    /** A name, not seen before in its object, and the colon after it. */
    private boolean name(NameRanges seen) {
        skipSpace();
        return pos < end
                && bytes[pos] == '"'
                && nameString()
                && tokenLength <= MAX_NAME_CHARS
                && seen.add(bytes, tokenStart, tokenLength, tokenHash)
                && skipSpaceThen(':');
    }

    /** A string, null, boolean or number value into {@code into}; a container is left to Jackson. */
    private boolean scalar(JsonScalar into) {
        skipSpace();
        if (pos == end) {
            return false;
        }
        switch (bytes[pos]) {
            case '"':
                if (!nameString()) { // a top-level text is kept as a String: the same rules as a name's
                    return false;
                }
                into.setString(bytes, tokenStart, tokenLength);
                return true;
            case 't':
                into.setBoolean(true);
                return literal("true");
            case 'f':
                into.setBoolean(false);
                return literal("false");
            case 'n':
                into.setNull();
                return literal("null");
            default:
                return number(into);
        }
    }

    /** The string whose opening quote is at {@link #pos}: without escapes or control characters. */
    private boolean string() {
        int start = ++pos;
        while (pos < end) {
            byte c = bytes[pos];
            if (c == '"') {
                tokenStart = start;
                tokenLength = pos - start;
                pos++;
                return true;
            }
            if (c == '\\' || (c >= 0 && c < 0x20)) { // bytes of multi-byte chars are negative
                return false;
            }
            pos++;
        }
        return false;
    }

    /**
     * A {@link #string()} that is a name: also its hash, for the set of names seen. A '?' may stand
     * for a lone surrogate of the String (UTF-8 has none), which Jackson keeps: such names are left to it.
     */
    private boolean nameString() {
        int start = ++pos;
        int hash = 0;
        while (pos < end) {
            byte c = bytes[pos];
            if (c == '"') {
                tokenStart = start;
                tokenLength = pos - start;
                tokenHash = hash;
                pos++;
                return true;
            }
            if (c == '\\' || c == '?' || (c >= 0 && c < 0x20)) {
                return false;
            }
            hash = 31 * hash + c;
            pos++;
        }
        return false;
    }

    private boolean literal(String word) {
        int n = word.length();
        if (pos + n > end) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (bytes[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        pos += n;
        return true;
    }

    /**
     * A number in JSON's grammar. An integer of up to 18 digits is read exactly; a fraction whose
     * digits fit 2^53 and whose power of ten is exact (up to 22) is one correctly rounded division
     * or product (Clinger's fast path); other fractions go to {@link Double#parseDouble}, as
     * correctly rounded as Jackson's reading. Longer integers, NaN and Infinity are left to Jackson.
     */
    private boolean number(JsonScalar into) {
        int start = pos;
        boolean negative = bytes[pos] == '-';
        if (negative) {
            pos++;
        }
        int integerStart = pos;
        if (pos < end && bytes[pos] == '0') {
            pos++;
        } else {
            skipDigits();
        }
        int integerDigits = pos - integerStart;
        if (integerDigits == 0) {
            return false; // NaN, Infinity or not a number
        }
        int fractionStart = pos;
        int fractionDigits = 0;
        if (pos < end && bytes[pos] == '.') {
            fractionStart = ++pos;
            skipDigits();
            fractionDigits = pos - fractionStart;
            if (fractionDigits == 0) {
                return false;
            }
        }
        boolean hasExponent = pos < end && (bytes[pos] == 'e' || bytes[pos] == 'E');
        int exponent = 0;
        boolean longExponent = false;
        if (hasExponent) {
            pos++;
            boolean negativeExponent = pos < end && bytes[pos] == '-';
            if (pos < end && (bytes[pos] == '-' || bytes[pos] == '+')) {
                pos++;
            }
            int exponentStart = pos;
            skipDigits();
            if (pos == exponentStart) {
                return false;
            }
            longExponent = pos - exponentStart > 4;
            exponent = longExponent ? 0 : (int) digits(exponentStart, pos, 0);
            if (negativeExponent) {
                exponent = -exponent;
            }
        }
        if (pos - start > MAX_NUMBER_CHARS) {
            return false;
        }
        if (fractionDigits == 0 && !hasExponent) {
            if (integerDigits > LONG_DIGITS) {
                return false;
            }
            long value = digits(integerStart, integerStart + integerDigits, 0);
            into.setInteger(negative ? -value : value);
            return true;
        }
        if (integerDigits + fractionDigits <= LONG_DIGITS && !longExponent) {
            long mantissa = digits(
                    fractionStart,
                    fractionStart + fractionDigits,
                    digits(integerStart, integerStart + integerDigits, 0));
            int scale = exponent - fractionDigits;
            if (mantissa == 0) {
                into.setNumber(negative ? -0.0 : 0.0, false);
                return true;
            }
            if (mantissa < 1L << 53 && scale >= -EXACT_POWER && scale <= EXACT_POWER) {
                double value = scale < 0 ? mantissa / POWERS_OF_TEN[-scale] : mantissa * POWERS_OF_TEN[scale];
                into.setNumber(negative ? -value : value, false);
                return true;
            }
        }
        String literal = new String(bytes, start, pos - start, StandardCharsets.ISO_8859_1);
        double value = Double.parseDouble(literal);
        into.setNumber(value, JsonScalar.underflows(value, literal));
        return true;
    }

    /** {@code value} followed by the decimal digits {@code bytes[from, to)}. */
    private long digits(int from, int to, long value) {
        for (int i = from; i < to; i++) {
            value = 10 * value + (bytes[i] - '0');
        }
        return value;
    }

    private void skipDigits() {
        while (pos < end && bytes[pos] >= '0' && bytes[pos] <= '9') {
            pos++;
        }
    }

    private void skipSpace() {
        while (pos < end) {
            byte c = bytes[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    /** Skips white space; then consumes {@code c} if it is next. */
    private boolean skipSpaceThen(char c) {
        skipSpace();
        if (pos < end && bytes[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }

    /** Whether {@code bytes[start, +length)} is {@code name}. */
    static boolean named(String name, byte[] bytes, int start, int length) {
        if (name.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (bytes[start + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The names of one object so far, as ranges of the record's bytes; emptied in constant time. */
    private static final class NameRanges {
        private static final int SLOTS = 2 * MAX_NAMES;
        private final int[] starts = new int[SLOTS];
        private final int[] lengths = new int[SLOTS];
        private final SlotMarks marks = new SlotMarks(SLOTS);
        private int size;

        void clear() {
            size = 0;
            marks.clearAll();
        }

        /** False when the name was there already, or when there are more names than this holds. */
        boolean add(byte[] bytes, int start, int length, int hash) {
            if (size == MAX_NAMES) {
                return false;
            }
            int i = (hash ^ (hash >>> 16)) & (SLOTS - 1);
            while (marks.taken(i)) {
                if (lengths[i] == length
                        && Arrays.equals(bytes, starts[i], starts[i] + length, bytes, start, start + length)) {
                    return false;
                }
                i = (i + 1) & (SLOTS - 1);
            }
            marks.take(i);
            starts[i] = start;
            lengths[i] = length;
            size++;
            return true;
        }
    }
}
