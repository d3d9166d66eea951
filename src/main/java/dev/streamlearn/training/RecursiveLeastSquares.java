package dev.streamlearn.training;

import dev.streamlearn.model.TableColumns;
import java.util.Arrays;

/**
 * Recursive least squares for squared loss: after each example the weights are exactly the
 * ridge regression of all examples so far (with forgetting, of their exponentially weighted
 * sum), the online form of the batch fit a time-series model is usually judged against. It keeps
 * the inverse of the regularized covariance of the coordinates it has seen, P, so an example
 * costs O(m^2) for m coordinates: for models with few features (time series, dense numeric
 * data), at most {@link #MAX_COORDINATES} of them; coordinates beyond that are not learnt.
 */
public final class RecursiveLeastSquares extends TableOptimizer {

    /** Numbers per coordinate in the table: the weight alone (P is apart). */
    static final int WIDTH = 1;

    /** P is m x m doubles: 1,024 coordinates are 8 MB. */
    public static final int MAX_COORDINATES = 1024;

    private final double ridge;
    private final double decay;
    // the coordinates with a row in P, and each one's row, found through an open-addressing hash of
    // twice as many slots as P may have rows (whatever the model's dimension: 16 KB, not 4 bytes per
    // coordinate of the hash space)
    private int[] coordinates = new int[16];
    private static final int SLOTS = 2 * MAX_COORDINATES;
    private final int[] slotCoordinate = new int[SLOTS];
    private final int[] slotRow = new int[SLOTS];
    private int m;
    private double[] p = new double[16 * 16]; // row-major, m x m within a capacity x capacity array
    private int capacity = 16;
    // scratch for one example
    private int[] rows = new int[16];
    private double[] x = new double[16];
    private double[] px = new double[16];

    /**
     * @param ridge the L2 strength: P starts as the identity over it
     * @param decay the forgetting factor per example; 1: none
     */
    public RecursiveLeastSquares(int dimension, double ridge, double decay) {
        this(TableColumns.own(dimension, WIDTH), ridge, decay);
    }

    /** In the given columns, of {@link #WIDTH} numbers. */
    RecursiveLeastSquares(TableColumns columns, double ridge, double decay) {
        super(columns);
        this.ridge = ridge;
        this.decay = decay;
        Arrays.fill(slotCoordinate, -1);
    }

    @Override
    public void step(int[] coords, int[] tableRows, double[] values, int count, double lossSlope, double weight) {
        steps++;
        if (weight <= 0) {
            return;
        }
        // the example over P's rows; a coordinate seen twice adds up
        int n = 0;
        if (x.length < count) {
            rows = new int[count];
            x = new double[count];
        }
        for (int k = 0; k < count; k++) {
            int row = rowOf(coords[k]);
            if (row < 0) {
                if (m == MAX_COORDINATES) {
                    continue;
                }
                row = addRow(coords[k]);
            }
            int at = indexOf(rows, n, row);
            if (at < 0) {
                rows[n] = row;
                x[n++] = values[k];
            } else {
                x[at] += values[k];
            }
        }
        if (px.length < m) {
            px = new double[capacity];
        }
        // P x over all rows (P is symmetric: row r of P times x)
        double xpx = 0;
        for (int r = 0; r < m; r++) {
            double s = 0;
            int base = r * capacity;
            for (int j = 0; j < n; j++) {
                s += p[base + rows[j]] * x[j];
            }
            px[r] = s;
        }
        for (int j = 0; j < n; j++) {
            xpx += x[j] * px[rows[j]];
        }
        // weighted RLS with forgetting: gain P x / (decay / weight + x'P x), error = slope / weight
        double denominator = decay + weight * xpx;
        double factor = lossSlope / denominator;
        if (!(denominator > 0) || !Double.isFinite(factor)) {
            return; // P is positive definite, so this means an overflow: leave the model as it was
        }
        for (int r = 0; r < m; r++) {
            int at = at(table.rowFor(coordinates[r]));
            table.values()[at] -= factor * px[r];
        }
        // P <- (P - weight P x x' P / denominator) / decay
        double inverseDecay = 1.0 / decay;
        double trace = 0;
        for (int r = 0; r < m; r++) {
            int base = r * capacity;
            double a = weight * px[r] / denominator;
            for (int c = 0; c < m; c++) {
                p[base + c] = (p[base + c] - a * px[c]) * inverseDecay;
            }
            trace += p[base + r];
        }
        boundTrace(trace);
    }

