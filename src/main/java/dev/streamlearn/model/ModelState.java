package dev.streamlearn.model;

import dev.streamlearn.features.ScalerState;

/**
 * What a model has learnt, sparse: the weights and the optimizer's per-coordinate state at every
 * coordinate where any of them is non-zero, the optimizer's step count, and the statistics that
 * scale numeric features and the label. Enough to continue learning exactly where it stopped.
 */
public class ModelState {
    /** Ascending coordinates. */
    public int[] coords;

    public double[] weights;
    /** The optimizer's state arrays at {@code coords}, one after the other. */
    public double[] optimizerState;

    public int optimizerArrays;
    public long optimizerSteps;
    /** The optimizer's state that is not per coordinate (recursive least squares: its inverse covariance). */
    public double[] optimizerGlobal;

    public ScalerState scale;
    /** How its margins are served, when it learns from fake negatives; null: as they are. */
    public Calibration calibration;

    public ModelState() {}

    public int nonZeroWeights() {
        int n = 0;
        for (double w : weights) {
            if (w != 0.0) {
                n++;
            }
        }
        return n;
    }
}
