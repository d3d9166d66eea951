package dev.streamlearn.records;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A record the job could not use, with the reason, the topic it came from and the payload as it
 * arrived, cut to a bound so that the dead letter itself can always be written: a cut payload
 * keeps its original length and a SHA-256 of the whole, to find the record again.
 */
public class DeadLetter {
    /** A detail longer than this (it may quote a field name) is cut too. */
    static final int MAX_DETAIL_CHARS = 1000;

    /** A {@link DeadLetterReason#code()}. */
    public String reason;

    public String detail;
    public String topic;
    public String payload;
    /** The payload's length in bytes as it arrived (also when {@link #payload} is cut). */
    public int payloadBytes;
    /** SHA-256 (hex) of the payload's bytes as they arrived when {@link #payload} is cut or not text; else null. */
    public String payloadSha256;
    /** The model the record named, when it could be read (a command for a model, a request, ...); else null. */
    public String modelId;
    /** The record's own id, when it was read whole and has one; else null. */
    public String recordId;

    public DeadLetter() {}

    /** @param maxPayloadChars how much of the payload to keep */
    public DeadLetter(DeadLetterReason reason, String detail, String topic, String payload, int maxPayloadChars) {
        this.reason = reason.code();
        this.detail = cut(detail, MAX_DETAIL_CHARS);
        this.topic = topic;
        String whole = payload == null ? "" : payload;
        this.payload = cut(whole, maxPayloadChars);
        boolean isCut = this.payload.length() < whole.length();
        byte[] bytes = isCut || !isAscii(whole) ? whole.getBytes(StandardCharsets.UTF_8) : null;
        this.payloadBytes = bytes == null ? whole.length() : bytes.length;
        this.payloadSha256 = isCut ? sha256(bytes) : null;
    }

    /**
     * The dead letter of a record whose bytes are not text: the payload shows them decoded with
     * replacement characters, while its length and SHA-256 are those of the bytes as they came, so
     * the record can be matched against what its producer sent.
     */
    public static DeadLetter ofBytes(
            DeadLetterReason reason, String detail, String topic, byte[] raw, int maxPayloadChars) {
        DeadLetter d = new DeadLetter(reason, detail, topic, new String(raw, StandardCharsets.UTF_8), maxPayloadChars);
        d.payloadBytes = raw.length;
        d.payloadSha256 = sha256(raw);
        return d;
    }

    private static String cut(String s, int maxChars) {
        if (s == null || s.length() <= maxChars) {
            return s;
        }
        // never split a surrogate pair: the cut text stays valid UTF-16 and so valid UTF-8 when written
        int end = Character.isLowSurrogate(s.charAt(maxChars)) ? maxChars - 1 : maxChars;
        return s.substring(0, end);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return reason + " (" + detail + ") from " + topic;
    }
}
