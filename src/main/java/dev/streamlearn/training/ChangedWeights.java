package dev.streamlearn.training;

import dev.streamlearn.model.CoordinateTable;
import dev.streamlearn.model.SparseWeights;
import dev.streamlearn.model.TableColumns;
import java.util.Arrays;

/**
 * The weights a learner changed since its last delta, in the order they first changed: each
 * marked in the table and listed with its coordinate and its row, so that a delta reads each
 * weight and clears its mark without finding it in the hash again. Rows held from before the
 * table changed its layout are found again.
 */
final class ChangedWeights {

    private final CoordinateTable table;
    private int[] coords = new int[1024];
    private int[] rows = new int[1024];
    private int count;
    // the table's layout when the list was last emptied: the rows are valid while it is the same
    private int layout;

    ChangedWeights(CoordinateTable table) {
        this.table = table;
        this.layout = table.layout();
    }

    /** Lists the coordinate, at its row, unless it is marked already. */
    void mark(int coordinate, int row) {
        if (table.mark(row)) {
            if (count == coords.length) {
                coords = Arrays.copyOf(coords, count * 2);
                rows = Arrays.copyOf(rows, count * 2);
            }
            rows[count] = row;
            coords[count++] = coordinate;
        }
    }

    /** The weights listed, as they are now in the given columns, and forgets them. */
    SparseWeights drain(TableColumns columns) {
        int[] c = Arrays.copyOf(coords, count);
        double[] v = new double[count];
        double[] t = table.values();
        int[] r = rows();
        for (int k = 0; k < count; k++) {
            v[k] = t[columns.at(r[k])];
        }
        clear();
        return SparseWeights.of(c, v);
    }

    /** The weights listed, as the blend of the given columns by the given weights ({@code mix}), and forgets them. */
    SparseWeights drainBlended(TableColumns[] columns, double[] mix) {
        int[] c = Arrays.copyOf(coords, count);
        double[] v = new double[count];
        double[] t = table.values();
        int[] r = rows();
        for (int k = 0; k < count; k++) {
            v[k] = blended(t, columns, mix, r[k]);
        }
        clear();
        return SparseWeights.of(c, v);
    }

    /** The weight of a row in the blend of the given columns. */
    static double blended(double[] t, TableColumns[] columns, double[] mix, int row) {
        double w = 0;
        for (int j = 0; j < columns.length; j++) {
            if (mix[j] != 0) {
                w += mix[j] * t[columns[j].at(row)];
            }
        }
        return w;
    }

    /** Forgets the weights listed and clears their marks. */
    void clear() {
        int[] r = rows();
        for (int k = 0; k < count; k++) {
            table.unmark(r[k]);
        }
        count = 0;
        layout = table.layout();
    }

    private int[] rows() {
        if (layout != table.layout()) {
            for (int k = 0; k < count; k++) {
                rows[k] = table.rowOf(coords[k]);
            }
            layout = table.layout();
        }
        return rows;
    }
}
