package dev.streamlearn.ingest;

import dev.streamlearn.options.Option;
import dev.streamlearn.options.OptionType;
import dev.streamlearn.options.OptionValues;
import dev.streamlearn.records.DeadLetterReason;
import java.io.Serializable;
import java.util.List;

/**
 * What an input record may be, and how much of a rejected one the dead-letter topic keeps. A
 * finite number can still break learning (squared, 1e300 overflows), and a record the job cannot
 * write back out (a 500 KB binary record, escaped) would fail the dead-letter writer: every limit
 * here keeps one record from doing harm beyond itself. Configured by the job's {@code input.*}
 * and {@code dead-letter.*} options.
 */
public final class InputLimits implements Serializable {

    /**
     * A {@code ts} from here (10^9: 2001-09-09 in seconds, 1970-01-12 in milliseconds) to
     * {@link #SECONDS_LOOK_BEFORE} (10^11: 1973-03-03 in milliseconds) is refused as epoch seconds:
     * no stream has events of early 1970, and seconds taken as milliseconds would land there.
     */
    public static final long SECONDS_LOOK_FROM = 1_000_000_000L;

    public static final long SECONDS_LOOK_BEFORE = 100_000_000_000L;

    private static final long serialVersionUID = 1L;

    /** The most a dead letter's payload may keep: 6 x 100,000 escaped characters stay below 1 MB. */
    public static final int MAX_DEAD_LETTER_PAYLOAD_CHARS = 100_000;

    public static final Option<Integer> MAX_RECORD_BYTES = Option.key("max.record.bytes", OptionType.INT)
            .defaultValue(65536)
            .rule(v -> v >= 64 && v <= 1_000_000, "must be in 64..1000000")
            .description("Larger input records (UTF-8 bytes) go to the dead-letter topic.")
            .build();

    /**
     * Beyond any count, price or timestamp in any unit (nanoseconds since 1970 are 1.7e18), and
     * small enough that the scaling statistics never overflow (squares stay below 1e61).
     */
    public static final Option<Double> MAX_ABS_VALUE = Option.key("input.max-abs-value", OptionType.DOUBLE)
            .defaultValue(1e30)
            .rule(v -> v > 0 && v <= 1e100, "must be in (0, 1e100] (squares must stay finite)")
            .description("Numbers (features, labels, series values) beyond ±this are dead-lettered as"
                    + " `out-of-range`. Below it a numeric feature is scaled and clipped by its model (`scale.clip`),"
                    + " so it moves a weight no more than an ordinary value.")
            .build();

    /** Example weights above this would let one record outweigh thousands. */
    public static final Option<Double> MAX_WEIGHT = Option.key("input.max-weight", OptionType.DOUBLE)
            .defaultValue(1000.0)
            .rule(v -> v > 0 && v <= 1e6, "must be in (0, 1e6]")
            .description("Example weights above this are dead-lettered as `out-of-range`.")
            .build();

    /** Clocks disagree by seconds, not by a day: a later {@code ts} is a broken producer. */
    public static final Option<Long> MAX_TS_AHEAD = Option.key("input.max-ts-ahead", OptionType.LONG)
            .defaultValue(24L * 3600 * 1000)
            .rule(v -> v >= 0, "must be >= 0")
            .description("An event whose `ts` is more than this many ms ahead of the job's clock is dead-lettered as"
                    + " `out-of-range` (a `ts` before 1970 too).")
            .build();

    /**
     * A record of the default size cannot hold this many features of its own (each takes at least
     * five bytes): the limit bounds what crosses add, the work and the explanation of one event.
     */
    public static final Option<Integer> MAX_FEATURES = Option.key("input.max-features", OptionType.INT)
            .defaultValue(16_384)
            .rule(v -> v >= 1 && v <= 1_000_000, "must be in 1..1000000")
            .description("An event with more features than this, counting its crosses (model option `crosses`), is"
                    + " dead-lettered as `too-large`.")
            .build();

    /**
     * A dead letter keeps this many characters of the payload (with its length and hash): even
     * escaped six-fold as JSON, far below Kafka's default 1 MB record limit.
     */
    public static final Option<Integer> DEAD_LETTER_PAYLOAD_CHARS = Option.key(
                    "dead-letter.max-payload-chars", OptionType.INT)
            .defaultValue(4096)
            .rule(v -> v >= 64 && v <= MAX_DEAD_LETTER_PAYLOAD_CHARS, "must be in 64.." + MAX_DEAD_LETTER_PAYLOAD_CHARS)
            .description("A dead letter keeps this much of the payload, with `payloadBytes` (the record's length as"
                    + " it came) and `payloadSha256` when cut or not text; 64..100000, so a dead letter always fits"
                    + " a Kafka record.")
            .build();

    public static final List<Option<?>> OPTIONS =
            List.of(MAX_RECORD_BYTES, MAX_ABS_VALUE, MAX_WEIGHT, MAX_TS_AHEAD, MAX_FEATURES, DEAD_LETTER_PAYLOAD_CHARS);

    /** Ids and series names are echoed in every prediction and forecast: they stay short. */
    public static final int MAX_ID_CHARS = 1024;

    public final int maxRecordBytes;
    public final double maxAbsValue;
    public final double maxWeight;
    public final long maxTsAheadMillis;
    public final int maxFeatures;
    public final int deadLetterPayloadChars;

    public InputLimits(
            int maxRecordBytes,
            double maxAbsValue,
            double maxWeight,
            long maxTsAheadMillis,
            int maxFeatures,
            int deadLetterPayloadChars) {
        this.maxRecordBytes = maxRecordBytes;
        this.maxAbsValue = maxAbsValue;
        this.maxWeight = maxWeight;
        this.maxTsAheadMillis = maxTsAheadMillis;
        this.maxFeatures = maxFeatures;
        this.deadLetterPayloadChars = deadLetterPayloadChars;
    }

    public static InputLimits defaults() {
        return from(OptionValues.DEFAULTS);
    }

    public static InputLimits from(OptionValues options) {
        return new InputLimits(
                options.get(MAX_RECORD_BYTES),
                options.get(MAX_ABS_VALUE),
                options.get(MAX_WEIGHT),
                options.get(MAX_TS_AHEAD),
                options.get(MAX_FEATURES),
                options.get(DEAD_LETTER_PAYLOAD_CHARS));
    }

    /** Whether learning can use {@code x}: finite, within the limit, and what was written. */
    boolean usable(double x, boolean underflows) {
        return Double.isFinite(x) && Math.abs(x) <= maxAbsValue && !underflows;
    }

    /**
     * {@code x} when learning can use it; else the rejection of {@code field}: not finite, beyond
     * the limit, or a literal like 1e-400 that reads as 0 (a sign or a label changed silently).
     */
    double checked(double x, boolean underflows, String field) {
        if (usable(x, underflows)) {
            return x;
        }
        if (!Double.isFinite(x)) {
            throw new Rejection(DeadLetterReason.NOT_FINITE, field + " is " + x);
        }
        if (Math.abs(x) > maxAbsValue) {
            throw new Rejection(
                    DeadLetterReason.OUT_OF_RANGE, field + " is " + x + ", beyond the limit of +-" + maxAbsValue);
        }
        throw new Rejection(DeadLetterReason.OUT_OF_RANGE, field + " underflows: it is too small to be a double");
    }

    /** The same limits with another record size (tools that read files, tests). */
    public InputLimits withMaxRecordBytes(int bytes) {
        return new InputLimits(bytes, maxAbsValue, maxWeight, maxTsAheadMillis, maxFeatures, deadLetterPayloadChars);
    }
}
