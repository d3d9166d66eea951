package dev.streamlearn.model;

import java.io.Serializable;

/** Everything that defines how one model learns, fixed when the job starts. */
public final class ModelSpec implements Serializable {

    private static final long serialVersionUID = 1L;

    public enum OptimizerKind { FTRL, ADAGRAD, SGD }

    public final String id;
    public final Loss loss;
    public final OptimizerKind optimizer;
    public final int hashBits;
    public final int batchSize;
    public final long batchMillis;
    public final int fullSnapshotEvery;
    public final int metricsWindow;
    public final double ftrlAlpha;
    public final double ftrlBeta;
    public final double learningRate;
    public final double l1;
    public final double l2;
    /** A version goes to the model store at most this often (and at every rollback, freeze, resume). */
    public final long storeIntervalMillis;
    /** How many stored versions the trainer keeps in its state for rollback without the store. */
    public final int recentVersions;
    /** URI of a model file to start from when there is no state, or null. */
    public final String initialModel;

    public ModelSpec(
            String id,
            Loss loss,
            OptimizerKind optimizer,
            int hashBits,
            int batchSize,
            long batchMillis,
            int fullSnapshotEvery,
            int metricsWindow,
            double ftrlAlpha,
            double ftrlBeta,
            double learningRate,
            double l1,
            double l2,
            long storeIntervalMillis,
            int recentVersions,
            String initialModel) {
        this.id = id;
        this.loss = loss;
        this.optimizer = optimizer;
        this.hashBits = hashBits;
        this.batchSize = batchSize;
        this.batchMillis = batchMillis;
        this.fullSnapshotEvery = fullSnapshotEvery;
        this.metricsWindow = metricsWindow;
        this.ftrlAlpha = ftrlAlpha;
        this.ftrlBeta = ftrlBeta;
        this.learningRate = learningRate;
        this.l1 = l1;
        this.l2 = l2;
        this.storeIntervalMillis = storeIntervalMillis;
        this.recentVersions = recentVersions;
        this.initialModel = initialModel == null || initialModel.isBlank() ? null : initialModel;
    }

    /** Weight vector length: 2^hashBits hashed coordinates plus the bias. */
    public int dimension() {
        return (1 << hashBits) + 1;
    }

    /** The bias coordinate, after the hashed ones (as {@code FeatureHasher#biasIndex}). */
    public int biasIndex() {
        return 1 << hashBits;
    }
}
