package dev.streamlearn.testing;

import dev.streamlearn.records.Example;
import dev.streamlearn.records.Features;

/** Examples for tests. */
public final class Examples {

    private Examples() {}

    /** An example with categorical features only. */
    public static Example categorical(double label, int... coordinates) {
        return new Example("m", null, 0L, label, 1.0, Features.categorical(coordinates));
    }

    /** An example with numeric features only. */
    public static Example numeric(double label, int[] coordinates, double[] values) {
        return new Example("m", null, 0L, label, 1.0, new Features(new int[0], coordinates, values));
    }

    /** The same example, as if read at an offset of a partition of the labeled topic, at an event time. */
    public static Example at(Example e, long ts, int partition, long offset) {
        e.ts = ts;
        e.partition = partition;
        e.offset = offset;
        return e;
    }
}
