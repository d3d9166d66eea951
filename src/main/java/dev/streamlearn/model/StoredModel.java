package dev.streamlearn.model;

/**
 * One model version as kept for rollback and written to the model store: weights, optimizer
 * state, hashing configuration and metadata, with the prequential metrics at that point.
 * Sparse: only coordinates with a non-zero weight or optimizer accumulator.
 */
public class StoredModel {
    public String modelId;
    public long version;
    /** The version this one descends from: version - 1, or the version a rollback restored. */
    public long parentVersion;
    public long createdAtMillis;
    public long examplesTrained;
    public long batchesApplied;
    /** Largest event time (epoch ms) of the examples trained into this version, or 0. */
    public long eventTimeThrough;
    /** Per partition of the labeled topic, the offset of the last record trained into this version (-1: none). */
    public long[] offsetsThrough;
    public String loss;
    public String optimizer;
    public int hashBits;
    public boolean frozen;
    public int[] coords;
    public double[] weights;
    /** The optimizer's state arrays at {@code coords}, one after the other. */
    public double[] optimizerState;
    public int optimizerArrays;
    public long optimizerSteps;
    public String[] metricNames;
    public double[] metricValues;

    public StoredModel() {}

    public int dimension() {
        return (1 << hashBits) + 1;
    }

    /** A metric by name (logLoss, auc, accuracy, mae, rmse, logLossTotal, rmseTotal), NaN when absent. */
    public double metric(String name) {
        for (int i = 0; i < metricNames.length; i++) {
            if (metricNames[i].equals(name)) {
                return metricValues[i];
            }
        }
        return Double.NaN;
    }

    /** The metric by which "better" is judged: windowed log loss (logistic) or RMSE (squared); lower is better. */
    public double qualityLoss() {
        return Loss.LOGISTIC.name().equals(loss) ? metric("logLoss") : metric("rmse");
    }

    public int nonZeroWeights() {
        int n = 0;
        for (double w : weights) {
            if (w != 0.0) {
                n++;
            }
        }
        return n;
    }

    /** The model's prediction for sparse features, as the job scores it. */
    public double score(int[] indices, double[] values) {
        double margin = 0.0;
        for (int k = 0; k < indices.length; k++) {
            int at = java.util.Arrays.binarySearch(coords, indices[k]);
            if (at >= 0) {
                margin += weights[at] * values[k];
            }
        }
        return Loss.valueOf(loss).predict(margin);
    }
}
