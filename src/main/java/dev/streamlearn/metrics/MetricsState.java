package dev.streamlearn.metrics;

/** Checkpointed form of {@link PrequentialMetrics}: the window in ring order and the running totals. */
public class MetricsState {
    public double[] predictions;
    public double[] labels;
    /** Ring position of the next write; the oldest entry when the window is full. */
    public int next;

    public long seen;
    public double totalLoss;
    public double totalAbsError;
    public double totalSquaredError;
    public double totalAbsPctError;
    public long totalCorrect;
    /** Predictions left out because they were not finite. */
    public long nonFinite;

    public MetricsState() {}
}
