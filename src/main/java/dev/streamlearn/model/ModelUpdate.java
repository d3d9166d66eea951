package dev.streamlearn.model;

import dev.streamlearn.features.ScalerState;

/**
 * New weights and scaling of one model version, sent from its trainer to every inference
 * subtask. A delta carries only the weights and scaling entries its batch changed and applies
 * only on top of {@code baseVersion}; a full update carries every non-zero weight and every
 * scaling entry and replaces what was served.
 */
public class ModelUpdate {
    public String modelId;
    public long version;
    public long baseVersion;
    public boolean full;
    public int[] indices;
    public double[] values;
    public ScalerState scale;
    /** How the version's margins are served (null: as they are); always the version's own, in a delta too. */
    public Calibration calibration;
    /** Wall-clock millis at which the newest example of the batch entered the trainer. */
    public long newestExampleMillis;

    public ModelUpdate() {}

    public ModelUpdate(
            String modelId,
            long version,
            long baseVersion,
            boolean full,
            SparseWeights weights,
            ScalerState scale,
            Calibration calibration,
            long newestExampleMillis) {
        this.modelId = modelId;
        this.version = version;
        this.baseVersion = baseVersion;
        this.full = full;
        this.indices = weights.coords;
        this.values = weights.values;
        this.scale = scale;
        this.calibration = calibration;
        this.newestExampleMillis = newestExampleMillis;
    }

    /** Whether every weight and scaling entry it carries is finite: only such an update may be served. */
    public boolean isFinite() {
        return Finite.all(values) && Finite.all(scale) && (calibration == null || calibration.isFinite());
    }

    @Override
    public String toString() {
        return (full ? "full " : "delta ") + modelId + " v" + version + " (base v" + baseVersion + ", " + indices.length
                + " weights, " + scale.size() + " scaling entries)";
    }
}
