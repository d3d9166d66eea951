package dev.streamlearn.training;

import dev.streamlearn.model.CoordinateTable;
import dev.streamlearn.model.TableColumns;

/**
 * A learner's optimizer step that cannot leave the model non-finite: what it may change is saved
 * before it and put back when it made a number infinite or NaN.
 */
final class GuardedStep {

    private final Optimizer optimizer;
    private final TableColumns columns;
    private final CoordinateTable table;
    private final int stride;
    // the table entries a step may change, saved before it so a step can be undone
    private double[] saved = new double[256];

    GuardedStep(Optimizer optimizer) {
        this.optimizer = optimizer;
        this.columns = optimizer.columns();
        this.table = columns.table();
        this.stride = optimizer.stride();
    }

    /**
     * The optimizer's step, undone when it leaves a non-finite number in the table: every entry
     * of the example's coordinates (weight and state), and the weights the optimizer moves
     * besides them, are saved first and checked after. True when the step stands. {@code rows}
     * are the rows of {@code coords}, taken once the table has settled (an undone step leaves a
     * new row at zero, as it was).
     */
    boolean step(int[] coords, int[] rows, double[] values, int count, double slope, double weight) {
        int alsoCount = optimizer.alsoChangedCount();
        int[] also = optimizer.alsoChangedCoordinates();
        int need = count * stride + alsoCount;
        if (saved.length < need) {
            saved = new double[Math.max(need, saved.length * 2)];
        }
        double[] t = table.values();
        int at = 0;
        for (int k = 0; k < count; k++) {
            System.arraycopy(t, columns.at(rows[k]), saved, at, stride);
            at += stride;
        }
        for (int k = 0; k < alsoCount; k++) {
            saved[at++] = columns.weight(also[k]);
        }
        long stepsBefore = optimizer.steps();

        optimizer.step(coords, rows, values, count, slope, weight);

        t = table.values();
        boolean finite = true;
        for (int k = 0; k < count && finite; k++) {
            for (int i = columns.at(rows[k]), end = i + stride; i < end; i++) {
                finite &= Double.isFinite(t[i]);
            }
        }
        for (int k = 0; k < alsoCount && finite; k++) {
            finite = Double.isFinite(columns.weight(also[k]));
        }
        if (finite) {
            return true;
        }
        // in reverse, so that a coordinate the example has twice gets its value from before the step
        at = count * stride + alsoCount;
        for (int k = alsoCount - 1; k >= 0; k--) {
            int row = table.rowFor(also[k]);
            t = table.values();
            t[columns.at(row)] = saved[--at];
        }
        for (int k = count - 1; k >= 0; k--) {
            at -= stride;
            System.arraycopy(saved, at, t, columns.at(rows[k]), stride);
        }
        optimizer.restoreSteps(stepsBefore);
        return false;
    }
}
