package dev.streamlearn.features;

/**
 * Entries of a {@link NumericScaler} as plain arrays, for checkpoints, model files and the
 * updates sent to inference: per key (a numeric feature's coordinate, or
 * {@link NumericScaler#LABEL}) the observations counted (up to the horizon), mean and variance;
 * and the scaler's settings, so that whoever serves the entries transforms values as the learner
 * that made them did (learners of one model may log-transform different features).
 */
public class ScalerState {
    public int[] keys;
    public double[] counts;
    public double[] means;
    public double[] variances;
    /** The settings; {@code clip} 0 in states from before they were kept. */
    public double clip;

    public double horizon;
    public boolean logAll;
    public int[] logKeys;

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

    /** Whether the state says how its values are transformed (states from before that do not). */
    public boolean hasSettings() {
        return clip > 0;
    }

    public int size() {
        return keys == null ? 0 : keys.length;
    }
}
