package dev.streamlearn.training;

/**
 * Applies the gradient of one mini-batch to the weights of the coordinates it touched. Per
 * coordinate state lives in dense arrays as long as the weights, exposed for snapshots so
 * that training resumed from a snapshot continues exactly as if never stopped.
 */
public interface Optimizer {

    /**
     * @param coords the coordinates the batch touched (each once)
     * @param gradients the batch's summed gradient, indexed by coordinate
     * @param count how many entries of {@code coords} are used
     * @param batchExamples how many examples the gradient sums over
     * @param weights the weights, updated in place at {@code coords}
     */
    void update(int[] coords, double[] gradients, int count, int batchExamples, double[] weights);

    /** The optimizer's per-coordinate state arrays (may be empty), live, not copies. */
    double[][] state();

    /** Updates applied so far, for schedules that decay with time. */
    long steps();

    void restoreSteps(long steps);
}
