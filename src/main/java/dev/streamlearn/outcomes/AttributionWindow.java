package dev.streamlearn.outcomes;

import java.io.Serializable;
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
        OUTCOME;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

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
