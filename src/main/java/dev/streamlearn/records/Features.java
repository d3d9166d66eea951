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

    /** The features whose coordinates are below the limit: itself when all are, else a copy. */
    public Features below(int limit) {
        int categoricalBelow = 0;
        for (int c : categorical) {
            categoricalBelow += c < limit ? 1 : 0;
        }
        int numericBelow = 0;
        for (int c : numeric) {
            numericBelow += c < limit ? 1 : 0;
        }
        if (categoricalBelow == categorical.length && numericBelow == numeric.length) {
            return this;
        }
        int[] keptCategorical = new int[categoricalBelow];
        for (int k = 0, at = 0; k < categorical.length; k++) {
            if (categorical[k] < limit) {
                keptCategorical[at++] = categorical[k];
            }
        }
        int[] keptNumeric = new int[numericBelow];
        double[] keptValues = new double[numericBelow];
        for (int k = 0, at = 0; k < numeric.length; k++) {
            if (numeric[k] < limit) {
                keptNumeric[at] = numeric[k];
                keptValues[at++] = numericValues[k];
            }
        }
        return new Features(keptCategorical, keptNumeric, keptValues);
    }
}
