package dev.streamlearn.training;

/**
 * Mini-batch SGD on the batch's mean gradient with a rate that decays as
 * {@code eta / sqrt(1 + t)} over updates t, the schedule under which SGD converges on convex
 * losses. L2 is a gradient term, L1 a proximal step. Only touched coordinates are regularized
 * (lazy regularization, as sparse learners do).
 */
public final class Sgd implements Optimizer {

    private final double eta;
    private final double l1;
    private final double l2;
    private final int biasIndex;
    private long steps;

    /** @param biasIndex the coordinate of the bias, which is not regularized */
    public Sgd(int biasIndex, double eta, double l1, double l2) {
        this.biasIndex = biasIndex;
        this.eta = eta;
        this.l1 = l1;
        this.l2 = l2;
    }

    public double rate() {
        return eta / Math.sqrt(1.0 + steps);
    }

    @Override
    public void update(int[] coords, double[] gradients, int count, int batchExamples, double[] weights) {
        double rate = rate();
        double scale = 1.0 / Math.max(1, batchExamples);
        for (int k = 0; k < count; k++) {
            int i = coords[k];
            boolean regularized = i != biasIndex;
            double g = gradients[i] * scale + (regularized ? l2 * weights[i] : 0.0);
            double w = weights[i] - rate * g;
            weights[i] = regularized ? Proximal.softThreshold(w, rate * l1) : w;
        }
        steps++;
    }

    @Override
    public double[][] state() {
        return new double[0][];
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