    /**
     * With forgetting, P grows by 1/decay per example in every direction the examples do not
     * excite (a calendar flag that stays off, a lag that stays constant) until a rare example
     * along it takes a step of any size: the windup of exponentially weighted RLS, which made
     * half-lives of a few hundred examples diverge. P is held within the prior's trace, m over the
     * ridge: the model is never less certain, in total, than before any example. Without
     * forgetting P only shrinks and the bound never acts.
     */
    private void boundTrace(double trace) {
        double bound = m / ridge;
        if (trace > bound) {
            double shrink = bound / trace;
            for (int r = 0; r < m; r++) {
                int base = r * capacity;
                for (int c = 0; c < m; c++) {
                    p[base + c] *= shrink;
                }
            }
        }
    }

    private static int indexOf(int[] rows, int n, int row) {
        for (int j = 0; j < n; j++) {
            if (rows[j] == row) {
                return j;
            }
        }
        return -1;
    }

    /** The coordinate's row of P, or -1. */
    private int rowOf(int coordinate) {
        int slot = slotOf(coordinate);
        return slotCoordinate[slot] == coordinate ? slotRow[slot] : -1;
    }

    private void putRow(int coordinate, int row) {
        int slot = slotOf(coordinate);
        slotCoordinate[slot] = coordinate;
        slotRow[slot] = row;
    }

    /** The coordinate's slot, or the free one where it would go (linear probing; at most half are taken). */
    private int slotOf(int coordinate) {
        int slot = (coordinate * 0x9E3779B9) >>> (Integer.SIZE - Integer.numberOfTrailingZeros(SLOTS));
        while (slotCoordinate[slot] != coordinate && slotCoordinate[slot] != -1) {
            slot = (slot + 1) & (SLOTS - 1);
        }
        return slot;
    }

    /** A new coordinate gets a row and column of P as if it had been there from the start: the prior 1/ridge. */
    private int addRow(int coordinate) {
        if (m == capacity) {
            int grown = Math.min(MAX_COORDINATES, capacity * 2);
            double[] q = new double[grown * grown];
            for (int r = 0; r < m; r++) {
                System.arraycopy(p, r * capacity, q, r * grown, m);
            }
            p = q;
            capacity = grown;
            coordinates = Arrays.copyOf(coordinates, grown);
            px = new double[grown];
        }
        int row = m++;
        coordinates[row] = coordinate;
        putRow(coordinate, row);
        for (int c = 0; c < m; c++) {
            p[row * capacity + c] = 0;
            p[c * capacity + row] = 0;
        }
        p[row * capacity + row] = 1.0 / ridge;
        return row;
    }

    /** A step moves every weight with a row in P. */
    @Override
    public int alsoChangedCount() {
        return m;
    }

    @Override
    public int[] alsoChangedCoordinates() {
        return coordinates;
    }

    @Override
    public void seed() {
        // a batch model's weights with the prior P: as if its data were forgotten but not its answer
    }

    /** The coordinates with a row in P, then P's m x m entries, row by row. */
    @Override
    public double[] globalState() {
        double[] s = new double[1 + m + m * m];
        s[0] = m;
        for (int r = 0; r < m; r++) {
            s[1 + r] = coordinates[r];
            System.arraycopy(p, r * capacity, s, 1 + m + r * m, m);
        }
        return s;
    }

    @Override
    public void restoreGlobalState(double[] s) {
        Arrays.fill(slotCoordinate, -1);
        m = 0;
        if (s == null || s.length == 0) {
            return;
        }
        int rowsInState = (int) s[0];
        while (capacity < rowsInState) {
            capacity *= 2;
        }
        p = new double[capacity * capacity];
        coordinates = new int[capacity];
        px = new double[capacity];
        m = rowsInState;
        for (int r = 0; r < m; r++) {
            coordinates[r] = (int) s[1 + r];
            putRow(coordinates[r], r);
            System.arraycopy(s, 1 + m + r * m, p, r * capacity, m);
        }
    }
}
