package dev.streamlearn.model;

/** The examples of a mini-batch that has not been applied yet, in flat primitive arrays. */
public class PendingBatch {
    /** Example k's features are at [offsets[k], offsets[k+1]) of indices/values. */
    public int[] offsets;
    public int[] indices;
    public double[] values;
    public double[] labels;
    public double[] weights;
    public int size;
    public long openedAtMillis;
    public long newestExampleMillis;

    public PendingBatch() {}
}
