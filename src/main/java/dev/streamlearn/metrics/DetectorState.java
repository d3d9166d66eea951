package dev.streamlearn.metrics;

/** Checkpointed form of {@link LossShiftDetector}: the last window of losses, oldest first, and the reference. */
public class DetectorState {
    public double[] window;
    public long referenceCount;
    public double referenceMean;
    public double referenceVariance;

    public DetectorState() {}
}
