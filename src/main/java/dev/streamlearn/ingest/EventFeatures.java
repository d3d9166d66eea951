package dev.streamlearn.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * The {@code features} object of one event as read, in document order, before it is checked and
 * hashed (the event may name its model after its features, and the model decides the hash space).
 * Names are the parser's canonical strings; string values are copied into one reused char array,
 * so reading allocates nothing per feature once the buffers have grown.
 */
final class EventFeatures {

    static final byte STRING = 0;
    static final byte NUMBER = 1;
    /** An object or array where a feature value is due. */
    static final byte NESTED = 2;

    private static final char[] TRUE = "true".toCharArray();
    private static final char[] FALSE = "false".toCharArray();

    /** The JSON type of the {@code features} value itself. */
    JsonScalar.Type type = JsonScalar.Type.MISSING;

    int count;
    String[] names = new String[32];
    byte[] kinds = new byte[32];
    double[] numbers = new double[32];
    boolean[] underflows = new boolean[32];
    private int[] textStart = new int[32];
    private int[] textLength = new int[32];
    private char[] chars = new char[512];
    private int charsUsed;
    private final CharSlice slice = new CharSlice();
    private final NameSet seen = new NameSet();

    void clear() {
        type = JsonScalar.Type.MISSING;
        count = 0;
        charsUsed = 0;
    }

    /** Reads the value at the parser's current token {@code t}: an object of features, or anything else skipped. */
    void read(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            type = JsonScalar.typeOf(t);
            EventReader.skipStrictly(p);
            return;
        }
        type = JsonScalar.Type.OBJECT;
        seen.clear();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (!seen.add(name)) {
                throw EventReader.duplicate(p, name);
            }
            JsonToken v = p.nextToken();
            switch (v) {
                case VALUE_STRING:
                    add(name, STRING);
                    text(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    break;
                case VALUE_TRUE:
                    add(name, STRING);
                    text(TRUE, 0, TRUE.length);
                    break;
                case VALUE_FALSE:
                    add(name, STRING);
                    text(FALSE, 0, FALSE.length);
                    break;
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT:
                    int i = add(name, NUMBER);
                    numbers[i] = p.getDoubleValue();
                    underflows[i] = v == JsonToken.VALUE_NUMBER_FLOAT && JsonScalar.underflows(p, numbers[i]);
                    break;
                case VALUE_NULL:
                    break; // an absent value
                default:
                    add(name, NESTED);
                    EventReader.skipStrictly(p);
            }
        }
    }

    /** The string value of feature {@code i}, valid until the next call. */
    CharSequence text(int i) {
        return slice.of(chars, textStart[i], textLength[i]);
    }

    private int add(String name, byte kind) {
        if (count == names.length) {
            int n = count * 2;
            names = Arrays.copyOf(names, n);
            kinds = Arrays.copyOf(kinds, n);
            numbers = Arrays.copyOf(numbers, n);
            underflows = Arrays.copyOf(underflows, n);
            textStart = Arrays.copyOf(textStart, n);
            textLength = Arrays.copyOf(textLength, n);
        }
        names[count] = name;
        kinds[count] = kind;
        return count++;
    }

    private void text(char[] source, int offset, int length) {
        if (charsUsed + length > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(chars.length * 2, charsUsed + length));
        }
        System.arraycopy(source, offset, chars, charsUsed, length);
        textStart[count - 1] = charsUsed;
        textLength[count - 1] = length;
        charsUsed += length;
    }

    /** A reused view of a range of chars, for hashing without a String. */
    private static final class CharSlice implements CharSequence {
        private char[] chars;
        private int start;
        private int length;

        CharSlice of(char[] chars, int start, int length) {
            this.chars = chars;
            this.start = start;
            this.length = length;
            return this;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            return chars[start + index];
        }

        @Override
        public CharSequence subSequence(int from, int to) {
            return new String(chars, start + from, to - from);
        }

        @Override
        public String toString() {
            return new String(chars, start, length);
        }
    }
}
