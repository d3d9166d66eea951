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
    private long steps;

    public AdaGrad(int dimension, double eta, double l1, double l2) {
        this.eta = eta;
        this.l1 = l1;
        this.l2 = l2;
        this.squaredGradients = new double[dimension];
    }

    @Override
    public void update(int[] coords, double[] gradients, int count, int batchExamples, double[] weights) {
        for (int k = 0; k < count; k++) {
            int i = coords[k];
            double g = gradients[i] + l2 * weights[i];
            squaredGradients[i] += g * g;
            double rate = eta / (Math.sqrt(squaredGradients[i]) + EPSILON);
            weights[i] = Proximal.softThreshold(weights[i] - rate * g, rate * l1);
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
