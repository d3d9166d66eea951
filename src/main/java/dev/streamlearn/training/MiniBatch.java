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
    private double[] scaleMeans = new double[64];
    private double[] scaleStds = new double[64];
    private double[] baselines = new double[64];
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

    void add(int[] exampleIndices, double[] exampleValues, double label, double weight, double scaleMean,
            double scaleStd, double baseline, long nowMillis) {
        if (size == 0) {
            openedAtMillis = nowMillis;
        }
        newestExampleMillis = nowMillis;
        if (size + 1 == labels.length) {
            labels = Arrays.copyOf(labels, labels.length * 2);
            weights = Arrays.copyOf(weights, weights.length * 2);
            scaleMeans = Arrays.copyOf(scaleMeans, scaleMeans.length * 2);
            scaleStds = Arrays.copyOf(scaleStds, scaleStds.length * 2);
            baselines = Arrays.copyOf(baselines, baselines.length * 2);
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
        scaleMeans[size] = scaleMean;
        scaleStds[size] = scaleStd;
        baselines[size] = baseline;
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

    double scaleMean(int example) {
        return scaleMeans[example];
    }

    double scaleStd(int example) {
        return scaleStds[example];
    }

    double baseline(int example) {
        return baselines[example];
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
        p.scaleMeans = Arrays.copyOf(scaleMeans, size);
        p.scaleStds = Arrays.copyOf(scaleStds, size);
        p.baselines = Arrays.copyOf(baselines, size);
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
                    p.weights[k], p.scaleMeans == null ? 0 : p.scaleMeans[k], p.scaleStds == null ? 0 : p.scaleStds[k],
                    p.baselines == null ? Double.NaN : p.baselines[k], p.newestExampleMillis);
        }
        openedAtMillis = p.openedAtMillis;
        newestExampleMillis = p.newestExampleMillis;
    }
}
