package dev.streamlearn.training;

import dev.streamlearn.features.NumericScaler;
import dev.streamlearn.features.ScalerState;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.Calibration;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelState;
import dev.streamlearn.model.SparseWeights;
import dev.streamlearn.records.Features;
import java.util.Arrays;

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
    // the optimizer's parameters: coordinate i's weight at stride * i
    private final double[] table;
    private final int stride;
    private final NumericScaler scaler;
    private final double gradientClip;
    private boolean lastUpdateRefused;
    // the table entries a step may change, saved before it so a step can be undone
    private double[] saved = new double[256];

    // weights changed since the last drain: a bitset, small enough to stay in cache, and their list
    private final long[] changed;
    private int[] changedCoords = new int[1024];
    private int changedCount;
    // only the served learner's changes are sent; a challenger's would be forgotten unread
    private boolean tracksChanges = true;
    // every coordinate ever learnt (or loaded), so a full update need not scan the whole table; a
    // bitset, read in coordinate order, so the table is read forwards (a list in the order learnt
    // made every full update a cache miss per coordinate: a third of the trainer's time at 2^20)
    private final long[] used;

    // the example being learnt: its coordinates and scaled values, bias first
    private int[] coords = new int[64];
    private double[] values = new double[64];
    private double[] scaledNumeric = new double[64];
    private int[] slots = new int[64];

    /** Coordinates from here on are crosses this learner leaves out; none when it uses them. */
    private final int firstCrossLeftOut;

    /** How its margins are served once it has learnt from final labels of fake negatives; null: as they are. */
    private Calibration calibration;

    public Learner(ModelSpec spec) {
        this(spec, Optimizers.create(spec));
    }

    /** With a given optimizer (tests of the guard use one that misbehaves). */
    Learner(ModelSpec spec, Optimizer optimizer) {
        this.loss = spec.loss();
        this.bias = spec.biasIndex();
        this.dimension = spec.dimension();
        this.gradientClip = spec.get(ModelOptions.GRADIENT_CLIP);
        this.firstCrossLeftOut = spec.get(ModelOptions.CROSSES_USE) ? Integer.MAX_VALUE : spec.firstCrossIndex();
        this.optimizer = optimizer;
        this.table = optimizer.table();
        this.stride = optimizer.stride();
        this.scaler = Scaling.newScaler(spec);
        this.changed = new long[(dimension + 63) >>> 6];
        this.used = new long[changed.length];
    }

    /** The prediction for the features: a probability (logistic loss) or a value in the label's scale. */
    public double predict(Features all) {
        Features f = used(all);
        return LinearScorer.prediction(loss, scaler, LinearScorer.margin(table, stride, bias, scaler, f));
    }

    /**
     * The prediction it serves for the features: {@link #predict} through its calibration, when
     * it has one (bit for bit {@link #predict} when it has none).
     */
    public double serve(Features all) {
        Features f = used(all);
        return LinearScorer.served(loss, scaler, calibration, LinearScorer.margin(table, stride, bias, scaler, f));
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
            values = new double[coords.length];
        }
        if (f.numeric.length > scaledNumeric.length) {
            scaledNumeric = new double[Math.max(f.numeric.length, scaledNumeric.length * 2)];
            slots = new int[scaledNumeric.length];
        }
        double margin = LinearScorer.margin(table, stride, bias, scaler, f, scaledNumeric, slots);
        double prediction = LinearScorer.prediction(loss, scaler, margin);

        coords[0] = bias;
        values[0] = 1.0;
        int count = 1;
        for (int c : f.categorical) {
            coords[count] = c;
            values[count++] = 1.0;
        }
        for (int k = 0; k < f.numeric.length; k++) {
            coords[count] = f.numeric[k];
            values[count++] = scaledNumeric[k];
        }
        double target = loss == Loss.SQUARED ? scaler.labelToModel(label) : label;
        // both losses have a canonical link: the slope of the loss in the margin is prediction - label
        double slope = weight * (loss.predict(margin) - target);
        slope = slope > gradientClip ? gradientClip : slope < -gradientClip ? -gradientClip : slope;
        lastUpdateRefused = !(Double.isFinite(slope) && guardedStep(count, slope, weight));
        if (lastUpdateRefused) {
            return prediction; // nothing of the example is kept, its scaling statistics neither
        }
        int[] also = optimizer.alsoChangedCoordinates();
        if (tracksChanges) {
            for (int k = 0; k < count; k++) {
                markChanged(coords[k]);
            }
            for (int k = optimizer.alsoChangedCount() - 1; k >= 0; k--) {
                markChanged(also[k]);
            }
        } else {
            for (int k = 0; k < count; k++) {
                markUsed(coords[k]);
            }
            for (int k = optimizer.alsoChangedCount() - 1; k >= 0; k--) {
                markUsed(also[k]);
            }
        }

        for (int k = 0; k < f.numeric.length; k++) {
            scaler.observeAt(slots[k], f.numeric[k], f.numericValues[k]);
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

    /** The features this learner uses: all, or all but the crosses (a copy only for an example that has some). */
    private Features used(Features f) {
        if (firstCrossLeftOut == Integer.MAX_VALUE) {
            return f;
        }
        int categorical = 0;
        for (int c : f.categorical) {
            categorical += c < firstCrossLeftOut ? 1 : 0;
        }
        int numeric = 0;
        for (int c : f.numeric) {
            numeric += c < firstCrossLeftOut ? 1 : 0;
        }
        if (categorical == f.categorical.length && numeric == f.numeric.length) {
            return f;
        }
        int[] ownCategorical = new int[categorical];
        for (int k = 0, at = 0; k < f.categorical.length; k++) {
            if (f.categorical[k] < firstCrossLeftOut) {
                ownCategorical[at++] = f.categorical[k];
            }
        }
        int[] ownNumeric = new int[numeric];
        double[] ownValues = new double[numeric];
        for (int k = 0, at = 0; k < f.numeric.length; k++) {
            if (f.numeric[k] < firstCrossLeftOut) {
                ownNumeric[at] = f.numeric[k];
                ownValues[at++] = f.numericValues[k];
            }
        }
        return new Features(ownCategorical, ownNumeric, ownValues);
    }

    /** Whether the last {@link #learn} left the model unchanged because its step would have made it non-finite. */
    public boolean lastUpdateRefused() {
        return lastUpdateRefused;
    }

    /**
     * The optimizer's step, undone when it leaves a non-finite number in the table: every entry
     * of the example's coordinates (weight and state), and the weights the optimizer moves
     * besides them, are saved first and checked after. True when the step stands.
     */
    private boolean guardedStep(int count, double slope, double weight) {
        int alsoCount = optimizer.alsoChangedCount();
        int[] also = optimizer.alsoChangedCoordinates();
        int need = count * stride + alsoCount;
        if (saved.length < need) {
            saved = new double[Math.max(need, saved.length * 2)];
        }
        int at = 0;
        for (int k = 0; k < count; k++) {
            System.arraycopy(table, stride * coords[k], saved, at, stride);
            at += stride;
        }
        for (int k = 0; k < alsoCount; k++) {
            saved[at++] = table[stride * also[k]];
        }
        long stepsBefore = optimizer.steps();

        optimizer.step(coords, values, count, slope, weight);

        boolean finite = true;
        for (int k = 0; k < count && finite; k++) {
            for (int i = stride * coords[k], end = i + stride; i < end; i++) {
                finite &= Double.isFinite(table[i]);
            }
        }
        for (int k = 0; k < alsoCount && finite; k++) {
            finite = Double.isFinite(table[stride * also[k]]);
        }
        if (finite) {
            return true;
        }
        // in reverse, so that a coordinate the example has twice gets its value from before the step
        at = count * stride + alsoCount;
        for (int k = alsoCount - 1; k >= 0; k--) {
            table[stride * also[k]] = saved[--at];
        }
        for (int k = count - 1; k >= 0; k--) {
            at -= stride;
            System.arraycopy(saved, at, table, stride * coords[k], stride);
        }
        optimizer.restoreSteps(stepsBefore);
        return false;
    }

    private void markChanged(int coordinate) {
        long bit = 1L << coordinate;
        int word = coordinate >>> 6;
        if ((changed[word] & bit) == 0) {
            changed[word] |= bit;
            if (changedCount == changedCoords.length) {
                changedCoords = Arrays.copyOf(changedCoords, changedCount * 2);
            }
            changedCoords[changedCount++] = coordinate;
            markUsed(coordinate);
        }
    }

    private void markUsed(int coordinate) {
        used[coordinate >>> 6] |= 1L << coordinate;
    }

    /** The weights changed since the last drain (in the order they first changed), and forgets that they changed. */
    SparseWeights drainChanged() {
        int[] c = Arrays.copyOf(changedCoords, changedCount);
        double[] v = new double[c.length];
        for (int k = 0; k < c.length; k++) {
            v[k] = table[stride * c[k]];
        }
        clearChangedWeights();
        return SparseWeights.of(c, v);
    }

    /**
     * Whether the weights and scaling entries that change are remembered for the next delta
     * ({@link #drainChanged}); off, they are not, and what was is forgotten. A learner that
     * becomes the served one is sent in full first, so it needs nothing from before.
     */
    void trackChanges(boolean on) {
        tracksChanges = on;
        if (!on) {
            clearChangedWeights();
        }
        scaler.trackChanges(on);
    }

    /** Forgets which weights and scaling entries changed (after a full update). */
    void clearChanged() {
        clearChangedWeights();
        scaler.clearChanged();
    }

    private void clearChangedWeights() {
        for (int k = 0; k < changedCount; k++) {
            changed[changedCoords[k] >>> 6] = 0L;
        }
        changedCount = 0;
    }

    NumericScaler scaler() {
        return scaler;
    }

    /** Every non-zero weight, in coordinate order. */
    SparseWeights nonZeroWeights() {
        int n = 0;
        for (int word = 0; word < used.length; word++) {
            for (long bits = used[word]; bits != 0; bits &= bits - 1) {
                if (table[stride * ((word << 6) + Long.numberOfTrailingZeros(bits))] != 0.0) {
                    n++;
                }
            }
        }
        int[] coords = new int[n];
        double[] values = new double[n];
        int j = 0;
        for (int word = 0; word < used.length && j < n; word++) {
            for (long bits = used[word]; bits != 0; bits &= bits - 1) {
                int coordinate = (word << 6) + Long.numberOfTrailingZeros(bits);
                double w = table[stride * coordinate];
                if (w != 0.0) {
                    coords[j] = coordinate;
                    values[j++] = w;
                }
            }
        }
        return SparseWeights.of(coords, values);
    }

    public double weight(int coordinate) {
        return table[stride * coordinate];
    }

    public int dimension() {
        return dimension;
    }

    public int optimizerArrays() {
        return optimizer.stateArrays();
    }

    /** What has been learnt, sparse: every coordinate where a weight or an optimizer accumulator is non-zero. */
    public ModelState state() {
        int arrays = stride - 1;
        int count = 0;
        for (int i = 0; i < dimension; i++) {
            if (isSet(i)) {
                count++;
            }
        }
        ModelState s = new ModelState();
        s.coords = new int[count];
        s.weights = new double[count];
        s.optimizerArrays = arrays;
        s.optimizerState = new double[count * arrays];
        int k = 0;
        for (int i = 0; i < dimension; i++) {
            if (isSet(i)) {
                s.coords[k] = i;
                s.weights[k] = table[stride * i];
                for (int a = 0; a < arrays; a++) {
                    s.optimizerState[a * count + k] = table[stride * i + 1 + a];
                }
                k++;
            }
        }
        s.optimizerSteps = optimizer.steps();
        s.optimizerGlobal = optimizer.globalState();
        s.scale = scaler.export();
        s.calibration = Calibration.copyOf(calibration);
        return s;
    }

    private boolean isSet(int i) {
        for (int at = stride * i; at < stride * (i + 1); at++) {
            if (table[at] != 0.0) {
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
        Arrays.fill(table, 0.0);
        Arrays.fill(used, 0L);
        int count = s.coords.length;
        for (int k = 0; k < count; k++) {
            markUsed(s.coords[k]);
            int at = stride * s.coords[k];
            table[at] = s.weights[k];
            for (int a = 0; a < s.optimizerArrays; a++) {
                table[at + 1 + a] = s.optimizerState[a * count + k];
            }
        }
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
