package dev.streamlearn.model;

/**
 * One learner's numbers in a {@link CoordinateTable}: per row, {@code width} numbers from
 * {@code offset} (its weight first, then its optimizer's state). The learners of a model see the
 * same examples and so have rows for the same coordinates; in one table shared by all of them, a
 * coordinate has one hash entry and its numbers for every learner lie side by side, so the first
 * learner's lookup brings into cache what the others read, where a table each meant cache misses
 * per learner. A learner alone has a table of its own, at offset 0. The rows' marks are the table's: only one learner of a table may mark the
 * rows it changed at a time (a model's champion, whose changes are sent).
 */
public final class TableColumns {

    private final CoordinateTable table;
    private final int offset;
    private final int width;

    private TableColumns(CoordinateTable table, int offset, int width) {
        this.table = table;
        this.offset = offset;
        this.width = width;
    }

    /** A table of its own. */
    public static TableColumns own(int dimension, int width) {
        return new TableColumns(new CoordinateTable(dimension, width), 0, width);
    }

    /** One table for learners of the given widths, each its columns in the order given. */
    public static TableColumns[] shared(int dimension, int[] widths) {
        int stride = 0;
        for (int w : widths) {
            stride += w;
        }
        CoordinateTable table = new CoordinateTable(dimension, stride);
        TableColumns[] columns = new TableColumns[widths.length];
        for (int k = 0, offset = 0; k < widths.length; offset += widths[k++]) {
            columns[k] = new TableColumns(table, offset, widths[k]);
        }
        return columns;
    }

    /** The table, shared or not: rows are found and made there. */
    public CoordinateTable table() {
        return table;
    }

    /** Numbers per row of this learner. */
    public int width() {
        return width;
    }

    /** Where the learner's numbers of row {@code row} start in the table's {@link CoordinateTable#values()}. */
    public int at(int row) {
        return table.stride() * row + offset;
    }

    /** The learner's weight of {@code coordinate}; zero when it has no row. */
    public double weight(int coordinate) {
        return table.weight(coordinate, offset);
    }

    /** The learner's non-zero weights, in coordinate order. */
    public SparseWeights nonZeroWeights() {
        return table.nonZeroWeights(offset);
    }

    /** Whether the table is its alone. */
    public boolean isOwn() {
        return width == table.stride();
    }

    /**
     * Forgets what the learner has learnt: its own table is emptied and its memory given back;
     * in a shared one its numbers are set to zero and the rows stay for the other learners.
     */
    public void clear() {
        if (isOwn()) {
            table.clear();
        } else {
            table.zero(offset, width);
        }
    }

    /** The bytes of its part of the table's arrays. */
    public long bytes() {
        return table.bytes() * width / table.stride();
    }
}
