package dev.streamlearn.records;

/**
 * The names of a request's features, in the order of its {@link Features}' arrays: what a request
 * that asks for its explanation carries, so its prediction can say which feature did what.
 */
public class FeatureNames {
    /** {@code name=value} of each categorical feature. */
    public String[] categorical;
    /** The name of each numeric feature, entity features included. */
    public String[] numeric;

    public FeatureNames() {}

    public FeatureNames(String[] categorical, String[] numeric) {
        this.categorical = categorical;
        this.numeric = numeric;
    }
}
