package dev.streamlearn.training;

import dev.streamlearn.model.PendingBatch;
import java.util.Arrays;

/** The examples gathered for the next update, in growable flat primitive arrays. */
final class MiniBatch {

    private int[] offsets = new int[65];
    private int[] indices = new int[1024];
    private double[] values = new double[1024];
    private double[] labels = new double[64];
    private double[] weights = new double[64];
    private int size;
    private long openedAtMillis;
    private long newestExampleMillis;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    long openedAtMillis() {
        return openedAtMillis;
    }

    long newestExampleMillis() {
        return newestExampleMillis;
    }

    void add(int[] exampleIndices, double[] exampleValues, double label, double weight, long nowMillis) {
        if (size == 0) {
            openedAtMillis = nowMillis;
        }
        newestExampleMillis = nowMillis;
        if (size + 1 == labels.length) {
            labels = Arrays.copyOf(labels, labels.length * 2);
            weights = Arrays.copyOf(weights, weights.length * 2);
            offsets = Arrays.copyOf(offsets, offsets.length * 2);
        }
        int start = offsets[size];
        int end = start + exampleIndices.length;
        if (end > indices.length) {
            int capacity = Math.max(end, indices.length * 2);
            indices = Arrays.copyOf(indices, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        System.arraycopy(exampleIndices, 0, indices, start, exampleIndices.length);
        System.arraycopy(exampleValues, 0, values, start, exampleValues.length);
        labels[size] = label;
        weights[size] = weight;
        offsets[++size] = end;
    }

    int start(int example) {
        return offsets[example];
    }

    int end(int example) {
        return offsets[example + 1];
    }

    int index(int position) {
        return indices[position];
    }

    double value(int position) {
        return values[position];
    }

    double label(int example) {
        return labels[example];
    }

    double weight(int example) {
        return weights[example];
    }

    void clear() {
        size = 0;
    }

    PendingBatch toPending() {
        PendingBatch p = new PendingBatch();
        p.size = size;
        p.offsets = Arrays.copyOf(offsets, size + 1);
        p.indices = Arrays.copyOf(indices, offsets[size]);
        p.values = Arrays.copyOf(values, offsets[size]);
        p.labels = Arrays.copyOf(labels, size);
        p.weights = Arrays.copyOf(weights, size);
        p.openedAtMillis = openedAtMillis;
        p.newestExampleMillis = newestExampleMillis;
        return p;
    }

    void restore(PendingBatch p) {
        clear();
        if (p == null) {
            return;
        }
        for (int k = 0; k < p.size; k++) {
            int from = p.offsets[k];
            int to = p.offsets[k + 1];
            add(Arrays.copyOfRange(p.indices, from, to), Arrays.copyOfRange(p.values, from, to), p.labels[k],
                    p.weights[k], p.newestExampleMillis);
        }
        openedAtMillis = p.openedAtMillis;
        newestExampleMillis = p.newestExampleMillis;
    }
}
