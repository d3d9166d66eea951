package dev.streamlearn.training;

import dev.streamlearn.model.CoordinateTable;

/** What every optimizer keeps alike: its table of weights and per-coordinate state, and its step count. */
abstract class TableOptimizer implements Optimizer {

    /** Per coordinate its weight, then its state. */
    protected final CoordinateTable table;

    private final int stride;
    protected long steps;

    TableOptimizer(int dimension, int stride) {
        this.table = new CoordinateTable(dimension, stride);
        this.stride = stride;
    }

    @Override
    public final CoordinateTable table() {
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
