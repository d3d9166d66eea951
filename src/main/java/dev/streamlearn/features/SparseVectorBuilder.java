package dev.streamlearn.features;

import java.util.Arrays;

/**
 * Collects the hashed coordinates of one example into primitive arrays, bias first. Reused
 * across records by one parser so that featurizing allocates only the two result arrays.
 */
public final class SparseVectorBuilder {

    private final FeatureHasher hasher;
    private int[] indices = new int[32];
    private double[] values = new double[32];
    private int size;

    public SparseVectorBuilder(FeatureHasher hasher) {
        this.hasher = hasher;
    }

    public SparseVectorBuilder reset() {
        size = 0;
        append(hasher.biasIndex(), 1.0);
        return this;
    }

    public void categorical(String name, String value) {
        append(hasher.categoricalIndex(name, value), 1.0);
    }

    public void numeric(String name, double value) {
        if (value != 0.0) {
            append(hasher.numericIndex(name), value);
        }
    }

    public int[] indices() {
        return Arrays.copyOf(indices, size);
    }

    public double[] values() {
        return Arrays.copyOf(values, size);
    }

    private void append(int index, double value) {
        if (size == indices.length) {
            indices = Arrays.copyOf(indices, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        indices[size] = index;
        values[size] = value;
        size++;
    }
}
