package dev.streamlearn.training;

import dev.streamlearn.model.CoordinateTable;

/**
 * The rows of the example being learnt, in the table a model's learners share: found in its hash
 * by the first learner and read by the others, which learn from the same coordinates. A row
 * stays valid until the table's layout changes, so the rows are found again when it has, and for
 * every new example ({@link #nextExample}).
 */
final class ExampleRows {

    private int[] rows = new int[64];
    private int count = -1;
    private int layout;

    /** The learners move on to another example: its coordinates are not known yet. */
    void nextExample() {
        count = -1;
    }

    /**
     * The rows of the example's {@code count} coordinates, found in the table unless a learner of
     * the same example already found them; the array is shared, to be read only.
     */
    int[] rowsFor(CoordinateTable table, int[] coords, int count) {
        if (this.count != count || layout != table.layout()) {
            if (count > rows.length) {
                rows = new int[Math.max(count, rows.length * 2)];
            }
            for (int k = 0; k < count; k++) {
                rows[k] = table.rowFor(coords[k]);
            }
            this.count = count;
            this.layout = table.layout();
        }
        return rows;
    }
}
