package dev.streamlearn.training;

import dev.streamlearn.model.CoordinateTable;
import dev.streamlearn.model.TableColumns;

/** What every optimizer keeps alike: its columns of weights and per-coordinate state, and its step count. */
abstract class TableOptimizer implements Optimizer {

    /** Per coordinate its weight, then its state, in its columns of a table it may share with other learners. */
    protected final TableColumns columns;

    protected final CoordinateTable table;
    private final int rowStride;
    private final int offset;
    protected long steps;

    TableOptimizer(TableColumns columns) {
        this.columns = columns;
        this.table = columns.table();
        this.rowStride = table.stride();
        this.offset = columns.at(0);
    }

    /** Where the optimizer's numbers of row {@code row} start in the table's values. */
    protected final int at(int row) {
        return rowStride * row + offset;
    }

    @Override
    public final TableColumns columns() {
        return columns;
    }

    @Override
    public final int stride() {
        return columns.width();
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
