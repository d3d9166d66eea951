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

    private final TableColumns columns;
    private final CoordinateTable table;
    private int[] coords = new int[1024];
    private int[] rows = new int[1024];
    private int count;
    // the table's layout when the list was last emptied: the rows are valid while it is the same
    private int layout;

    ChangedWeights(TableColumns columns) {
        this.columns = columns;
        this.table = columns.table();
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

    /** The weights listed, as they are now, and forgets them. */
    SparseWeights drain() {
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
