package dev.streamlearn.model;

/** The non-zero entries of a dense weight vector, in ascending coordinate order. */
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

    /** The non-zero entries of {@code dense}. */
    public static SparseWeights of(double[] dense) {
        int n = 0;
        for (double v : dense) {
            if (v != 0.0) {
                n++;
            }
        }
        int[] coords = new int[n];
        double[] values = new double[n];
        int k = 0;
        for (int i = 0; i < dense.length; i++) {
            if (dense[i] != 0.0) {
                coords[k] = i;
                values[k++] = dense[i];
            }
        }
        return new SparseWeights(coords, values);
    }
}
