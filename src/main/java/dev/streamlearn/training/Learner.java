package dev.streamlearn.training;

import dev.streamlearn.features.NumericScaler;
import dev.streamlearn.features.ScalerState;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.Calibration;
import dev.streamlearn.model.CoordinateTable;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelState;
import dev.streamlearn.model.SparseWeights;
import dev.streamlearn.model.TableColumns;
import dev.streamlearn.records.Features;

/**
 * A linear model that learns one example at a time: weights, the scaling of numeric features
 * and of the label, and an optimizer. Each example is scored with the model as it is, then
 * learnt from with the same scaled values, and only then counted into the scaling statistics,
 * so the score is an honest test of what was learnt before. It knows nothing of versions,
 * batches or Flink; it remembers which weights and scaling entries changed, for the updates
 * that are sent to inference.
 *
 * <p>One example can move the model only so far: the slope of its loss (weighted) is clipped to
 * {@code gradient.clip}, so a weight of 1,000 or a residual of 50 standard deviations counts as
 * that many ordinary examples at most, and no optimizer accumulator can be saturated by one
 * record. A step that would still leave a non-finite weight or optimizer value is undone and
 * reported ({@link #lastUpdateRefused()}); the model then is exactly what it was before.
 */
public final class Learner {

    private final Loss loss;
    private final int bias;
    private final int dimension;
    private final Optimizer optimizer;
    // the optimizer's parameters: per coordinate its weight, then the optimizer's state, in its
    // columns of a table it may share with the model's other learners
    private final TableColumns columns;
    private final CoordinateTable table;
    private final int stride;
    private final int offset;
    private final NumericScaler scaler;
    private final double gradientClip;
    private boolean lastUpdateRefused;
    private final GuardedStep guardedStep;
    // the rows of the example, found once for the learners of a shared table; null when alone
    private final ExampleRows sharedRows;

    // weights changed since the last drain; shared by the learners of a table, whose marks are its
    private final ChangedWeights changed;
    // only the served learners' changes are sent; a challenger's would be forgotten unread
    private boolean tracksChanges = true;
    // the margin of the last example it scored, before learning from it
    private double lastMargin;
    // the example being learnt: its coordinates, their rows in the table and scaled values, bias first
    private int[] coords = new int[64];
    private int[] ownRows = new int[64];
    private double[] values = new double[64];
    private int[] slots = new int[64];
    private double[] preTransformed = new double[64];

    /** Coordinates from here on are crosses this learner leaves out; none when it uses them. */
    private final int firstCrossLeftOut;

    /** How its margins are served once it has learnt from final labels of fake negatives; null: as they are. */
    private Calibration calibration;

    public Learner(ModelSpec spec) {
        this(spec, Optimizers.create(spec));
    }

    /**
     * In the given columns of a table shared with the model's other learners ({@link
     * Optimizers#sharedColumns}), reading the rows of each example from {@code sharedRows} with them.
     */
    Learner(ModelSpec spec, TableColumns columns, ExampleRows sharedRows, ChangedWeights sharedChanges) {
        this(spec, Optimizers.create(spec, columns), sharedRows, sharedChanges);
    }

    /** With a given optimizer (tests of the guard use one that misbehaves). */
    Learner(ModelSpec spec, Optimizer optimizer) {
        this(spec, optimizer, null, null);
    }

    private Learner(ModelSpec spec, Optimizer optimizer, ExampleRows sharedRows, ChangedWeights sharedChanges) {
        this.loss = spec.loss();
        this.bias = spec.biasIndex();
        this.dimension = spec.dimension();
        this.gradientClip = spec.get(ModelOptions.GRADIENT_CLIP);
        this.firstCrossLeftOut = spec.get(ModelOptions.CROSSES_USE) ? Integer.MAX_VALUE : spec.firstCrossIndex();
        this.optimizer = optimizer;
        this.columns = optimizer.columns();
        this.table = columns.table();
        this.stride = optimizer.stride();
        this.offset = columns.at(0);
        this.changed = sharedChanges != null ? sharedChanges : new ChangedWeights(table);
        this.scaler = Scaling.newScaler(spec);
        this.guardedStep = new GuardedStep(optimizer);
        this.sharedRows = sharedRows;
    }

    /** The prediction for the features: a probability (logistic loss) or a value in the label's scale. */
    public double predict(Features all) {
        Features f = used(all);
        lastMargin = LinearScorer.margin(table, offset, bias, scaler, f);
        return LinearScorer.prediction(loss, scaler, lastMargin);
    }

    /** The margin of the last example it scored ({@link #predict} or {@link #learn}), before learning from it. */
    double lastMargin() {
        return lastMargin;
    }

