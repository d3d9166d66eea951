package dev.streamlearn.training;

/**
 * AdaGrad (Duchi, Hazan, Singer 2011): a per-coordinate rate {@code eta / sqrt(sum g^2)}, with
 * L2 as a gradient term and L1 as a proximal (soft-threshold) step.
 */
public final class AdaGrad implements Optimizer {

    private static final double EPSILON = 1e-8;

    private final double eta;
    private final double l1;
    private final double l2;
    private final double[] squaredGradients;
    private final int biasIndex;
    private long steps;

    /** @param biasIndex the coordinate of the bias, which is not regularized */
    public AdaGrad(int dimension, int biasIndex, double eta, double l1, double l2) {
        this.biasIndex = biasIndex;
        this.eta = eta;
        this.l1 = l1;
        this.l2 = l2;
        this.squaredGradients = new double[dimension];
    }

    @Override
    public void update(int[] coords, double[] gradients, int count, int batchExamples, double[] weights) {
        for (int k = 0; k < count; k++) {
            int i = coords[k];
            boolean regularized = i != biasIndex;
            double g = gradients[i] + (regularized ? l2 * weights[i] : 0.0);
            squaredGradients[i] += g * g;
            double rate = eta / (Math.sqrt(squaredGradients[i]) + EPSILON);
            double w = weights[i] - rate * g;
            weights[i] = regularized ? Proximal.softThreshold(w, rate * l1) : w;
        }
        steps++;
    }

    @Override
    public double[][] state() {
        return new double[][] {squaredGradients};
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
