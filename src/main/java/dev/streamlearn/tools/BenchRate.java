package dev.streamlearn.tools;

/**
 * A counter's rate between the first sample that saw work done and the first that saw the
 * target reached; the REST metrics move once per fetch interval, so only changes are samples.
 * A run that ends within one fetch interval (a smoke test's) is timed from the first poll,
 * start-up included.
 */
final class BenchRate {
    private final long pollingSinceNanos;
    private final double fromValue;
    private long firstNanos = -1;
    private double firstValue;
    private long lastNanos;
    private double lastValue;

    void sample(long nanos, double value) {
        if (value <= 0 || value < fromValue || value == lastValue) {
            return;
        }
        if (firstNanos < 0) {
            firstNanos = nanos;
            firstValue = value;
        }
        lastNanos = nanos;
        lastValue = value;
    }

    BenchRate(long pollingSinceNanos) {
        this(pollingSinceNanos, 0);
    }

    /** A rate over the counter's values from {@code fromValue} on: the part of a run past its start. */
    BenchRate(long pollingSinceNanos, double fromValue) {
        this.pollingSinceNanos = pollingSinceNanos;
        this.fromValue = fromValue;
    }

    /** Whether two samples apart in time saw the counter move, so the rate needs no start-up time. */
    boolean timed() {
        return started() && lastNanos > firstNanos;
    }

    boolean started() {
        return firstNanos >= 0;
    }

    /**
     * The rate of a counter sampled alongside another: 0 when it did not move while the other
     * did (a smoke run can serve every request within one metrics fetch interval).
     */
    double perSecondOrZero() {
        return started() ? perSecond() : 0.0;
    }

    double perSecond() {
        if (firstNanos < 0) {
            throw new IllegalStateException("the counter never moved");
        }
        if (lastNanos == firstNanos) {
            System.err.println("the run ended within one metrics fetch interval: timed from the first poll,"
                    + " start-up included (send more events for a figure)");
            return lastValue / ((lastNanos - pollingSinceNanos) / 1e9);
        }
        return (lastValue - firstValue) / ((lastNanos - firstNanos) / 1e9);
    }
}
