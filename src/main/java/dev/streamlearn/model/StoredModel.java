package dev.streamlearn.model;

import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.metrics.MetricNames;

/**
 * One model version as kept for rollback and written to the model store: what it learnt
 * (weights, optimizer state, scaling), the hashing configuration and metadata, with the
 * prequential metrics at that point.
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

    public Loss loss;
    /** The optimizer that learnt it; null for a model fitted by a batch learner (weights, no optimizer state). */
    public ModelSpec.OptimizerKind optimizer;

    public int hashBits;
    /** The learner that made it: {@code default} (the model's own options; null in versions from before challengers) or a challenger's name. */
    public String learner;
    /** The challenger's options as written ({@code key=value ...}); empty for the model's own learner. */
    public String learnerOptions;

    public boolean frozen;
    public ModelState state;
    public String[] metricNames;
    public double[] metricValues;

    public StoredModel() {}

    public int dimension() {
        return FeatureHasher.dimension(hashBits);
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

    /** Whether every weight, optimizer value and scaling entry is finite: a version that may be served. */
    public boolean isFinite() {
        return Finite.all(state);
    }

    /** The learner that made it; versions from before challengers were made by the model's own. */
    public String learnerName() {
        return learner == null ? Challenger.DEFAULT : learner;
    }

    /** The metric by which "better" is judged: windowed log loss (logistic) or RMSE (squared); lower is better. */
    public double qualityLoss() {
        return loss == Loss.LOGISTIC ? metric(MetricNames.LOG_LOSS) : metric(MetricNames.RMSE);
    }
}
