package dev.streamlearn.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * One top-level value of an event as the token stream had it: its JSON type and, for strings,
 * numbers and booleans, the value. Reused from record to record; a container is skipped, only its
 * type is kept.
 */
final class JsonScalar {

    /** The JSON types, named as Jackson names them in messages. */
    enum Type {
        MISSING,
        NULL,
        STRING,
        NUMBER,
        BOOLEAN,
        ARRAY,
        OBJECT
    }

    Type type = Type.MISSING;
    String text;
    double number;
    /** Written without a fraction or an exponent. */
    boolean integral;
    /** Integral and within the range of a long, then in {@link #longValue}. */
    boolean fitsLong;

    long longValue;
    /** A float literal that is not zero but reads as zero or as a subnormal double. */
    boolean underflows;

    boolean bool;
    /** The digits of an integral number beyond the range of a long. */
    private String bigDigits;

    void clear() {
        type = Type.MISSING;
        text = null;
        bigDigits = null;
    }

    boolean isMissingOrNull() {
        return type == Type.MISSING || type == Type.NULL;
    }

    /** Reads the value at the parser's current token {@code t}, skipping a container. */
    void read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING:
                type = Type.STRING;
                text = p.getText();
                break;
            case VALUE_NUMBER_INT:
                type = Type.NUMBER;
                integral = true;
                underflows = false;
                fitsLong = p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
                if (fitsLong) {
                    longValue = p.getLongValue();
                    number = longValue;
                } else {
                    bigDigits = p.getText();
                    number = p.getDoubleValue();
                }
                break;
            case VALUE_NUMBER_FLOAT:
                type = Type.NUMBER;
                integral = false;
                fitsLong = false;
                number = p.getDoubleValue();
                underflows = underflows(p, number);
                break;
            case VALUE_TRUE:
            case VALUE_FALSE:
                type = Type.BOOLEAN;
                bool = t == JsonToken.VALUE_TRUE;
                break;
            default:
                type = typeOf(t);
                EventReader.skipStrictly(p); // a container: only its type counts
        }
    }

    /** The type of the value that starts at token {@code t}. */
    static Type typeOf(JsonToken t) {
        switch (t) {
            case VALUE_STRING:
                return Type.STRING;
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return Type.NUMBER;
            case VALUE_TRUE:
            case VALUE_FALSE:
                return Type.BOOLEAN;
            case VALUE_NULL:
                return Type.NULL;
            case START_ARRAY:
                return Type.ARRAY;
            default:
                return Type.OBJECT;
        }
    }

    /**
     * Whether the float literal at the parser's token is not zero but reads as {@code x}, zero or
     * subnormal: learning would see another number than the one written (1e-400 as 0).
     */
    static boolean underflows(JsonParser p, double x) throws IOException {
        if (!(Math.abs(x) < Double.MIN_NORMAL)) {
            return false; // also NaN and the infinities
        }
        return x != 0.0 || !writtenAsZero(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    }

    /** Whether a float literal's digits before its exponent are all zeros ("0.0", "-0e5"; not "1e-400"). */
    private static boolean writtenAsZero(char[] text, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            char c = text[i];
            if (c == 'e' || c == 'E') {
                return true;
            }
            if (c >= '1' && c <= '9') {
                return false;
            }
        }
        return true;
    }

    /** As Jackson's {@code JsonNode.asText()}: a string as it is, a number in Java's notation, "" for a container. */
    String asText() {
        switch (type) {
            case STRING:
                return text;
            case NUMBER:
                return integral ? (fitsLong ? Long.toString(longValue) : bigDigits) : Double.toString(number);
            case BOOLEAN:
                return Boolean.toString(bool);
            case NULL:
                return "null";
            default:
                return "";
        }
    }

    /** The value for a message: a string quoted, a number as text, otherwise its type. */
    String display() {
        switch (type) {
            case STRING:
                return "\"" + text + "\"";
            case NUMBER:
            case BOOLEAN:
                return asText();
            default:
                return type.name();
        }
    }
}
