package dev.streamlearn.testing;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelSpec;

/** Model specs for tests: 2^8 hashed coordinates, no regularization, every version stored. */
public final class Specs {

    private Specs() {}

    public static ModelSpec logistic(String id, int batchSize, long batchMillis) {
        return ModelSpec.builder(id)
                .loss(Loss.LOGISTIC)
                .optimizer(ModelSpec.OptimizerKind.FTRL)
                .hashBits(8)
                .batchSize(batchSize)
                .batchMillis(batchMillis)
                .fullUpdateEvery(5)
                .metricsWindow(100)
                .ftrl(0.5, 1.0)
                .l1(0.0)
                .l2(0.0)
                .storeIntervalMillis(0L)
                .recentVersions(3)
                .build();
    }

    /** Without regularization, but for recursive least squares, whose L2 is its ridge (1). */
    public static ModelSpec squared(String id, ModelSpec.OptimizerKind optimizer) {
        return ModelSpec.builder(id)
                .loss(Loss.SQUARED)
                .optimizer(optimizer)
                .hashBits(8)
                .batchSize(2)
                .batchMillis(1000)
                .fullUpdateEvery(5)
                .metricsWindow(100)
                .ftrl(0.5, 1.0)
                .learningRate(0.1)
                .l1(0.0)
                .l2(optimizer == ModelSpec.OptimizerKind.RLS ? 1.0 : 0.0)
                .storeIntervalMillis(0L)
                .recentVersions(3)
                .build();
    }
}
