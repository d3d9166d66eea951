package dev.streamlearn.evaluation;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.records.Features;
import java.util.HashMap;
import java.util.Map;

/**
 * A textbook learner to judge the job's against, written apart from it on purpose: per-example
 * FTRL-Proximal for logistic loss as in McMahan et al. 2013, Algorithm 1 (alpha 0.1, beta 1,
 * L1 1, L2 1, weights computed lazily from z and n), with numeric features standardized online
 * by Welford's mean and variance of the values before each one. Same hashed features as the job.
 */
final class ReferenceFtrl {

    private static final double ALPHA = 0.1;
    private static final double BETA = 1.0;
    private static final double L1 = 1.0;
    private static final double L2 = 1.0;

    private final Map<Integer, double[]> zn = new HashMap<>(); // coordinate -> {z, n}
    private final Map<Integer, double[]> stats = new HashMap<>(); // numeric coordinate -> {count, mean, m2}

    /** Scores, then learns; returns the score made before learning. */
    double learn(Features f, double label) {
        int size = f.categorical.length + f.numeric.length + 1;
        int[] coords = new int[size];
        double[] x = new double[size];
        coords[0] = -1; // the bias
        x[0] = 1;
        for (int k = 0; k < f.categorical.length; k++) {
            coords[k + 1] = f.categorical[k];
            x[k + 1] = 1;
        }
        for (int k = 0; k < f.numeric.length; k++) {
            int at = f.categorical.length + 1 + k;
            coords[at] = f.numeric[k];
            double[] s = stats.computeIfAbsent(f.numeric[k], c -> new double[3]);
            double std = s[0] > 1 ? Math.sqrt(s[2] / (s[0] - 1)) : 0;
            x[at] = std > 0 ? (f.numericValues[k] - s[1]) / std : 0;
            s[0]++;
            double delta = f.numericValues[k] - s[1];
            s[1] += delta / s[0];
            s[2] += delta * (f.numericValues[k] - s[1]);
        }
        double margin = 0;
        double[] w = new double[size];
        for (int k = 0; k < size; k++) {
            double[] s = zn.computeIfAbsent(coords[k], c -> new double[2]);
            double l1 = coords[k] < 0 ? 0 : L1;
            double l2 = coords[k] < 0 ? 0 : L2;
            w[k] = Math.abs(s[0]) <= l1
                    ? 0
                    : -(s[0] - Math.signum(s[0]) * l1) / ((BETA + Math.sqrt(s[1])) / ALPHA + l2);
            margin += w[k] * x[k];
        }
        double p = Loss.LOGISTIC.predict(margin);
        for (int k = 0; k < size; k++) {
            double[] s = zn.get(coords[k]);
            double g = (p - label) * x[k];
            double sigma = (Math.sqrt(s[1] + g * g) - Math.sqrt(s[1])) / ALPHA;
            s[0] += g - sigma * w[k];
            s[1] += g * g;
        }
        return p;
    }
}
