package dev.streamlearn.features;

/**
 * Entries of a {@link NumericScaler} as plain arrays, for checkpoints, model files and the
 * updates sent to inference: per key (a numeric feature's coordinate, or
 * {@link NumericScaler#LABEL}) the observations counted (up to the horizon), mean and variance.
 */
public class ScalerState {
    public int[] keys;
    public double[] counts;
    public double[] means;
    public double[] variances;

    public ScalerState() {}

    public ScalerState(int[] keys, double[] counts, double[] means, double[] variances) {
        this.keys = keys;
        this.counts = counts;
        this.means = means;
        this.variances = variances;
    }

    public static ScalerState empty() {
        return new ScalerState(new int[0], new double[0], new double[0], new double[0]);
    }

    public int size() {
        return keys == null ? 0 : keys.length;
    }
}
