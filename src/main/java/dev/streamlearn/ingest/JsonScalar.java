package dev.streamlearn.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

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
    /** The last string read in place. */
    private String lastText;

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
                setString(p.getText());
                break;
            case VALUE_NUMBER_INT:
                if (p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    setInteger(p.getLongValue());
                } else {
                    setNumber(p.getDoubleValue(), false);
                    integral = true;
                    bigDigits = p.getText();
                }
                break;
            case VALUE_NUMBER_FLOAT:
                double x = p.getDoubleValue();
                setNumber(x, underflows(p, x));
                break;
            case VALUE_TRUE:
            case VALUE_FALSE:
                setBoolean(t == JsonToken.VALUE_TRUE);
                break;
            default:
                type = typeOf(t);
                EventReader.skipStrictly(p); // a container: only its type counts
        }
    }

    void setString(String s) {
        type = Type.STRING;
        text = s;
    }

    /**
     * A string read in place from UTF-8. The text of the record before is kept when it is the
     * same, as a model id usually is, so that reading it allocates nothing.
     */
    void setString(byte[] utf8, int start, int length) {
        type = Type.STRING;
        if (lastText == null || !sameAscii(lastText, utf8, start, length)) {
            lastText = new String(utf8, start, length, StandardCharsets.UTF_8);
        }
        text = lastText;
    }

    void setInteger(long value) {
        type = Type.NUMBER;
        integral = true;
        fitsLong = true;
        underflows = false;
        longValue = value;
        number = value;
    }

    /** A number written with a fraction or an exponent (or an integer beyond a long, then marked by the caller). */
    void setNumber(double value, boolean underflow) {
        type = Type.NUMBER;
        integral = false;
        fitsLong = false;
        number = value;
        underflows = underflow;
    }

    void setBoolean(boolean value) {
        type = Type.BOOLEAN;
        bool = value;
    }

    void setNull() {
        type = Type.NULL;
    }

    /** Whether {@code s} is the ASCII text {@code utf8[start, +length)} (other text is never taken as the same). */
    private static boolean sameAscii(String s, byte[] utf8, int start, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            byte b = utf8[start + i];
            if (b < 0 || s.charAt(i) != b) {
                return false;
            }
        }
        return true;
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
        return isTiny(x) && (x != 0.0 || !writtenAsZero(p.getText()));
    }

    /** {@link #underflows(JsonParser, double)} of the literal {@code text} that reads as {@code x}. */
    static boolean underflows(double x, String text) {
        return isTiny(x) && (x != 0.0 || !writtenAsZero(text));
    }

    /** Zero or subnormal (not NaN, not infinite): the only values a literal can underflow to. */
    private static boolean isTiny(double x) {
        return Math.abs(x) < Double.MIN_NORMAL;
    }

    /** Whether a float literal's digits before its exponent are all zeros ("0.0", "-0e5"; not "1e-400"). */
    private static boolean writtenAsZero(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
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