    /**
     * The prediction it serves for the features: {@link #predict} through its calibration, when
     * it has one (bit for bit {@link #predict} when it has none).
     */
    public double serve(Features all) {
        Features f = used(all);
        return LinearScorer.served(loss, scaler, calibration, LinearScorer.margin(table, offset, bias, scaler, f));
    }

    /** Learns its calibration from a final label and the margin that was served for it (before calibration). */
    public void calibrate(double servedMargin, double label) {
        if (calibration == null) {
            calibration = new Calibration();
        }
        calibration.learn(servedMargin, label);
    }

    /** Its calibration (null: none); the object itself. */
    public Calibration calibration() {
        return calibration;
    }

    /** Serves through a copy of the given calibration (a promoted challenger takes the served one). */
    public void calibrateAs(Calibration c) {
        calibration = Calibration.copyOf(c);
    }

    /**
     * Scores the example, learns from it, and counts its numeric values (and, for squared loss,
     * its label) into the scaling statistics. Returns the prediction made before learning.
     */
    public double learn(Features all, double label, double weight) {
        Features f = used(all);
        int n = f.size() + 1;
        if (n > coords.length) {
            coords = new int[Math.max(n, coords.length * 2)];
            ownRows = new int[coords.length];
            values = new double[coords.length];
        }
        if (f.numeric.length > slots.length) {
            slots = new int[Math.max(f.numeric.length, slots.length * 2)];
            preTransformed = new double[slots.length];
        }
        int count = 1;
        coords[0] = bias;
        values[0] = 1.0;
        for (int c : f.categorical) {
            coords[count] = c;
            values[count++] = 1.0;
        }
        for (int k = 0; k < f.numeric.length; k++) {
            int slot = scaler.slotOf(f.numeric[k]);
            slots[k] = slot;
            // a logged value's log, taken once for its scaled value and its statistics
            preTransformed[k] = scaler.preTransformAt(slot, f.numericValues[k]);
            coords[count] = f.numeric[k];
            values[count++] = scaler.standardizeAt(slot, preTransformed[k]);
        }
        // each coordinate is found in the hash once, for the score and the step alike, and once for all
        // the learners of a shared table that use every feature; the table settles first, as a change
        // of layout renumbers the rows
        table.settle();
        int[] rows;
        if (sharedRows != null && f == all) {
            rows = sharedRows.rowsFor(table, coords, count);
        } else {
            rows = ownRows;
            for (int k = 0; k < count; k++) {
                rows[k] = table.rowFor(coords[k]);
            }
        }
        double margin = LinearScorer.marginOfRows(table.values(), table.stride(), offset, rows, values, count);
        lastMargin = margin;
        double prediction = LinearScorer.prediction(loss, scaler, margin);

        double target = loss == Loss.SQUARED ? scaler.labelToModel(label) : label;
        // both losses have a canonical link: the slope of the loss in the margin is prediction - label
        double slope = weight * (loss.predict(margin) - target);
        slope = slope > gradientClip ? gradientClip : slope < -gradientClip ? -gradientClip : slope;
        lastUpdateRefused = !(Double.isFinite(slope) && guardedStep.step(coords, rows, values, count, slope, weight));
        if (lastUpdateRefused) {
            return prediction; // nothing of the example is kept, its scaling statistics neither
        }
        if (tracksChanges) {
            int[] also = optimizer.alsoChangedCoordinates();
            for (int k = 0; k < count; k++) {
                changed.mark(coords[k], rows[k]);
            }
            for (int k = optimizer.alsoChangedCount() - 1; k >= 0; k--) {
                changed.mark(also[k], table.rowFor(also[k]));
            }
        }

        for (int k = 0; k < f.numeric.length; k++) {
            scaler.observeAt(slots[k], f.numeric[k], f.numericValues[k], preTransformed[k]);
        }
        if (loss == Loss.SQUARED) {
            scaler.observeLabel(label);
        }
        return prediction;
    }

    /**
     * Learns a release of fake-negative feedback (Ktena et al., RecSys 2019): an impression learnt
     * at once as a negative, its click again as a positive, each weighted by the learner's own
     * prediction p, (1 - p)(1 + p) and 1 + p, so that in expectation it learns the rate of clicks
     * and not of clicks among releases. Returns the prediction made before learning.
     */
    public double learnFakeNegative(Features all, double label, double weight) {
        double p = predict(all);
        return learn(all, label, weight * (label > 0 ? 1 + p : (1 - p) * (1 + p)));
    }

    /** The features this learner uses: all, or all but the crosses. */
    private Features used(Features f) {
        return firstCrossLeftOut == Integer.MAX_VALUE ? f : f.below(firstCrossLeftOut);
    }

    /** Whether the last {@link #learn} left the model unchanged because its step would have made it non-finite. */
    public boolean lastUpdateRefused() {
        return lastUpdateRefused;
    }

    /** The weights changed since the last drain (in the order they first changed), and forgets that they changed. */
    SparseWeights drainChanged() {
        return changed.drain(columns);
    }

