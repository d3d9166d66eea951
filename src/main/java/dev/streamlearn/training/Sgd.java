package dev.streamlearn.training;

import dev.streamlearn.model.TableColumns;

/**
 * SGD, one example at a time, with a rate that decays as {@code eta / sqrt(1 + t)} over examples
 * t, the schedule under which SGD converges on convex losses; with forgetting, t stops growing
 * at the horizon, so the rate keeps a floor and the model follows a changing world. L2 is a
 * gradient term, L1 a proximal step. Only the coordinates of an example are regularized (lazy
 * regularization, as sparse learners do). The table holds only the weights.
 */
public final class Sgd extends TableOptimizer {

    private final double eta;
    private final double l1;
    private final double l2;
    private final double horizon;
    private final int biasIndex;

    /**
     * @param biasIndex the coordinate of the bias, which is not regularized
     * @param horizon the step after which the rate stops falling (positive infinity: never)
     */
    /** Numbers per coordinate: the weight alone. */
    static final int WIDTH = 1;

    public Sgd(int dimension, int biasIndex, double eta, double l1, double l2, double horizon) {
        this(TableColumns.own(dimension, WIDTH), biasIndex, eta, l1, l2, horizon);
    }

    /** In the given columns, of {@link #WIDTH} numbers. */
    Sgd(TableColumns columns, int biasIndex, double eta, double l1, double l2, double horizon) {
        super(columns);
        this.biasIndex = biasIndex;
        this.eta = eta;
        this.l1 = l1;
        this.l2 = l2;
        this.horizon = horizon;
    }

    double rate() {
        return eta / Math.sqrt(1.0 + Math.min((double) steps, horizon));
    }

    @Override
    public void step(int[] coords, int[] rows, double[] values, int count, double lossSlope, double weight) {
        double rate = rate();
        double[] w = table.values();
        for (int k = 0; k < count; k++) {
            int i = coords[k];
            int r = at(rows[k]);
            boolean regularized = i != biasIndex;
            double g = lossSlope * values[k] + (regularized ? l2 * w[r] : 0.0);
            double stepped = w[r] - rate * g;
            w[r] = regularized ? Proximal.softThreshold(stepped, rate * l1) : stepped;
        }
        steps++;
    }

    @Override
    public void seed() {
        // the weights are the state: nothing else to set
    }
}
