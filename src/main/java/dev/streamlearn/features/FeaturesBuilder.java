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
        addCategorical(hasher.categoricalIndex(name, value));
    }

    /** The hash of the categorical {@code name=value}, its name and value ranges of UTF-8. */
    public static int categoricalHash(
            byte[] name, int nameStart, int nameLength, byte[] value, int valueStart, int valueLength) {
        return MurmurHash3.hash(
                name, nameStart, nameLength, (byte) '=', value, valueStart, valueLength, FeatureHasher.SEED);
    }

    /** The hash of the numeric feature named by a range of UTF-8 {@code bytes}. */
    public static int numericHash(byte[] bytes, int nameStart, int nameLength) {
        return MurmurHash3.hash(bytes, nameStart, nameLength, FeatureHasher.SEED);
    }

    /** A categorical feature (value 1) of a {@link MurmurHash3} hash with {@link FeatureHasher#SEED}. */
    public void categoricalOfHash(int hash) {
        addCategorical(hasher.index(hash));
    }

    /** A numeric feature of a {@link MurmurHash3} hash with {@link FeatureHasher#SEED}. */
    public void numericOfHash(int hash, double value) {
        addNumeric(hasher.index(hash), value);
    }

    /** A categorical feature cross (value 1) of a hash, in the crosses' space ({@link FeatureHasher#crossIndex}). */
    public void crossOfHash(int hash) {
        addCategorical(hasher.crossIndex(hash));
    }

    /** A numeric feature cross of a hash, in the crosses' space. */
    public void numericCrossOfHash(int hash, double value) {
        addNumeric(hasher.crossIndex(hash), value);
    }

    /** A numeric feature; zero is a value like any other (the model's scaling moves it). */
    public void numeric(String name, double value) {
        addNumeric(hasher.numericIndex(name), value);
    }

    private void addCategorical(int index) {
        if (categoricalCount == categorical.length) {
            categorical = Arrays.copyOf(categorical, categoricalCount * 2);
        }
        categorical[categoricalCount++] = index;
    }

    private void addNumeric(int index, double value) {
        if (numericCount == numeric.length) {
            numeric = Arrays.copyOf(numeric, numericCount * 2);
            numericValues = Arrays.copyOf(numericValues, numericCount * 2);
        }
        numeric[numericCount] = index;
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
