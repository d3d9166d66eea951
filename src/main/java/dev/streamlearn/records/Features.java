package dev.streamlearn.records;

/**
 * The hashed features of one event. Categorical features ({@code name=value}) are coordinates
 * whose value is 1; numeric features are coordinates with the value as the event had it, before
 * the model's scaling. The bias is implicit: every model adds it.
 */
public class Features {
    public int[] categorical;
    public int[] numeric;
    public double[] numericValues;

    public Features() {}

    public Features(int[] categorical, int[] numeric, double[] numericValues) {
        this.categorical = categorical;
        this.numeric = numeric;
        this.numericValues = numericValues;
    }

    /** Only categorical features. */
    public static Features categorical(int... coordinates) {
        return new Features(coordinates, new int[0], new double[0]);
    }

    public int size() {
        return categorical.length + numeric.length;
    }
}
