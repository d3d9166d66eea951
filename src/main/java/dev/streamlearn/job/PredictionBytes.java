package dev.streamlearn.job;

import com.fasterxml.jackson.core.io.NumberOutput;
import dev.streamlearn.records.Prediction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A prediction's JSON written straight into its bytes, for the common one: an id and a model id of
 * printable ASCII with nothing to escape, a finite score, no explanation. A prediction goes out per
 * request, and Jackson's generator (made per record, each field name written and checked, each
 * character of a string read in turn) took a fifth of the inference thread in the job's profile.
 * The bytes are those {@link Json#predictionWithGenerator} writes, to the last one (the same
 * shortest form of the score, from Jackson's own writer); anything else is left to the generator.
 */
final class PredictionBytes {

    private static final byte[] ID = ascii("{\"id\":");
    private static final byte[] MODEL = ascii(",\"model\":\"");
    private static final byte[] VERSION = ascii("\",\"modelVersion\":");
    private static final byte[] SCORE = ascii(",\"score\":");
    private static final byte[] TS = ascii(",\"ts\":");
    /** The fixed parts, two quotes, two longs of at most 20 characters and the closing brace. */
    private static final int FIXED =
            ID.length + MODEL.length + VERSION.length + SCORE.length + TS.length + 2 + 2 * 20 + 1;

    private PredictionBytes() {}

    /** The prediction's JSON in UTF-8, or null when it is not the common one. */
    static byte[] of(Prediction p) {
        if (p.explanation != null || p.id == null || p.modelId == null || !Double.isFinite(p.score)) {
            return null;
        }
        String score = NumberOutput.toString(p.score, true); // as the generator's fast double writer
        byte[] b = new byte[FIXED + p.id.length() + p.modelId.length() + score.length()];
        int n = put(b, 0, ID);
        if (!p.idIsNumber) {
            b[n++] = '"';
        }
        n = plain(b, n, p.id);
        if (n < 0) {
            return null;
        }
        if (!p.idIsNumber) {
            b[n++] = '"';
        }
        n = plain(b, put(b, n, MODEL), p.modelId);
        if (n < 0) {
            return null;
        }
        n = NumberOutput.outputLong(p.modelVersion, b, put(b, n, VERSION));
        n = plain(b, put(b, n, SCORE), score);
        n = NumberOutput.outputLong(p.ts, b, put(b, n, TS));
        b[n++] = '}';
        return Arrays.copyOf(b, n);
    }

    private static int put(byte[] b, int at, byte[] part) {
        System.arraycopy(part, 0, b, at, part.length);
        return at + part.length;
    }

    /** Copies a string that needs no escape and is one byte per character; -1 for any other. */
    private static int plain(byte[] b, int at, String s) {
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return -1;
            }
            b[at + k] = (byte) c;
        }
        return at + s.length();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
