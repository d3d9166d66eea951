package dev.streamlearn.features;

import java.util.Arrays;

/**
 * The scaling of numeric values that lives in a model: per numeric feature (keyed by its hashed
 * coordinate) and for the label of a squared-loss model ({@link #LABEL}), a running mean and
 * variance. A value is standardized with them and clipped to {@code clip} standard deviations;
 * features named for it first go through a signed {@code log1p}, which turns heavy-tailed counts
 * into something a linear model can weigh.
 *
 * <p>The statistics are Welford's running mean and variance until {@code horizon} values have
 * been seen, then exponentially weighted with rate {@code 1/horizon}, so they follow a feature
 * whose range drifts. A value beyond the clip is winsorized before it enters them, so one
 * extreme record cannot move them far. Until a key has seen two values with some spread, its
 * standardized value is 0: the feature does not count yet.
 *
 * <p>Plain Java; the trainer and every inference subtask hold one per model and apply the same
 * entries, so a request is transformed exactly as the trainer transforms it.
 */
public final class NumericScaler {

    /** The key of the label's statistics (squared loss); coordinates are never negative. */
    public static final int LABEL = -1;

    private final double clip;
    private final double horizon;
    private final boolean logAll;
    private final int[] logCoordinates; // sorted

    // open addressing: table holds slot + 1 (0 = empty), at the key's hash
    private int[] table = new int[64];
    private int[] keys = new int[32];
    private double[] counts = new double[32];
    private double[] means = new double[32];
    private double[] variances = new double[32];
    // the standard deviation of the statistics and its inverse, kept so a transform needs no root or division
    private double[] stds = new double[32];
    private double[] inverseStds = new double[32];
    private boolean[] log = new boolean[32];
    private int size;

    private boolean[] changed = new boolean[32];
    private int[] changedSlots = new int[32];
    private int changedCount;
    private boolean tracksChanges = true;

    /**
     * @param clip standardized values are clipped to [-clip, clip]
     * @param horizon values after which the statistics weigh the past exponentially (Long.MAX_VALUE: never)
     * @param logAll whether every numeric feature is log-transformed first
     * @param logCoordinates the coordinates of the features that are (when not all)
     */
    public NumericScaler(double clip, double horizon, boolean logAll, int[] logCoordinates) {
        this.clip = clip;
        this.horizon = horizon;
        this.logAll = logAll;
        this.logCoordinates = logCoordinates.clone();
        Arrays.sort(this.logCoordinates);
    }

    /** A new, empty scaler with the same settings. */
    public NumericScaler emptyCopy() {
        return new NumericScaler(clip, horizon, logAll, logCoordinates);
    }

    /** A new, empty scaler with the settings the state carries, or of {@code fallback} when it carries none. */
    public static NumericScaler emptyFor(ScalerState state, NumericScaler fallback) {
        return state == null || !state.hasSettings()
                ? fallback.emptyCopy()
                : new NumericScaler(state.clip, state.horizon, state.logAll, state.logKeys);
    }

    /** Whether values are transformed as the other scaler transforms them (its statistics aside). */
    public boolean transformsLike(NumericScaler other) {
        return clip == other.clip
                && horizon == other.horizon
                && logAll == other.logAll
                && Arrays.equals(logCoordinates, other.logCoordinates);
    }

    /** Whether values are transformed as the state's settings say (a state without settings: as this scaler's). */
    public boolean transformsAs(ScalerState state) {
        return state == null
                || !state.hasSettings()
                || (state.clip == clip
                        && state.horizon == horizon
                        && state.logAll == logAll
                        && Arrays.equals(state.logKeys, logCoordinates));
    }

    /** The standardized, clipped value of a numeric feature; 0 while the feature has no spread yet. */
    public double transform(int coordinate, double value) {
        return transformAt(slotOf(coordinate), value);
    }

    /** Counts a feature's value into its statistics. */
    public void observe(int coordinate, double value) {
        observeAt(slotOf(coordinate), coordinate, value);
    }

