package dev.streamlearn.training;

/** What every optimizer keeps alike: its table of weights and per-coordinate state, and its step count. */
abstract class TableOptimizer implements Optimizer {

    /** Coordinate i's weight at {@code stride * i}, its state after it. */
    protected final double[] table;

    private final int stride;
    protected long steps;

    TableOptimizer(int dimension, int stride) {
        this.table = new double[stride * dimension];
        this.stride = stride;
    }

    @Override
    public final double[] table() {
        return table;
    }

    @Override
    public final int stride() {
        return stride;
    }

    @Override
    public final long steps() {
        return steps;
    }

    @Override
    public final void restoreSteps(long steps) {
        this.steps = steps;
    }
}
