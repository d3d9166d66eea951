package dev.streamlearn.training;

import dev.streamlearn.model.ModelUpdate;

/**
 * Encodes each new version for inference: a delta with the weights and scaling entries changed
 * since the last version, or in full (every non-zero weight, every scaling entry) for the first
 * version after a start, after a rollback or restore, and every {@code fullEvery} versions, so
 * that an inference subtask that missed a delta converges again.
 */
final class UpdateEncoder {

    private final String modelId;
    private final int fullEvery;
    private boolean fullPending = true;

    UpdateEncoder(String modelId, int fullEvery) {
        this.modelId = modelId;
        this.fullEvery = fullEvery;
    }

    /** The next version is sent in full, whatever its number. */
    void requireFull() {
        fullPending = true;
    }

    ModelUpdate encode(Learner learner, long version, long base, long newestExampleMillis) {
        if (fullPending || version % fullEvery == 0) {
            return full(learner, version, base, newestExampleMillis);
        }
        return new ModelUpdate(
                modelId,
                version,
                base,
                false,
                learner.drainChanged(),
                learner.scaler().drainChanged(),
                newestExampleMillis);
    }

    ModelUpdate full(Learner learner, long version, long base, long newestExampleMillis) {
        fullPending = false;
        learner.clearChanged();
        return new ModelUpdate(
                modelId,
                version,
                base,
                true,
                learner.nonZeroWeights(),
                learner.scaler().export(),
                newestExampleMillis);
    }
}
