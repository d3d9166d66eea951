package dev.streamlearn.inference;

import dev.streamlearn.model.ModelUpdate;
import java.util.Arrays;

/**
 * The weights one inference subtask serves for a model, and the version they are. Scoring
 * reads a dense array; what is checkpointed is only the non-zero weights ({@link #compact()}
 * writes them before a snapshot), since a dense 2^20 vector per model and subtask would make
 * every checkpoint megabytes larger. The dense array is rebuilt on first use after a restore.
 */
public class ServedModel {
    public String modelId;
    public long version;
    public int dimension;
    /** Non-zero weights as of the last {@link #compact()}: what a checkpoint holds. */
    public int[] indices;
    public double[] values;

    private transient double[] dense;

    public ServedModel() {}

    public ServedModel(String modelId, int dimension) {
        this.modelId = modelId;
        this.dimension = dimension;
        this.indices = new int[0];
        this.values = new double[0];
    }

    /** Serves a stored version as it is. */
    public static ServedModel of(dev.streamlearn.model.StoredModel stored) {
        ServedModel m = new ServedModel(stored.modelId, stored.dimension());
        m.version = stored.version;
        m.indices = stored.coords;
        m.values = stored.weights;
        return m;
    }

    /** The weights to score with, indexed by coordinate. */
    public double[] weights() {
        if (dense == null) {
            dense = new double[dimension];
            for (int k = 0; k < indices.length; k++) {
                dense[indices[k]] = values[k];
            }
        }
        return dense;
    }

    /** Whether the update can be applied: a full one always, a delta only on top of its base version. */
    public boolean accepts(ModelUpdate update) {
        return update.full || update.baseVersion == version;
    }

    public void apply(ModelUpdate update) {
        double[] w = weights();
        if (update.full) {
            Arrays.fill(w, 0.0);
        }
        for (int k = 0; k < update.indices.length; k++) {
            w[update.indices[k]] = update.values[k];
        }
        version = update.version;
    }

    /** Writes the non-zero weights into the checkpointed fields. */
    public void compact() {
        if (dense == null) {
            return; // unchanged since restored
        }
        int n = 0;
        for (double v : dense) {
            if (v != 0.0) {
                n++;
            }
        }
        indices = new int[n];
        values = new double[n];
        int k = 0;
        for (int i = 0; i < dense.length; i++) {
            if (dense[i] != 0.0) {
                indices[k] = i;
                values[k++] = dense[i];
            }
        }
    }
}
