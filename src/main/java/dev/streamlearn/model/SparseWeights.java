package dev.streamlearn.model;

/** The non-zero weights of a model, in ascending coordinate order. */
public final class SparseWeights {

    public final int[] coords;
    public final double[] values;

    private SparseWeights(int[] coords, double[] values) {
        this.coords = coords;
        this.values = values;
    }

    public static SparseWeights of(int[] coords, double[] values) {
        return new SparseWeights(coords, values);
    }
}