    /**
     * Whether the weights and scaling entries that change are remembered for the next delta
     * ({@link #drainChanged}), and whether its scaling entries that change are; off, they are
     * not, and what was is forgotten. A learner that becomes a served one is sent in full first,
     * so it needs nothing from before.
     */
    void trackChanges(boolean weights, boolean scaling) {
        tracksChanges = weights;
        if (!weights) {
            changed.clear();
        }
        scaler.trackChanges(scaling);
    }

    /**
     * Whether its weights mean what the other's mean: the same features, transformed the same
     * way, so that a blend of the two is scored with either's scaling.
     */
    boolean weighsLike(Learner other) {
        return firstCrossLeftOut == other.firstCrossLeftOut && scaler.transformsLike(other.scaler);
    }

    /** Its list of changed weights, which the other learners of its table share. */
    ChangedWeights changes() {
        return changed;
    }

    /** The columns of its table it learns in. */
    TableColumns columns() {
        return columns;
    }

    /** Forgets which weights and scaling entries changed (after a full update). */
    void clearChanged() {
        changed.clear();
        scaler.clearChanged();
    }

    NumericScaler scaler() {
        return scaler;
    }

    /** Every non-zero weight, in coordinate order. */
    SparseWeights nonZeroWeights() {
        return columns.nonZeroWeights();
    }

    public double weight(int coordinate) {
        return columns.weight(coordinate);
    }

    public int dimension() {
        return dimension;
    }

    public int optimizerArrays() {
        return optimizer.stateArrays();
    }

    /** Keeps every coordinate in a plain array from now on (until a load): what its own table is measured against. */
    public void usePlainTable() {
        table.becomeDense();
    }

    /** The bytes of its part of its table's arrays: what its weights and optimizer state take. */
    public long tableBytes() {
        return columns.bytes();
    }

    /** What has been learnt, sparse: every coordinate where a weight or an optimizer accumulator is non-zero. */
    public ModelState state() {
        return state(tableRowsInCoordinateOrder());
    }

    /** Every row of its table in coordinate order, for {@link #state(int[])}: found once for the learners sharing it. */
    int[] tableRowsInCoordinateOrder() {
        return table.rowsInCoordinateOrder(row -> true);
    }

    /** {@link #state()}, from every row of its table in coordinate order ({@link #tableRowsInCoordinateOrder}). */
    ModelState state(int[] tableRowsInCoordinateOrder) {
        return LearnerStates.of(new Learner[] {this}, tableRowsInCoordinateOrder)[0];
    }

    /** The table it shares with the model's other learners. */
    CoordinateTable table() {
        return table;
    }

    /** What its state holds besides the rows: the optimizer's steps and global state, the scaling, the calibration. */
    void completeState(ModelState s) {
        s.optimizerSteps = optimizer.steps();
        s.optimizerGlobal = optimizer.globalState();
        s.scale = scaler.export();
        s.calibration = Calibration.copyOf(calibration);
    }

    /** Its numbers of a row into entry {@code k} of a weight array and of each optimizer array; returns k + 1. */
    int copyRow(double[] t, int row, double[] weights, double[][] state, int k) {
        int at = columns.at(row);
        weights[k] = t[at];
        for (int a = 0; a < state.length; a++) {
            state[a][k] = t[at + 1 + a];
        }
        return k + 1;
    }

    /** Whether any of its numbers of the row is not zero. */
    boolean isSet(double[] t, int row) {
        for (int at = columns.at(row), end = at + stride; at < end; at++) {
            if (t[at] != 0.0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Replaces everything learnt with the given state. A state without optimizer state (a batch
     * model) seeds the optimizer from its weights, so learning continues smoothly from them.
     */
    public void load(ModelState s) {
        if (s.optimizerArrays != 0 && s.optimizerArrays != stride - 1) {
            throw new IllegalArgumentException("the state has " + s.optimizerArrays
                    + " optimizer arrays per coordinate, this optimizer " + (stride - 1));
        }
        changed.clear(); // before the table forgets the marks' rows
        columns.clear();
        int count = s.coords.length;
        for (int k = 0; k < count; k++) {
            int at = columns.at(table.rowFor(s.coords[k]));
            double[] t = table.values();
            t[at] = s.weights[k];
            for (int a = 0; a < s.optimizerArrays; a++) {
                t[at + 1 + a] = s.optimizerState[a * count + k];
            }
        }
        table.settle();
        if (s.optimizerArrays == 0) {
            optimizer.seed();
        }
        optimizer.restoreSteps(s.optimizerSteps);
        optimizer.restoreGlobalState(s.optimizerGlobal);
        scaler.clear();
        scaler.apply(s.scale == null ? ScalerState.empty() : s.scale);
        calibration = Calibration.copyOf(s.calibration);
        clearChanged();
    }
}
