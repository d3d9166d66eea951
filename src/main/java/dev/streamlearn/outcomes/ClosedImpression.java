package dev.streamlearn.outcomes;

/** What is remembered of an impression after its example was made, until {@link #forgetAt}. */
public class ClosedImpression {
    /** True when an outcome made it a positive; false when its window closed without one. */
    public boolean joined;

    public long forgetAt;

    public ClosedImpression() {}

    public ClosedImpression(boolean joined, long forgetAt) {
        this.joined = joined;
        this.forgetAt = forgetAt;
    }
}
