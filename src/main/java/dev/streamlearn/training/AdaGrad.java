package dev.streamlearn.training;

import dev.streamlearn.model.TableColumns;

/**
 * AdaGrad (Duchi, Hazan, Singer 2011), one example at a time: a per-coordinate rate
 * {@code eta / sqrt(sum g^2)}, with L2 as a gradient term and L1 as a proximal (soft-threshold)
 * step. With forgetting ({@code decay < 1}) the sum of squares shrinks by {@code decay} at each
 * update of its coordinate (as RMSProp does), so the rate stays up for a drifting world. The
 * table holds the weight and the sum of squares per coordinate.
 */
public final class AdaGrad extends TableOptimizer {

    private static final double EPSILON = 1e-8;
    /** Numbers per coordinate: the weight and the sum of squares. */
    static final int WIDTH = 2;

    private final double eta;
    private final double l1;
    private final double l2;
    private final double decay;
    private final int biasIndex;

    /** @param biasIndex the coordinate of the bias, which is not regularized */
    public AdaGrad(int dimension, int biasIndex, double eta, double l1, double l2, double decay) {
        this(TableColumns.own(dimension, WIDTH), biasIndex, eta, l1, l2, decay);
    }

    /** In the given columns, of {@link #WIDTH} numbers. */
    AdaGrad(TableColumns columns, int biasIndex, double eta, double l1, double l2, double decay) {
        super(columns);
        this.biasIndex = biasIndex;
        this.eta = eta;
        this.l1 = l1;
        this.l2 = l2;
        this.decay = decay;
    }

    @Override
    public void step(int[] coords, int[] rows, double[] values, int count, double lossSlope, double weight) {
        double[] t = table.values();
        for (int k = 0; k < count; k++) {
            int i = coords[k];
            int at = at(rows[k]);
            boolean regularized = i != biasIndex;
            double w = t[at];
            double g = lossSlope * values[k] + (regularized ? l2 * w : 0.0);
            double squares = decay * t[at + 1] + g * g;
            double rate = eta / (Math.sqrt(squares) + EPSILON);
            double stepped = w - rate * g;
            t[at] = regularized ? Proximal.softThreshold(stepped, rate * l1) : stepped;
            t[at + 1] = squares;
        }
        steps++;
    }

    @Override
    public void seed() {
        // the weights are the state: nothing else to set
    }
}
