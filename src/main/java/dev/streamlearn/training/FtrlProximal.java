package dev.streamlearn.training;

import dev.streamlearn.model.TableColumns;

/**
 * FTRL-Proximal with per-coordinate learning rates (McMahan et al., "Ad Click Prediction: a
 * View from the Trenches", KDD 2013, Algorithm 1), one example at a time. Weights are the
 * closed-form solution of the regularized problem from the accumulators z and n, so L1 gives
 * exact zeros. The table holds w, z and the square root of n per coordinate (the root is what
 * the update and the closed form use, so keeping it saves a square root per coordinate).
 *
 * <p>With forgetting ({@code decay < 1}), each time a coordinate is updated its accumulated
 * squared gradients shrink by {@code decay} first, so its learning rate does not fall to zero
 * and the model keeps following a changing world; z is moved with n so that the weight itself
 * does not jump.
 */
public final class FtrlProximal extends TableOptimizer {

    /** Numbers per coordinate: w, z and the root of n. */
    static final int WIDTH = 3;

    private final double inverseAlpha;
    private final double beta;
    private final double l1;
    private final double l2;
    private final double decay;
    private final double rootDecay;
    private final int biasIndex;

    /**
     * @param biasIndex the coordinate of the bias, which is not regularized
     * @param decay the factor by which a coordinate's accumulators shrink per update; 1: no forgetting
     */
    public FtrlProximal(int dimension, int biasIndex, double alpha, double beta, double l1, double l2, double decay) {
        this(TableColumns.own(dimension, WIDTH), biasIndex, alpha, beta, l1, l2, decay);
    }

    /** In the given columns, of {@link #WIDTH} numbers. */
    FtrlProximal(TableColumns columns, int biasIndex, double alpha, double beta, double l1, double l2, double decay) {
        super(columns);
        this.biasIndex = biasIndex;
        this.inverseAlpha = 1.0 / alpha;
        this.beta = beta;
        this.l1 = l1;
        this.l2 = l2;
        this.decay = decay;
        this.rootDecay = Math.sqrt(decay);
    }

    @Override
    public void step(int[] coords, int[] rows, double[] values, int count, double lossSlope, double weight) {
        double[] t = table.values();
        for (int k = 0; k < count; k++) {
            int i = coords[k];
            int at = at(rows[k]);
            double g = lossSlope * values[k];
            boolean bias = i == biasIndex;
            double l1i = bias ? 0.0 : l1;
            double l2i = bias ? 0.0 : l2;
            double w = t[at];
            double z = t[at + 1];
            double rootOld = t[at + 2];
            if (decay < 1.0) {
                rootOld *= rootDecay;
                z = w == 0.0 ? z * decay : centerFor(w, rootOld, l1i, l2i);
            }
            double rootNew = Math.sqrt(rootOld * rootOld + g * g);
            double sigma = (rootNew - rootOld) * inverseAlpha;
            z += g - sigma * w;
            t[at] = closedForm(z, rootNew, l1i, l2i);
            t[at + 1] = z;
            t[at + 2] = rootNew;
        }
        steps++;
    }

    /** The closed form of the paper: 0 inside the L1 ball, else the shrunk, scaled z. */
    double weight(double zi, double ni, double l1, double l2) {
        return closedForm(zi, Math.sqrt(ni), l1, l2);
    }

    private double closedForm(double z, double rootN, double l1, double l2) {
        return Math.abs(z) <= l1 ? 0.0 : -(z - Math.copySign(l1, z)) / ((beta + rootN) * inverseAlpha + l2);
    }

    /** The z for which the closed form gives {@code w} at accumulator root {@code rootN} (its inverse). */
    private double centerFor(double w, double rootN, double l1, double l2) {
        return -w * ((beta + rootN) * inverseAlpha + l2) - Math.copySign(l1, w);
    }

    @Override
    public void seed() {
        double[] t = table.values();
        for (int i : table.coordinates()) {
            int at = at(table.rowOf(i));
            if (t[at] != 0.0) {
                boolean bias = i == biasIndex;
                t[at + 1] = centerFor(t[at], t[at + 2], bias ? 0.0 : l1, bias ? 0.0 : l2);
            }
        }
    }
}
