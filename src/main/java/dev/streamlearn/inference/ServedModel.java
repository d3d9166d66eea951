package dev.streamlearn.inference;

import dev.streamlearn.features.NumericScaler;
import dev.streamlearn.features.ScalerState;
import dev.streamlearn.model.Calibration;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.SparseWeights;
import dev.streamlearn.model.StoredModel;
import java.util.Arrays;

/**
 * The weights and scaling one inference subtask serves for a model, and the version they are.
 * Scoring reads a dense array and a scaler; what is checkpointed is only the non-zero weights and
 * the scaling entries ({@link #compact()} writes them before a snapshot), since a dense 2^20
 * vector per model and subtask would make every checkpoint megabytes larger. The dense array and
 * the scaler are rebuilt on first use after a restore.
 */
public class ServedModel {
    public String modelId;
    public long version;
    public int dimension;
    /** Non-zero weights and the scaling as of the last {@link #compact()}: what a checkpoint holds. */
    public int[] indices;

    public double[] values;
    public ScalerState scale;
    /** How its margins are served; null: as they are. */
    public Calibration calibration;

    private transient double[] dense;
    private transient NumericScaler scaler;

    public ServedModel() {}

    public ServedModel(String modelId, int dimension) {
        this.modelId = modelId;
        this.dimension = dimension;
        this.indices = new int[0];
        this.values = new double[0];
        this.scale = ScalerState.empty();
    }

    /** Serves a stored version as it is. */
    public static ServedModel of(StoredModel stored) {
        ServedModel m = new ServedModel(stored.modelId, stored.dimension());
        m.version = stored.version;
        m.indices = stored.state.coords;
        m.values = stored.state.weights;
        m.scale = stored.state.scale == null ? ScalerState.empty() : stored.state.scale;
        m.calibration = stored.state.calibration;
        return m;
    }

    private static double[] denseOf(int dimension, int[] coords, double[] weights) {
        double[] d = new double[dimension];
        for (int k = 0; k < coords.length; k++) {
            d[coords[k]] = weights[k];
        }
        return d;
    }

    /** The weights to score with, indexed by coordinate. */
    public double[] weights() {
        if (dense == null) {
            dense = denseOf(dimension, indices, values);
        }
        return dense;
    }

    /**
     * The scaling to score with, with the settings of the learner that made the version; {@code
     * empty} is an empty scaler with the model's settings, for versions that do not say theirs.
     */
    public NumericScaler scaler(NumericScaler empty) {
        if (scaler == null) {
            scaler = NumericScaler.emptyFor(scale, empty);
            scaler.apply(scale);
        }
        return scaler;
    }

    /** Whether the update can be applied: a full one always, a delta only on top of its base version. */
    public boolean accepts(ModelUpdate update) {
        return update.full || update.baseVersion == version;
    }

    public void apply(ModelUpdate update, NumericScaler empty) {
        double[] w = weights();
        NumericScaler s = scaler(empty);
        if (update.full) {
            Arrays.fill(w, 0.0);
            if (s.transformsAs(update.scale)) {
                s.clear();
            } else { // a version of another learner (a promotion, a rollback across one)
                s = NumericScaler.emptyFor(update.scale, empty);
                scaler = s;
            }
        }
        for (int k = 0; k < update.indices.length; k++) {
            w[update.indices[k]] = update.values[k];
        }
        s.apply(update.scale);
        calibration = update.calibration;
        version = update.version;
    }

    /** Writes the non-zero weights and the scaling into the checkpointed fields. */
    public void compact() {
        if (dense == null) {
            return; // unchanged since restored
        }
        SparseWeights nonZero = SparseWeights.of(dense);
        indices = nonZero.coords;
        values = nonZero.values;
        if (scaler != null) {
            scale = scaler.export();
        }
    }
}
