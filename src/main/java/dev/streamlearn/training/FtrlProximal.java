package dev.streamlearn.training;

/**
 * FTRL-Proximal with per-coordinate learning rates (McMahan et al., "Ad Click Prediction: a
 * View from the Trenches", KDD 2013, Algorithm 1). Weights are the closed-form solution of
 * the regularized problem from the accumulators z and n, so L1 gives exact zeros.
 */
public final class FtrlProximal implements Optimizer {

    private final double alpha;
    private final double beta;
    private final double l1;
    private final double l2;
    private final double[] z;
    private final double[] n;
    private final int biasIndex;
    private long steps;

    /** @param biasIndex the coordinate of the bias, which is not regularized */
    public FtrlProximal(int dimension, int biasIndex, double alpha, double beta, double l1, double l2) {
        this.biasIndex = biasIndex;
        this.alpha = alpha;
        this.beta = beta;
        this.l1 = l1;
        this.l2 = l2;
        this.z = new double[dimension];
        this.n = new double[dimension];
    }

    @Override
    public void update(int[] coords, double[] gradients, int count, int batchExamples, double[] weights) {
        for (int k = 0; k < count; k++) {
            int i = coords[k];
            double g = gradients[i];
            double nOld = n[i];
            double nNew = nOld + g * g;
            double sigma = (Math.sqrt(nNew) - Math.sqrt(nOld)) / alpha;
            z[i] += g - sigma * weights[i];
            n[i] = nNew;
            weights[i] = i == biasIndex ? weight(z[i], nNew, 0.0, 0.0) : weight(z[i], nNew, l1, l2);
        }
        steps++;
    }

    /** The closed form of the paper: 0 inside the L1 ball, else the shrunk, scaled z. */
    double weight(double zi, double ni, double l1, double l2) {
        if (Math.abs(zi) <= l1) {
            return 0.0;
        }
        return -(zi - Math.signum(zi) * l1) / ((beta + Math.sqrt(ni)) / alpha + l2);
    }

    @Override
    public double[][] state() {
        return new double[][] {z, n};
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void restoreSteps(long steps) {
        this.steps = steps;
    }
}
