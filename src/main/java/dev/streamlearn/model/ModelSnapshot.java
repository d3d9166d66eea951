package dev.streamlearn.model;

import dev.streamlearn.metrics.MetricsState;

/**
 * Everything a trainer needs to continue one model exactly where it stopped: weights, optimizer
 * state, version, counters, prequential metrics and the open mini-batch. Sparse: only the
 * coordinates where a weight or an optimizer accumulator is non-zero are kept.
 */
public class ModelSnapshot {
    public String modelId;
    public long version;
    public long parentVersion;
    public long eventTimeThrough;
    public long openBatchEventTime;
    public long lastStoredAtMillis;
    public long[] trainedOffsets;
    public long[] openBatchOffsets;
    public long examplesTrained;
    public long batchesApplied;
    public boolean frozen;
    public int dimension;
    public int[] coords;
    public double[] weights;
    /** The optimizer's state arrays at {@code coords}, one after the other. */
    public double[] optimizerState;
    public int optimizerArrays;
    public long optimizerSteps;
    public MetricsState metrics;
    public MetricsState forecastMetrics;
    public MetricsState naiveMetrics;
    public PendingBatch batch;
    /** The last stored versions, newest last, for rollback without reading the store. */
    public StoredModel[] recent;

    public ModelSnapshot() {}
}
