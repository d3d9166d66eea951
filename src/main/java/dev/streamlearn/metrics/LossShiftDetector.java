package dev.streamlearn.metrics;

/**
 * Detects a sudden rise of a model's prequential loss: the mean loss of the last {@code window}
 * examples against a slow reference (an exponentially weighted mean and variance of the loss
 * over about {@value #REFERENCE_WINDOWS} windows). It raises an alarm when the short mean is both
 * clearly worse, by more than {@code ratio} of the reference, and significantly so, {@value #Z}
 * standard errors above it; the second condition keeps noisy small windows quiet, the first keeps
 * a large, stable stream from alarming at a tiny rise.
 *
 * <p>Why a window against a reference, and not Page-Hinkley: both thresholds here are relative
 * (a ratio, a number of standard errors), so one default fits log loss near 0.1 and squared
 * errors in any unit; Page-Hinkley's threshold is in the loss's own unit and must be tuned per
 * model. ADWIN adapts its window but answers "did the mean change", where an operator wants "did
 * it get much worse".
 *
 * <p>The reference learns only while nothing is wrong: not while the short mean is alarming, so
 * a long burst does not become the new normal, and {@link #accept()} makes the present level the
 * reference when a change is to be kept. Plain Java; {@link #state()} and {@link #restore} carry
 * it through checkpoints.
 */
public final class LossShiftDetector {

    /** Standard errors the short mean must be above the reference. */
    public static final double Z = 4.0;

    /** The reference weighs the loss of about this many windows. */
    public static final int REFERENCE_WINDOWS = 20;

    private final int window;
    private final double ratio;
    private final double[] ring;
    private int next;
    private int filled;
    private double windowSum;
    private long sinceRecompute;

    private long referenceCount;
    private double referenceMean;
    private double referenceVariance;

    public LossShiftDetector(int window, double ratio) {
        this.window = window;
        this.ratio = ratio;
        this.ring = new double[window];
    }

    /** Counts one example's loss (non-finite losses are not counted); true while the short mean is alarming. */
    public boolean observe(double loss) {
        if (!Double.isFinite(loss)) {
            return alarming();
        }
        if (filled == window) {
            windowSum -= ring[next];
        } else {
            filled++;
        }
        ring[next] = loss;
        windowSum += loss;
        next = (next + 1) % window;
        if (++sinceRecompute == window) {
            recompute(); // no drift of the running sum from rounding
        }
        boolean alarming = alarming();
        if (!alarming) {
            learnReference(loss);
        }
        return alarming;
    }

    /** Whether the short mean is now clearly and significantly above the reference. */
    public boolean alarming() {
        if (referenceCount < (long) REFERENCE_WINDOWS * window / 4 || filled < window) {
            return false; // no reference yet to compare with
        }
        double shortMean = windowSum / filled;
        double standardError = Math.sqrt(referenceVariance / window);
        return shortMean > referenceMean * (1 + ratio) && shortMean - referenceMean > Z * standardError;
    }

    /** The present level becomes the reference: a change that persisted is the new normal. */
    public void accept() {
        if (filled > 0) {
            referenceMean = windowSum / filled;
        }
    }

    /** The mean loss of the last window (NaN before any). */
    public double shortMean() {
        return filled == 0 ? Double.NaN : windowSum / filled;
    }

    /** The reference mean loss (NaN before any). */
    public double referenceMean() {
        return referenceCount == 0 ? Double.NaN : referenceMean;
    }

    /** The loss level above which the short mean counts as worse (before the significance test). */
    public double threshold() {
        return referenceMean() * (1 + ratio);
    }

    private void learnReference(double loss) {
        referenceCount++;
        double rate = 1.0 / Math.min(referenceCount, (long) REFERENCE_WINDOWS * window);
        double delta = loss - referenceMean;
        referenceMean += rate * delta;
        referenceVariance = (1 - rate) * (referenceVariance + rate * delta * delta);
    }

    private void recompute() {
        double s = 0;
        for (int i = 0; i < filled; i++) {
            s += ring[i];
        }
        windowSum = s;
        sinceRecompute = 0;
    }

    public DetectorState state() {
        DetectorState s = new DetectorState();
        s.window = new double[filled];
        for (int i = 0; i < filled; i++) {
            // oldest first
            s.window[i] = ring[(next - filled + i + window) % window];
        }
        s.referenceCount = referenceCount;
        s.referenceMean = referenceMean;
        s.referenceVariance = referenceVariance;
        return s;
    }

    public void restore(DetectorState s) {
        filled = 0;
        next = 0;
        if (s == null) {
            return;
        }
        int keep = Math.min(s.window.length, window);
        for (int i = s.window.length - keep; i < s.window.length; i++) {
            ring[next] = s.window[i];
            next = (next + 1) % window;
            filled++;
        }
        recompute();
        referenceCount = s.referenceCount;
        referenceMean = s.referenceMean;
        referenceVariance = s.referenceVariance;
    }
}
