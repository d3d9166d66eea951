package dev.streamlearn.testing;

import dev.streamlearn.model.Loss;
import dev.streamlearn.model.ModelSpec;

/** Model specs for tests. */
public final class Specs {

    private Specs() {}

    public static ModelSpec logistic(String id, int batchSize, long batchMillis) {
        return new ModelSpec(id, Loss.LOGISTIC, ModelSpec.OptimizerKind.FTRL, 8, batchSize, batchMillis, 5, 100,
                0.5, 1.0, 0.1, 0.0, 0.0, 0L, 3, null);
    }

    public static ModelSpec squared(String id, ModelSpec.OptimizerKind optimizer) {
        return new ModelSpec(id, Loss.SQUARED, optimizer, 8, 2, 1000, 5, 100, 0.5, 1.0, 0.1, 0.0, 0.0, 0L, 3, null);
    }
}
