package dev.streamlearn.model;

import dev.streamlearn.features.ScalerState;

/** Whether numbers a model is made of are all finite: what makes a version fit to serve. */
public final class Finite {

    private Finite() {}

    public static boolean all(double[]... arrays) {
        for (double[] a : arrays) {
            if (a == null) {
                continue;
            }
            for (double v : a) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    public static boolean all(ScalerState s) {
        return s == null || all(s.counts, s.means, s.variances);
    }

    /** Weights, optimizer state (per coordinate and global), scaling and calibration. */
    public static boolean all(ModelState s) {
        return s == null
                || (all(s.weights, s.optimizerState, s.optimizerGlobal)
                        && all(s.scale)
                        && (s.calibration == null || s.calibration.isFinite()));
    }
}
