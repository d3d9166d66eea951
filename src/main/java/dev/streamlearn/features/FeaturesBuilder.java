package dev.streamlearn.features;

import dev.streamlearn.records.Features;
import java.util.Arrays;

/**
 * Collects the hashed features of one event into primitive arrays. Reused across records by one
 * parser, so that featurizing allocates only the result arrays.
 */
public final class FeaturesBuilder {

    private final FeatureHasher hasher;
    private int[] categorical = new int[32];
    private int categoricalCount;
    private int[] numeric = new int[16];
    private double[] numericValues = new double[16];
    private int numericCount;

    public FeaturesBuilder(FeatureHasher hasher) {
        this.hasher = hasher;
    }

    public FeaturesBuilder reset() {
        categoricalCount = 0;
        numericCount = 0;
        return this;
    }

    public void categorical(CharSequence name, CharSequence value) {
        if (categoricalCount == categorical.length) {
            categorical = Arrays.copyOf(categorical, categoricalCount * 2);
        }
        categorical[categoricalCount++] = hasher.categoricalIndex(name, value);
    }

    /** A numeric feature; zero is a value like any other (the model's scaling moves it). */
    public void numeric(String name, double value) {
        if (numericCount == numeric.length) {
            numeric = Arrays.copyOf(numeric, numericCount * 2);
            numericValues = Arrays.copyOf(numericValues, numericCount * 2);
        }
        numeric[numericCount] = hasher.numericIndex(name);
        numericValues[numericCount++] = value;
    }

    public int size() {
        return categoricalCount + numericCount;
    }

    public Features build() {
        return new Features(
                Arrays.copyOf(categorical, categoricalCount),
                Arrays.copyOf(numeric, numericCount),
                Arrays.copyOf(numericValues, numericCount));
    }
}