    /** Where a key's statistics are (-1: none yet), for callers that transform and then observe a value. */
    public int slotOf(int key) {
        int mask = table.length - 1;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask) {
            int entry = table[i];
            if (entry == 0) {
                return -1;
            }
            if (keys[entry - 1] == key) {
                return entry - 1;
            }
        }
    }

    /** {@link #transform} with the key's slot already found. */
    public double transformAt(int slot, double value) {
        return slot < 0 ? 0.0 : standardize(slot, value);
    }

    /**
     * The value as the key's statistics take it, through the signed log when the key is logged;
     * as it is for a key without statistics yet. A learner that transforms and then observes a
     * value takes the log once ({@link #standardizeAt}, {@link #observeAt(int, int, double, double)}).
     */
    public double preTransformAt(int slot, double value) {
        return slot < 0 ? value : preTransform(slot, value);
    }

    /** {@link #transformAt} of a value already through {@link #preTransformAt} with the same slot. */
    public double standardizeAt(int slot, double preTransformed) {
        return slot < 0 ? 0.0 : standardizePreTransformed(slot, preTransformed);
    }

    /** {@link #observeAt(int, int, double)} of a value whose {@link #preTransformAt} with the same slot is known. */
    public void observeAt(int slot, int coordinate, double value, double preTransformed) {
        if (slot < 0) {
            observeAt(slot, coordinate, value);
        } else {
            update(slot, preTransformed);
        }
    }

    /** {@link #observe} with the key's slot as found before (-1: the key was new then). */
    public void observeAt(int slot, int coordinate, double value) {
        int at = slot;
        if (at < 0) {
            at = slotOf(coordinate); // the same key may have come earlier in this example
            if (at < 0) {
                at = add(coordinate);
            }
        }
        update(at, preTransform(at, value));
    }

    /** A label in the model's standardized scale (clipped), for learning. */
    public double labelToModel(double label) {
        int slot = slotOf(LABEL);
        return slot < 0 ? 0.0 : standardize(slot, label);
    }

    /** A prediction of the model's standardized scale in the label's scale. */
    public double labelFromModel(double standardized) {
        int slot = slotOf(LABEL);
        if (slot < 0) {
            return standardized;
        }
        double std = std(slot);
        return means[slot] + (std > 0 ? standardized * std : 0.0);
    }

    /** Counts a label into the label's statistics. */
    public void observeLabel(double label) {
        observe(LABEL, label);
    }

    private double preTransform(int slot, double value) {
        return log[slot] ? Math.copySign(Math.log1p(Math.abs(value)), value) : value;
    }

    private double standardize(int slot, double value) {
        return standardizePreTransformed(slot, preTransform(slot, value));
    }

    private double standardizePreTransformed(int slot, double preTransformed) {
        double z = (preTransformed - means[slot]) * inverseStds[slot];
        return z > clip ? clip : z < -clip ? -clip : Double.isNaN(z) ? 0.0 : z;
    }

    private double std(int slot) {
        return stds[slot];
    }

    private void refreshStd(int slot) {
        stds[slot] = counts[slot] >= 2 && variances[slot] > 0 ? Math.sqrt(variances[slot]) : 0.0;
        inverseStds[slot] = stds[slot] > 0 ? 1.0 / stds[slot] : 0.0;
    }

    private void update(int slot, double value) {
        double std = std(slot);
        double x = value;
        if (std > 0) {
            // winsorized: one extreme value moves the statistics as much as a value at the clip
            x = Math.max(means[slot] - clip * std, Math.min(means[slot] + clip * std, value));
        }
        double n = Math.min(counts[slot] + 1, horizon);
        double rate = 1.0 / n;
        double delta = x - means[slot];
        means[slot] += rate * delta;
        variances[slot] = (1 - rate) * (variances[slot] + rate * delta * delta);
        counts[slot] = n;
        refreshStd(slot);
        if (tracksChanges) {
            markChanged(slot);
        }
    }

    private void markChanged(int slot) {
        if (!changed[slot]) {
            changed[slot] = true;
            if (changedCount == changedSlots.length) {
                changedSlots = Arrays.copyOf(changedSlots, changedCount * 2);
            }
            changedSlots[changedCount++] = slot;
        }
    }

    /** How many keys have statistics. */
    public int size() {
        return size;
    }

    /** Every entry. */
    public ScalerState export() {
        int[] slots = new int[size];
        for (int i = 0; i < size; i++) {
            slots[i] = i;
        }
        return export(slots, size);
    }

    /** The entries changed since the last call, and forgets that they changed. */
    public ScalerState drainChanged() {
        ScalerState s = export(changedSlots, changedCount);
        clearChanged();
        return s;
    }

    /**
     * Whether the entries that change are remembered for {@link #drainChanged}; off, nothing is,
     * and what was is forgotten.
     */
    public void trackChanges(boolean on) {
        tracksChanges = on;
        if (!on) {
            clearChanged();
        }
    }

    public void clearChanged() {
        for (int k = 0; k < changedCount; k++) {
            changed[changedSlots[k]] = false;
        }
        changedCount = 0;
    }

    private ScalerState export(int[] slots, int count) {
        ScalerState s = new ScalerState(new int[count], new double[count], new double[count], new double[count]);
        s.clip = clip;
        s.horizon = horizon;
        s.logAll = logAll;
        s.logKeys = logCoordinates; // never changed: shared
        for (int k = 0; k < count; k++) {
            int slot = slots[k];
            s.keys[k] = keys[slot];
            s.counts[k] = counts[slot];
            s.means[k] = means[slot];
            s.variances[k] = variances[slot];
        }
        return s;
    }

    /** Sets the given entries as they are (others stay). */
    public void apply(ScalerState state) {
        for (int k = 0; k < state.size(); k++) {
            int slot = slotOf(state.keys[k]);
            if (slot < 0) {
                slot = add(state.keys[k]);
            }
            counts[slot] = state.counts[k];
            means[slot] = state.means[k];
            variances[slot] = state.variances[k];
            refreshStd(slot);
        }
    }

    /** Forgets every entry. */
    public void clear() {
        Arrays.fill(table, 0);
        size = 0;
        clearChanged();
    }

    private int add(int key) {
        if (size == keys.length) {
            int capacity = size * 2;
            keys = Arrays.copyOf(keys, capacity);
            counts = Arrays.copyOf(counts, capacity);
            means = Arrays.copyOf(means, capacity);
            variances = Arrays.copyOf(variances, capacity);
            stds = Arrays.copyOf(stds, capacity);
            inverseStds = Arrays.copyOf(inverseStds, capacity);
            log = Arrays.copyOf(log, capacity);
            changed = Arrays.copyOf(changed, capacity);
        }
        int slot = size++;
        keys[slot] = key;
        counts[slot] = 0;
        means[slot] = 0;
        variances[slot] = 0;
        stds[slot] = 0;
        inverseStds[slot] = 0;
        log[slot] = key != LABEL && (logAll || Arrays.binarySearch(logCoordinates, key) >= 0);
        changed[slot] = false;
        if (size * 2 > table.length) {
            table = new int[table.length * 2];
            for (int s = 0; s < size; s++) {
                insert(s);
            }
        } else {
            insert(slot);
        }
        return slot;
    }

    private void insert(int slot) {
        int mask = table.length - 1;
        int i = hash(keys[slot]) & mask;
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = slot + 1;
    }

    private static int hash(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
