package dev.streamlearn.testing;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;

/** Model specs for tests: 2^8 hashed coordinates, no regularization, every version stored. */
public final class Specs {

    private Specs() {}

    public static ModelSpec logistic(String id, int batchSize, long batchMillis) {
        return ModelSpec.builder(id)
                .set(ModelOptions.LOSS, Loss.LOGISTIC)
                .set(ModelOptions.OPTIMIZER, ModelSpec.OptimizerKind.FTRL)
                .set(ModelOptions.HASH_BITS, 8)
                .set(ModelOptions.BATCH_SIZE, batchSize)
                .set(ModelOptions.BATCH_MILLIS, batchMillis)
                .set(ModelOptions.FULL_UPDATE_EVERY, 5)
                .set(ModelOptions.METRICS_WINDOW, 100)
                .set(ModelOptions.FTRL_ALPHA, 0.5)
                .set(ModelOptions.FTRL_BETA, 1.0)
                .set(ModelOptions.L1, 0.0)
                .set(ModelOptions.L2, 0.0)
                .set(ModelOptions.STORE_INTERVAL, 0L)
                .set(ModelOptions.STORE_RECENT, 3)
                .build();
    }

    /** Without regularization, but for recursive least squares, whose L2 is its ridge (1). */
    public static ModelSpec squared(String id, ModelSpec.OptimizerKind optimizer) {
        return ModelSpec.builder(id)
                .set(ModelOptions.LOSS, Loss.SQUARED)
                .set(ModelOptions.OPTIMIZER, optimizer)
                .set(ModelOptions.HASH_BITS, 8)
                .set(ModelOptions.BATCH_SIZE, 2)
                .set(ModelOptions.BATCH_MILLIS, 1000L)
                .set(ModelOptions.FULL_UPDATE_EVERY, 5)
                .set(ModelOptions.METRICS_WINDOW, 100)
                .set(ModelOptions.FTRL_ALPHA, 0.5)
                .set(ModelOptions.FTRL_BETA, 1.0)
                .set(ModelOptions.LEARNING_RATE, 0.1)
                .set(ModelOptions.L1, 0.0)
                .set(ModelOptions.L2, optimizer == ModelSpec.OptimizerKind.RLS ? 1.0 : 0.0)
                .set(ModelOptions.STORE_INTERVAL, 0L)
                .set(ModelOptions.STORE_RECENT, 3)
                .build();
    }
}
