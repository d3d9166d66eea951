package dev.streamlearn.model;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * The numbers a hashed model keeps per coordinate (a weight, and an optimizer's state after it),
 * in memory that grows with the coordinates it has, not with its hash space: a model of 2^20
 * coordinates that uses 5,000 of them holds 5,000 rows. Each coordinate that was ever written
 * has a row of {@code stride} numbers in one array; an open-addressing hash finds it. When that
 * layout would take more memory than a plain array of every coordinate, the table becomes that
 * array (row = coordinate), at the next {@link #settle()}, and stays so until cleared. A
 * coordinate without a row reads as zero in every number, as in the plain array, so scores are
 * the same to the last bit in either layout.
 *
 * <p>Writers resolve a row with {@link #rowFor} and then write into {@link #values()}, read
 * again after the last {@link #rowFor}: growing replaces the array. A row number stays valid
 * until {@link #settle()} or {@link #clear()}, which its owner calls where it holds none.
 */
public final class CoordinateTable {

    private static final int FIRST_ROWS = 16;
    /** Fewer keys than this are sorted by comparison: a radix sort's counts would cost more than they save. */
    private static final int RADIX_SORT_FROM = 1 << 12;
    // golden-ratio multiplier: spreads coordinates that are not hashed (the bias, small ranges) over the slots
    private static final int MIX = 0x9E3779B9;

    private final int dimension;
    private final int stride;
    /** Row r's numbers at {@code stride * r}. */
    private double[] values;

    private int rows;
    // sparse layout: per slot, coordinate + 1 (0: empty) at 2 * slot and its row beside it, so a
    // probe that finds its key has the row in the same cache line; per row, its coordinate
    private int[] slots;
    private int[] rowCoordinates;
    private int slotShift;
    // dense layout (slots == null): which coordinates have a row, so they need not be found by a scan
    private long[] denseRows;
    // rows marked by their user (changed since a delta), kept across the change of layout
    private long[] marks;
    // the sparse layout has outgrown the plain one: it changes at the next settle()
    private boolean denseIsSmaller;
    // how many times rows were renumbered (a change of layout, a clear)
    private int layout;

    public CoordinateTable(int dimension, int stride) {
        this.dimension = dimension;
        this.stride = stride;
        clear();
    }

    public int dimension() {
        return dimension;
    }

    public int stride() {
        return stride;
    }

    /** The numbers, row r's at {@code stride * r}; replaced when the table grows. */
    public double[] values() {
        return values;
    }

    public boolean isDense() {
        return slots == null;
    }

    /** How many coordinates have a row. */
    public int size() {
        return rows;
    }

    /** The row of {@code coordinate}, or -1 when it has none (it reads as zero). */
    public int rowOf(int coordinate) {
        if (slots == null) {
            return coordinate;
        }
        int key = coordinate + 1;
        int mask = slots.length - 2;
        for (int at = firstSlot(coordinate); ; at = (at + 2) & mask) {
            int k = slots[at];
            if (k == key) {
                return slots[at + 1];
            }
            if (k == 0) {
                return -1;
            }
        }
    }

    /** The row of {@code coordinate}, made (all zeros) when it has none. */
    public int rowFor(int coordinate) {
        if (slots == null) {
            long bit = 1L << coordinate;
            int word = coordinate >>> 6;
            if ((denseRows[word] & bit) == 0) {
                denseRows[word] |= bit;
                rows++;
            }
            return coordinate;
        }
        int key = coordinate + 1;
        int at = firstSlot(coordinate);
        for (int k = slots[at]; k != 0; k = slots[at]) {
            if (k == key) {
                return slots[at + 1];
            }
            at = (at + 2) & (slots.length - 2);
        }
        if (rows == rowCoordinates.length) {
            grow();
            at = freeSlot(coordinate);
        }
        slots[at] = key;
        slots[at + 1] = rows;
        rowCoordinates[rows] = coordinate;
        return rows++;
    }

    /** Where the probe for {@code coordinate} starts: the index of its first slot's key in {@link #slots}. */
    private int firstSlot(int coordinate) {
        return ((coordinate * MIX) >>> slotShift) << 1;
    }

    /** The index of the first empty slot's key on the probe of {@code coordinate}, which has no row. */
    private int freeSlot(int coordinate) {
        int at = firstSlot(coordinate);
        while (slots[at] != 0) {
            at = (at + 2) & (slots.length - 2);
        }
        return at;
    }

    /** The weight (a row's first number) of {@code coordinate}; zero when it has no row. */
    public double weight(int coordinate) {
        return weight(coordinate, 0);
    }

    /** The number at {@code offset} in the row of {@code coordinate}; zero when it has no row. */
    public double weight(int coordinate, int offset) {
        int row = rowOf(coordinate);
        return row < 0 ? 0.0 : values[stride * row + offset];
    }

    /** Every coordinate with a row, ascending. */
    public int[] coordinates() {
        int[] c = new int[rows];
        if (slots == null) {
            int n = 0;
            for (int word = 0; word < denseRows.length; word++) {
                for (long bits = denseRows[word]; bits != 0; bits &= bits - 1) {
                    c[n++] = (word << 6) + Long.numberOfTrailingZeros(bits);
                }
            }
            return c;
        }
        System.arraycopy(rowCoordinates, 0, c, 0, rows);
        Arrays.sort(c);
        return c;
    }

    /** The coordinate a row holds (a dense table's row is its coordinate). */
    public int coordinateOf(int row) {
        return slots == null ? row : rowCoordinates[row];
    }

    /**
     * The rows that {@code keep} accepts, in the order of their coordinates. A sparse table's rows
     * are read in memory order, each kept one's coordinate and row packed into one long and those
     * sorted, so no coordinate is looked up again in the hash: checkpoints take every learner's
     * state and inference's served weights this way, while the task waits.
     */
    public int[] rowsInCoordinateOrder(IntPredicate keep) {
        if (slots == null) {
            int[] kept = new int[rows];
            int n = 0;
            for (int word = 0; word < denseRows.length; word++) {
                for (long bits = denseRows[word]; bits != 0; bits &= bits - 1) {
                    int row = (word << 6) + Long.numberOfTrailingZeros(bits);
                    if (keep.test(row)) {
                        kept[n++] = row;
                    }
                }
            }
            return Arrays.copyOf(kept, n);
        }
        long[] coordinateAndRow = new long[rows];
        int n = 0;
        for (int row = 0; row < rows; row++) {
            if (keep.test(row)) {
                coordinateAndRow[n++] = (long) rowCoordinates[row] << 32 | row; // coordinates are >= 0
            }
        }
        sortByHighHalf(coordinateAndRow, n);
        int[] kept = new int[n];
        for (int i = 0; i < n; i++) {
            kept[i] = (int) coordinateAndRow[i];
        }
        return kept;
    }

    /** Every non-zero weight (a row's first number), in coordinate order. */
    public SparseWeights nonZeroWeights() {
        return nonZeroWeights(0);
    }

    /** Every row's non-zero number at {@code offset} (a weight), in coordinate order. */
    public SparseWeights nonZeroWeights(int offset) {
        int[] kept = rowsInCoordinateOrder(row -> values[stride * row + offset] != 0.0);
        int[] coords = new int[kept.length];
        double[] weights = new double[kept.length];
        for (int i = 0; i < kept.length; i++) {
            coords[i] = coordinateOf(kept[i]);
            weights[i] = values[stride * kept[i] + offset];
        }
        return SparseWeights.of(coords, weights);
    }

    /** Sets the numbers {@code [offset, offset + width)} of every row to zero; the rows stay. */
    public void zero(int offset, int width) {
        if (slots == null) {
            for (int word = 0; word < denseRows.length; word++) {
                for (long bits = denseRows[word]; bits != 0; bits &= bits - 1) {
                    int at = stride * ((word << 6) + Long.numberOfTrailingZeros(bits)) + offset;
                    Arrays.fill(values, at, at + width, 0.0);
                }
            }
            return;
        }
        for (int row = 0; row < rows; row++) {
            int at = stride * row + offset;
            Arrays.fill(values, at, at + width, 0.0);
        }
    }

    /**
     * Sorts the first {@code n} of {@code keys} by their high 32 bits, a non-negative int (the
     * coordinate): a radix sort of two 16-bit passes, a few times faster than a comparison sort for
     * the hundreds of thousands of rows of a large sparse table.
     */
    static void sortByHighHalf(long[] keys, int n) {
        if (n < RADIX_SORT_FROM) {
            Arrays.sort(keys, 0, n);
            return;
        }
        long[] other = new long[n];
        int[] counts = new int[1 << 16];
        radixPass(keys, other, n, 32, counts);
        radixPass(other, keys, n, 48, counts);
    }

    /** Moves {@code from[0, n)} to {@code to}, stably ordered by the 16 bits at {@code shift}. */
    private static void radixPass(long[] from, long[] to, int n, int shift, int[] counts) {
        Arrays.fill(counts, 0);
        for (int i = 0; i < n; i++) {
            counts[(int) (from[i] >>> shift) & 0xffff]++;
        }
        int start = 0;
        for (int d = 0; d < counts.length; d++) {
            int c = counts[d];
            counts[d] = start;
            start += c;
        }
        for (int i = 0; i < n; i++) {
            to[counts[(int) (from[i] >>> shift) & 0xffff]++] = from[i];
        }
    }

    /** Marks a row; true when it was not marked. */
    public boolean mark(int row) {
        long bit = 1L << row;
        int word = row >>> 6;
        boolean unmarked = (marks[word] & bit) == 0;
        marks[word] |= bit;
        return unmarked;
    }

    public void unmark(int row) {
        marks[row >>> 6] &= ~(1L << row);
    }

    /**
     * A number that changes whenever row numbers held from before become wrong ({@link #settle()}
     * changed the layout, or {@link #clear()}): rows kept across calls are valid while it is the same.
     */
    public int layout() {
        return layout;
    }

    /** Takes the plain layout if it has become the smaller one; row numbers held from before are then wrong. */
    public void settle() {
        if (denseIsSmaller) {
            becomeDense();
        }
    }

    /** No coordinate has a row any more, and the memory is given back. */
    public void clear() {
        layout++;
        rows = 0;
        denseIsSmaller = false;
        denseRows = null;
        rowCoordinates = new int[FIRST_ROWS];
        values = new double[FIRST_ROWS * stride];
        marks = new long[(FIRST_ROWS + 63) >>> 6];
        sizeSlots(FIRST_ROWS);
        if (sparseBytes(FIRST_ROWS) >= denseBytes()) {
            becomeDense();
        }
    }

    /** The bytes its arrays take (without object headers). */
    public long bytes() {
        if (slots == null) {
            return denseBytes();
        }
        return sparseBytes(rowCoordinates.length);
    }

    private long denseBytes() {
        // the values, the bitset of rows and that of marks
        return 8L * stride * dimension + 2L * 8 * ((dimension + 63) >>> 6);
    }

    private long sparseBytes(int rowCapacity) {
        // two ints per slot; per row its numbers, its coordinate and a mark
        return 8L * slotsFor(rowCapacity) + rowCapacity * (8L * stride + 4) + 8L * ((rowCapacity + 63) >>> 6);
    }

    private void grow() {
        int capacity = rowCoordinates.length * 2;
        denseIsSmaller |= sparseBytes(capacity) >= denseBytes();
        rowCoordinates = Arrays.copyOf(rowCoordinates, capacity);
        values = Arrays.copyOf(values, capacity * stride);
        marks = Arrays.copyOf(marks, (capacity + 63) >>> 6);
        sizeSlots(capacity);
        for (int row = 0; row < rows; row++) {
            int coordinate = rowCoordinates[row];
            int at = freeSlot(coordinate);
            slots[at] = coordinate + 1;
            slots[at + 1] = row;
        }
    }

    /** Slots for {@code rowCapacity} rows (a power of two) at a load of at most a half. */
    private static int slotsFor(int rowCapacity) {
        return 2 * rowCapacity;
    }

    private void sizeSlots(int rowCapacity) {
        int count = slotsFor(rowCapacity);
        slots = new int[2 * count];
        slotShift = 32 - Integer.numberOfTrailingZeros(count);
    }

    /** Takes the plain layout now, whatever its size (until cleared): what the sparse one is compared against. */
    public void becomeDense() {
        if (slots == null) {
            return;
        }
        layout++;
        double[] dense = new double[stride * dimension];
        long[] denseMarks = new long[(dimension + 63) >>> 6];
        denseRows = new long[denseMarks.length];
        for (int row = 0; row < rows; row++) {
            int coordinate = rowCoordinates[row];
            System.arraycopy(values, stride * row, dense, stride * coordinate, stride);
            denseRows[coordinate >>> 6] |= 1L << coordinate;
            if ((marks[row >>> 6] & (1L << row)) != 0) {
                denseMarks[coordinate >>> 6] |= 1L << coordinate;
            }
        }
        values = dense;
        marks = denseMarks;
        slots = null;
        rowCoordinates = null;
    }
}
