package dev.streamlearn.training;

import dev.streamlearn.model.ModelSnapshot;
import java.util.Arrays;

/**
 * The examples learnt since the last version: how many, when the first and the newest arrived,
 * their newest event time and, per partition of the labeled topic, their largest offset. The
 * examples themselves are already in the weights; closing the batch makes them a version.
 */
final class OpenBatch {

    int size;
    long openedAtMillis;
    long newestMillis;
    long eventTime;
    /** Per partition, the largest offset of the batch; -1: none from it. */
    long[] offsets = new long[0];

    void add(long exampleEventTime, int partition, long offset, long nowMillis) {
        if (size == 0) {
            openedAtMillis = nowMillis;
        }
        size++;
        newestMillis = nowMillis;
        eventTime = Math.max(eventTime, exampleEventTime);
        if (partition >= 0) {
            offsets = withPartition(offsets, partition);
            offsets[partition] = Math.max(offsets[partition], offset);
        }
    }

    void clear() {
        size = 0;
        eventTime = 0;
        offsets = new long[0];
    }

    void writeTo(ModelSnapshot s) {
        s.openBatchSize = size;
        s.openBatchOpenedAtMillis = openedAtMillis;
        s.openBatchNewestMillis = newestMillis;
        s.openBatchEventTime = eventTime;
        s.openBatchOffsets = offsets.clone();
    }

    void readFrom(ModelSnapshot s) {
        size = s.openBatchSize;
        openedAtMillis = s.openBatchOpenedAtMillis;
        newestMillis = s.openBatchNewestMillis;
        eventTime = s.openBatchEventTime;
        offsets = s.openBatchOffsets == null ? new long[0] : s.openBatchOffsets.clone();
    }

    /** {@code offsets} with room for {@code partition}, new partitions at -1. */
    static long[] withPartition(long[] offsets, int partition) {
        if (partition < offsets.length) {
            return offsets;
        }
        long[] grown = Arrays.copyOf(offsets, partition + 1);
        Arrays.fill(grown, offsets.length, grown.length, -1L);
        return grown;
    }
}
