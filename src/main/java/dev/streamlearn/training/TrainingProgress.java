package dev.streamlearn.training;

import dev.streamlearn.model.ModelSnapshot;

/**
 * How far one model has learnt: examples and batches, refused updates, the newest event time and
 * the Kafka offsets in its versions, and since its last stored version the loss of what it learnt
 * (the version's own record of health) and when that version was stored.
 */
final class TrainingProgress {

    long examplesTrained;
    long batchesApplied;
    long updatesRefused;
    long eventTimeThrough;
    /** Per labeled-topic partition: the offset of the last record in a version; -1 none. */
    long[] trainedOffsets = new long[0];

    long lastStoredAtMillis = Long.MIN_VALUE / 2;
    private double lossSinceStored;
    private long examplesSinceStored;

    /** An example learnt, with the loss of its prequential score. */
    void learnt(double loss) {
        examplesTrained++;
        if (Double.isFinite(loss)) {
            lossSinceStored += loss;
            examplesSinceStored++;
        }
    }

    /** The open batch became a version. */
    void applied(OpenBatch batch) {
        batchesApplied++;
        eventTimeThrough = Math.max(eventTimeThrough, batch.eventTime);
        for (int p = 0; p < batch.offsets.length; p++) {
            trainedOffsets = OpenBatch.withPartition(trainedOffsets, p);
            trainedOffsets[p] = Math.max(trainedOffsets[p], batch.offsets[p]);
        }
    }

    /** The current version was stored now. */
    void stored(long nowMillis) {
        lastStoredAtMillis = nowMillis;
        lossSinceStored = 0;
        examplesSinceStored = 0;
    }

    /** The mean loss of the examples learnt since the last stored version (NaN when none). */
    double lossSinceStored() {
        return examplesSinceStored == 0 ? Double.NaN : lossSinceStored / examplesSinceStored;
    }

    void writeTo(ModelSnapshot s) {
        s.examplesTrained = examplesTrained;
        s.batchesApplied = batchesApplied;
        s.updatesRefused = updatesRefused;
        s.eventTimeThrough = eventTimeThrough;
        s.trainedOffsets = trainedOffsets.clone();
        s.lastStoredAtMillis = lastStoredAtMillis;
        s.lossSinceStored = lossSinceStored;
        s.examplesSinceStored = examplesSinceStored;
    }

    void readFrom(ModelSnapshot s) {
        examplesTrained = s.examplesTrained;
        batchesApplied = s.batchesApplied;
        updatesRefused = s.updatesRefused;
        eventTimeThrough = s.eventTimeThrough;
        trainedOffsets = s.trainedOffsets == null ? new long[0] : s.trainedOffsets.clone();
        lastStoredAtMillis = s.lastStoredAtMillis;
        lossSinceStored = s.lossSinceStored;
        examplesSinceStored = s.examplesSinceStored;
    }
}
