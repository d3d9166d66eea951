package dev.streamlearn.training;

import dev.streamlearn.model.Calibration;
import dev.streamlearn.model.ModelUpdate;

/**
 * Encodes each new version for inference: a delta with the weights and scaling entries changed
 * since the last version, or in full (every non-zero weight, every scaling entry) for the first
 * version after a start, after a rollback or restore, and every {@code fullEvery} versions, so
 * that an inference subtask that missed a delta converges again.
 */
final class UpdateEncoder {

    /**
     * The periodic full updates come at most this often. They are a safety net, and at full speed
     * (a thousand versions a second) one every 100 versions took a sixth of the trainer's time
     * reading out every learnt weight; the net is as good once a second.
     */
    static final long MIN_MILLIS_BETWEEN_PERIODIC_FULL = 1000;

    private final String modelId;
    private final int fullEvery;
    private boolean fullPending = true;
    private long lastFullMillis = Long.MIN_VALUE;

    UpdateEncoder(String modelId, int fullEvery) {
        this.modelId = modelId;
        this.fullEvery = fullEvery;
    }

    /** The next version is sent in full, whatever its number. */
    void requireFull() {
        fullPending = true;
    }

    /** What the contest serves: its weights (the champion's, or the blend's), the champion's scaling and calibration. */
    ModelUpdate encode(Contest served, long version, long base, long newestExampleMillis) {
        if (fullPending
                || (version % fullEvery == 0
                        && newestExampleMillis - lastFullMillis >= MIN_MILLIS_BETWEEN_PERIODIC_FULL)) {
            return full(served, version, base, newestExampleMillis);
        }
        Learner champion = served.champion().learner;
        return new ModelUpdate(
                modelId,
                version,
                base,
                false,
                served.drainServedChanges(),
                champion.scaler().drainChanged(),
                Calibration.copyOf(champion.calibration()),
                newestExampleMillis);
    }

    ModelUpdate full(Contest served, long version, long base, long newestExampleMillis) {
        fullPending = false;
        lastFullMillis = newestExampleMillis;
        served.clearServedChanges();
        Learner champion = served.champion().learner;
        return new ModelUpdate(
                modelId,
                version,
                base,
                true,
                served.servedWeights(),
                champion.scaler().export(),
                Calibration.copyOf(champion.calibration()),
                newestExampleMillis);
    }
}
