package dev.streamlearn.ingest;

import java.io.Serializable;

/**
 * What an input record may be, and how much of a rejected one the dead-letter topic keeps. A
 * finite number can still break learning (squared, 1e300 overflows), and a record the job cannot
 * write back out (a 500 KB binary record, escaped) would fail the dead-letter writer: every limit
 * here keeps one record from doing harm beyond itself. Configured by the job's {@code input.*}
 * and {@code dead-letter.*} options.
 */
public final class InputLimits implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Larger records (UTF-8 bytes) are dead-lettered ({@code too-large}). */
    public static final int DEFAULT_MAX_RECORD_BYTES = 65536;

    /**
     * Beyond any count, price or timestamp in any unit (nanoseconds since 1970 are 1.7e18), and
     * small enough that the scaling statistics never overflow (squares stay below 1e61).
     */
    public static final double DEFAULT_MAX_ABS_VALUE = 1e30;

    /** Example weights above this would let one record outweigh thousands. */
    public static final double DEFAULT_MAX_WEIGHT = 1000.0;

    /** Clocks disagree by seconds, not by a day: a later {@code ts} is a broken producer. */
    public static final long DEFAULT_MAX_TS_AHEAD_MILLIS = 24L * 3600 * 1000;

    /**
     * A dead letter keeps this many characters of the payload (with its length and hash): even
     * escaped six-fold as JSON, far below Kafka's default 1 MB record limit.
     */
    public static final int DEFAULT_DEAD_LETTER_PAYLOAD_CHARS = 4096;

    /** The most a dead letter's payload may keep: 6 x 100,000 escaped characters stay below 1 MB. */
    public static final int MAX_DEAD_LETTER_PAYLOAD_CHARS = 100_000;

    /** Ids and series names are echoed in every prediction and forecast: they stay short. */
    public static final int MAX_ID_CHARS = 1024;

    public final int maxRecordBytes;
    public final double maxAbsValue;
    public final double maxWeight;
    public final long maxTsAheadMillis;
    public final int deadLetterPayloadChars;

    public InputLimits(
            int maxRecordBytes,
            double maxAbsValue,
            double maxWeight,
            long maxTsAheadMillis,
            int deadLetterPayloadChars) {
        this.maxRecordBytes = maxRecordBytes;
        this.maxAbsValue = maxAbsValue;
        this.maxWeight = maxWeight;
        this.maxTsAheadMillis = maxTsAheadMillis;
        this.deadLetterPayloadChars = deadLetterPayloadChars;
    }

    public static InputLimits defaults() {
        return new InputLimits(
                DEFAULT_MAX_RECORD_BYTES,
                DEFAULT_MAX_ABS_VALUE,
                DEFAULT_MAX_WEIGHT,
                DEFAULT_MAX_TS_AHEAD_MILLIS,
                DEFAULT_DEAD_LETTER_PAYLOAD_CHARS);
    }

    /** The same limits with another record size (tools that read files, tests). */
    public InputLimits withMaxRecordBytes(int bytes) {
        return new InputLimits(bytes, maxAbsValue, maxWeight, maxTsAheadMillis, deadLetterPayloadChars);
    }
}
