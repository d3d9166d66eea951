package dev.streamlearn.inference;

import dev.streamlearn.features.NumericScaler;
import dev.streamlearn.features.ScalerState;
import dev.streamlearn.model.Calibration;
import dev.streamlearn.model.CoordinateTable;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.SparseWeights;
import dev.streamlearn.model.StoredModel;

/**
 * The weights and scaling one inference subtask serves for a model, and the version they are.
 * Scoring reads a table of the weights it has (memory that grows with them, not with the hash
 * space) and a scaler; what is checkpointed is only the non-zero weights and the scaling entries
 * ({@link #compact()} writes them before a snapshot). The table and the scaler are rebuilt on
 * first use after a restore.
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

    private transient CoordinateTable table;
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

    /** The weights to score with. */
    public CoordinateTable weights() {
        if (table == null) {
            table = new CoordinateTable(dimension, 1);
            set(table, indices, values);
        }
        return table;
    }

    private static void set(CoordinateTable table, int[] coords, double[] weights) {
        for (int k = 0; k < coords.length; k++) {
            int row = table.rowFor(coords[k]);
            table.values()[row] = weights[k];
        }
        table.settle();
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
        CoordinateTable w = weights();
        NumericScaler s = scaler(empty);
        if (update.full) {
            w.clear();
            if (s.transformsAs(update.scale)) {
                s.clear();
            } else { // a version of another learner (a promotion, a rollback across one)
                s = NumericScaler.emptyFor(update.scale, empty);
                scaler = s;
            }
        }
        set(w, update.indices, update.values);
        s.apply(update.scale);
        calibration = update.calibration;
        version = update.version;
    }

    /** Writes the non-zero weights and the scaling into the checkpointed fields. */
    public void compact() {
        if (table == null) {
            return; // unchanged since restored
        }
        SparseWeights nonZero = table.nonZeroWeights();
        indices = nonZero.coords;
        values = nonZero.values;
        if (scaler != null) {
            scale = scaler.export();
        }
    }
}
