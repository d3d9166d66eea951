package dev.streamlearn.training;

import dev.streamlearn.model.TableColumns;

/**
 * Learns from one example at a time: applies the example's gradient to the weights of the
 * coordinates it has. The optimizer owns the model's parameters: one table in which coordinate
 * coordinate's row holds its weight followed by its state (accumulators), so that one
 * coordinate is one cache line, as Vowpal Wabbit lays out its weights. The state is readable
 * and writable for snapshots, so that training resumed from a snapshot continues exactly as if
 * never stopped.
 */
public interface Optimizer {

    /**
     * One example's step.
     *
     * @param coords the example's coordinates (the bias among them)
     * @param rows their rows in the table of {@link #columns()}, made before the step
     * @param values its values at those coordinates, as scored
     * @param count how many entries of {@code coords} are used
     * @param lossSlope the derivative of the (weighted) loss with respect to the margin
     * @param weight the example's weight (already in the slope; second-order methods need it apart)
     */
    void step(int[] coords, int[] rows, double[] values, int count, double lossSlope, double weight);

    /**
     * Coordinates whose weights every step may change besides the example's own, as a count of
     * leading entries of {@link #alsoChangedCoordinates()}: none for per-coordinate optimizers;
     * recursive least squares moves every weight it has.
     */
    default int alsoChangedCount() {
        return 0;
    }

    default int[] alsoChangedCoordinates() {
        return new int[0];
    }

    /** The parameters, live: per coordinate its weight, then its state. */
    TableColumns columns();

    /** Numbers per coordinate in {@link #columns()}: the weight and the state. */
    int stride();

    /** How many numbers of state the optimizer keeps per coordinate (may be none). */
    default int stateArrays() {
        return stride() - 1;
    }

    /** Steps taken so far, for schedules that decay with time. */
    long steps();

    void restoreSteps(long steps);

    /**
     * State that is not per coordinate (recursive least squares: the inverse covariance of the
     * coordinates it has seen), as numbers; empty for optimizers without.
     */
    default double[] globalState() {
        return new double[0];
    }

    /** Replaces the state that is not per coordinate with one from {@link #globalState()}. */
    default void restoreGlobalState(double[] state) {
        // none
    }

    /**
     * Sets the state of the coordinates with non-zero weights so that this optimizer holds
     * exactly the weights in its table, as if it had learnt them: how a model starts from a
     * batch model.
     */
    void seed();
}
