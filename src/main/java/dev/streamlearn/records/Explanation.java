package dev.streamlearn.records;

/**
 * Why a prediction scored what it did: the bias and, per feature, its value as the model saw it
 * (1 for a categorical, the scaled value for a numeric one), its weight and their product, its
 * contribution to the margin. The margin is the bias plus the contributions; a calibrated model
 * serves {@code calibrationSlope * margin + calibrationOffset} instead.
 */
public class Explanation {
    public double bias;
    public String[] names;
    /** The value as the request had it; NaN for a categorical. */
    public double[] raw;

    public double[] values;
    public double[] weights;
    public double[] contributions;
    /** The model's calibration, when it has one; NaN (and 0) when its margins are served as they are. */
    public double calibrationSlope = Double.NaN;

    public double calibrationOffset;

    public Explanation() {}
}
