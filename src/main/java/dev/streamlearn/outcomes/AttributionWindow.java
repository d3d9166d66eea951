package dev.streamlearn.outcomes;

import dev.streamlearn.options.Option;
import dev.streamlearn.options.OptionType;
import dev.streamlearn.options.OptionValues;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * How long an impression waits for its outcome, in event time: an outcome stamped within
 * {@code windowMillis} of its impression makes a positive; when the window closes without one,
 * the impression is a negative. Event time advances with the records: the newest timestamp seen
 * on impressions and outcomes, less {@code outOfOrdernessMillis}; an input without records for
 * {@code idleAfterMillis} (processing time) stops holding it back.
 */
public final class AttributionWindow implements Serializable {

    private static final long serialVersionUID = 1L;

    /** When a joined impression is released to training. */
    public enum Release {
        /**
         * Every impression when its window closes, positive or negative: the delay before training
         * does not depend on the label, so no feature that trends with time (a timestamp, a hit
         * count) can stand in for it.
         */
        WINDOW_END,
        /**
         * A positive as soon as its outcome arrives, a negative when its window closes: fresher
         * positives, but they reach the trainer a window ahead of the negatives of the same time.
         */
        OUTCOME,
        /**
         * Every impression at once as a negative and its outcome at once as a positive, learnt with
         * fake-negative weights, and the final label when the window closes, which calibrates the
         * served scores: fresh and, in expectation, unbiased. For logistic models; others are
         * released at the window's end.
         */
        FAKE_NEGATIVE;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public static final Option<Long> WINDOW = Option.key("label.window", OptionType.LONG)
            .defaultValue(1_800_000L)
            .rule(v -> v >= 1, "must be >= 1")
            .description("Attribution window (ms, event time): an impression without an outcome this long after it is"
                    + " learnt as a negative.")
            .build();

    public static final Option<Long> OUT_OF_ORDERNESS = Option.key("label.out-of-orderness", OptionType.LONG)
            .defaultValue(5_000L)
            .rule(v -> v >= 0, "must be >= 0")
            .description("How far (ms) impressions and outcomes may come out of event-time order; windows close this"
                    + " much after event time passes them.")
            .build();

    public static final Option<Long> IDLE_TIMEOUT = Option.key("label.idle-timeout", OptionType.LONG)
            .defaultValue(10_000L)
            .rule(v -> v >= 1, "must be >= 1")
            .description("A subtask of impressions or outcomes without records this long (ms, wall clock) stops"
                    + " holding event time back, so sparse outcomes do not stall the windows.")
            .build();

    public static final Option<Release> RELEASE = Option.key("label.release", OptionType.oneOf(Release.class))
            .defaultValue(Release.FAKE_NEGATIVE)
            .description("When a joined impression goes to training: `fake-negative` (at once as a negative weighted"
                    + " by the model's own score, a click at once as a positive, the final label calibrates the"
                    + " served scores; logistic models), `window-end` (every one when its window closes) or `outcome`"
                    + " (a positive at once, a negative when its window closes; biased). See docs/LEARNING.md,"
                    + " \"Delayed labels\".")
            .build();

    public static final List<Option<?>> OPTIONS = List.of(WINDOW, OUT_OF_ORDERNESS, IDLE_TIMEOUT, RELEASE);

    public final long windowMillis;
    public final long outOfOrdernessMillis;
    public final Release release;
    /** Processing time after which an input subtask without records no longer holds event time back. */
    public final long idleAfterMillis;

    public AttributionWindow(long windowMillis, long outOfOrdernessMillis, long idleAfterMillis, Release release) {
        if (windowMillis < 1 || outOfOrdernessMillis < 0 || idleAfterMillis < 1) {
            throw new IllegalArgumentException("window and idle timeout must be >= 1 ms and out-of-orderness >= 0 ms");
        }
        this.windowMillis = windowMillis;
        this.outOfOrdernessMillis = outOfOrdernessMillis;
        this.idleAfterMillis = idleAfterMillis;
        this.release = release;
    }

    public static AttributionWindow from(OptionValues options) {
        return new AttributionWindow(
                options.get(WINDOW), options.get(OUT_OF_ORDERNESS), options.get(IDLE_TIMEOUT), options.get(RELEASE));
    }

    /** When the window of an impression at {@code impressionTs} closes. */
    public long closesAt(long impressionTs) {
        return impressionTs + windowMillis;
    }

    /** Whether an outcome at {@code outcomeTs} is attributed to the impression at {@code impressionTs}. */
    public boolean attributes(long impressionTs, long outcomeTs) {
        return outcomeTs <= closesAt(impressionTs);
    }

    /**
     * When an outcome that came before any impression of its id is given up as unknown: a window
     * after its own time. Its impression is no later than the outcome in event time, but may come
     * later through the job (requests pass inference first), by more than the out-of-orderness
     * when the job starts or catches up.
     */
    public long unknownAfter(long outcomeTs) {
        return outcomeTs + windowMillis;
    }

    /** How long a closed impression is remembered, to tell a late or repeated outcome from an unknown one. */
    public long forgetAt(long impressionTs) {
        return closesAt(impressionTs) + windowMillis;
    }
}
