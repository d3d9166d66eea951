package dev.streamlearn.inference;

import dev.streamlearn.model.ModelUpdate;
import java.util.Arrays;

/** The weights one inference subtask serves for a model, and the version they are. */
public class ServedModel {
    public String modelId;
    public long version;
    public double[] weights;

    public ServedModel() {}

    public ServedModel(String modelId, int dimension) {
        this.modelId = modelId;
        this.weights = new double[dimension];
    }

    /** Whether the update can be applied: a full one always, a delta only on top of its base version. */
    public boolean accepts(ModelUpdate update) {
        return update.full || update.baseVersion == version;
    }

    public void apply(ModelUpdate update) {
        if (update.full) {
            Arrays.fill(weights, 0.0);
        }
        for (int k = 0; k < update.indices.length; k++) {
            weights[update.indices[k]] = update.values[k];
        }
        version = update.version;
    }
}
