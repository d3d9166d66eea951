package dev.streamlearn.model;

/** The examples of a mini-batch that has not been applied yet, in flat primitive arrays. */
public class PendingBatch {
    /** Example k's features are at [offsets[k], offsets[k+1]) of indices/values. */
    public int[] offsets;
    public int[] indices;
    public double[] values;
    public double[] labels;
    public double[] weights;
    /** Time-series examples: scale mean, scale std (0: not a series example) and seasonal-naive baseline. */
    public double[] scaleMeans;
    public double[] scaleStds;
    public double[] baselines;
    public int size;
    public long openedAtMillis;
    public long newestExampleMillis;

    public PendingBatch() {}
}
