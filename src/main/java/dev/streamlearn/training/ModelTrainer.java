package dev.streamlearn.training;

import dev.streamlearn.ingest.Example;
import dev.streamlearn.metrics.PrequentialMetrics;
import dev.streamlearn.model.Loss;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.StoredModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * One model's learner: gathers a mini-batch, scores each example with the current weights
 * before learning from it (prequential evaluation), then applies one optimizer step for the
 * whole batch and makes the next version. Versions only grow, also across snapshots.
 */
public final class ModelTrainer {

    private final ModelSpec spec;
    private final double[] weights;
    private final Optimizer optimizer;
    private final PrequentialMetrics metrics;
    // time-series examples, in the series' own scale: the model's prequential forecasts and the seasonal-naive ones
    private final PrequentialMetrics forecastMetrics;
    private final PrequentialMetrics naiveMetrics;
    private final MiniBatch batch = new MiniBatch();

    // scratch for one batch's gradient: dense by coordinate, plus the list of touched coordinates
    private final double[] gradient;
    private final boolean[] touched;
    private int[] touchedCoords = new int[1024];

    private long version;
    private long parentVersion;
    private long eventTimeThrough;
    private long openBatchEventTime;
    private long lastStoredAtMillis = Long.MIN_VALUE / 2;
    private final Deque<StoredModel> recent = new ArrayDeque<>();
    // per labeled-topic partition: offset of the last record trained (applied), and in the open batch; -1 none
    private long[] trainedOffsets = new long[0];
    private long[] openBatchOffsets = new long[0];
    private long examplesTrained;
    private long batchesApplied;
    private boolean frozen;
    private boolean fullUpdatePending = true;
    private ScoreListener scoreListener = (prediction, label) -> { };

    /** Told of every prequential score: the prediction made before learning from an example, and its label. */
    @FunctionalInterface
    public interface ScoreListener {
        void scored(double prediction, double label);
    }

    public ModelTrainer(ModelSpec spec) {
        this(spec, new PrequentialMetrics(spec.loss, spec.metricsWindow),
                new PrequentialMetrics(Loss.SQUARED, spec.metricsWindow),
                new PrequentialMetrics(Loss.SQUARED, spec.metricsWindow));
    }

    private ModelTrainer(ModelSpec spec, PrequentialMetrics metrics, PrequentialMetrics forecastMetrics,
            PrequentialMetrics naiveMetrics) {
        this.forecastMetrics = forecastMetrics;
        this.naiveMetrics = naiveMetrics;
        this.spec = spec;
        int dimension = spec.dimension();
        this.weights = new double[dimension];
        this.gradient = new double[dimension];
        this.touched = new boolean[dimension];
        this.optimizer = Optimizers.create(spec, dimension);
        this.metrics = metrics;
    }

    /**
     * Adds an example to the open batch; true when the batch has reached its size and should be
     * applied. {@code partition} and {@code offset} say where it was in the labeled topic (-1: unknown).
     */
    public boolean add(int[] indices, double[] values, double label, double weight, long eventTime, int partition,
            long offset, long nowMillis) {
        return add(indices, values, label, weight, eventTime, partition, offset, 0.0, 0.0, Double.NaN, nowMillis);
    }

    /** A labeled example as parsed or made from a time series. */
    public boolean add(Example e, long nowMillis) {
        return add(e.indices, e.values, e.label, e.weight, e.ts, e.partition, e.offset, e.scaleMean, e.scaleStd,
                e.baseline, nowMillis);
    }

    private boolean add(int[] indices, double[] values, double label, double weight, long eventTime, int partition,
            long offset, double scaleMean, double scaleStd, double baseline, long nowMillis) {
        batch.add(indices, values, label, weight, scaleMean, scaleStd, baseline, nowMillis);
        openBatchEventTime = Math.max(openBatchEventTime, eventTime);
        if (partition >= 0) {
            openBatchOffsets = withPartition(openBatchOffsets, partition);
            openBatchOffsets[partition] = Math.max(openBatchOffsets[partition], offset);
        }
        return batch.size() >= spec.batchSize;
    }

    /** An example without event time or topic position. */
    public boolean add(int[] indices, double[] values, double label, double weight, long nowMillis) {
        return add(indices, values, label, weight, 0L, -1, -1L, nowMillis);
    }

    private static long[] withPartition(long[] offsets, int partition) {
        if (partition < offsets.length) {
            return offsets;
        }
        long[] grown = Arrays.copyOf(offsets, partition + 1);
        Arrays.fill(grown, offsets.length, grown.length, -1L);
        return grown;
    }

    /** Offset of the last trained record per partition of the labeled topic (-1: none from it). */
    public long[] trainedOffsets() {
        return trainedOffsets.clone();
    }

    public boolean hasOpenBatch() {
        return !batch.isEmpty();
    }

    public int openBatchSize() {
        return batch.size();
    }

    /** When the open batch must close by time, in wall-clock millis. */
    public long batchDeadline() {
        return batch.openedAtMillis() + spec.batchMillis;
    }

    /**
     * Scores the open batch prequentially, applies one update, and returns the new version's
     * update (a delta, or a full update on the first batch after start or every
     * {@code fullSnapshotEvery} versions). Returns null when there is nothing to apply or
     * learning is frozen; a frozen model still scores its examples.
     */
    public ModelUpdate applyBatch() {
        if (batch.isEmpty()) {
            return null;
        }
        int examples = batch.size();
        int touchedCount = 0;
        for (int e = 0; e < examples; e++) {
            int start = batch.start(e);
            int end = batch.end(e);
            double margin = 0.0;
            for (int p = start; p < end; p++) {
                margin += weights[batch.index(p)] * batch.value(p);
            }
            double prediction = spec.loss.predict(margin);
            double label = batch.label(e);
            metrics.record(prediction, label);
            scoreListener.scored(prediction, label);
            double std = batch.scaleStd(e);
            if (std > 0) {
                double mean = batch.scaleMean(e);
                double actual = label * std + mean;
                forecastMetrics.record(prediction * std + mean, actual);
                if (!Double.isNaN(batch.baseline(e))) {
                    naiveMetrics.record(batch.baseline(e), actual);
                }
            }
            if (frozen) {
                continue;
            }
            double dLossDMargin = batch.weight(e) * (prediction - label);
            for (int p = start; p < end; p++) {
                int i = batch.index(p);
                if (!touched[i]) {
                    touched[i] = true;
                    if (touchedCount == touchedCoords.length) {
                        touchedCoords = Arrays.copyOf(touchedCoords, touchedCount * 2);
                    }
                    touchedCoords[touchedCount++] = i;
                }
                gradient[i] += dLossDMargin * batch.value(p);
            }
        }
        long newestExampleMillis = batch.newestExampleMillis();
        batch.clear();
        if (frozen) {
            return null;
        }
        optimizer.update(touchedCoords, gradient, touchedCount, examples, weights);
        long baseVersion = version;
        parentVersion = version;
        version++;
        eventTimeThrough = Math.max(eventTimeThrough, openBatchEventTime);
        openBatchEventTime = 0;
        for (int p = 0; p < openBatchOffsets.length; p++) {
            trainedOffsets = withPartition(trainedOffsets, p);
            trainedOffsets[p] = Math.max(trainedOffsets[p], openBatchOffsets[p]);
        }
        openBatchOffsets = new long[0];
        batchesApplied++;
        examplesTrained += examples;

        ModelUpdate update;
        if (fullUpdatePending || version % spec.fullSnapshotEvery == 0) {
            update = fullUpdate(baseVersion, newestExampleMillis);
            fullUpdatePending = false;
        } else {
            int[] coords = Arrays.copyOf(touchedCoords, touchedCount);
            double[] values = new double[touchedCount];
            for (int k = 0; k < touchedCount; k++) {
                values[k] = weights[coords[k]];
            }
            update = new ModelUpdate(spec.id, version, baseVersion, false, coords, values, newestExampleMillis);
        }
        for (int k = 0; k < touchedCount; k++) {
            int i = touchedCoords[k];
            gradient[i] = 0.0;
            touched[i] = false;
        }
        return update;
    }

    private ModelUpdate fullUpdate(long baseVersion, long newestExampleMillis) {
        int nonZero = 0;
        for (double w : weights) {
            if (w != 0.0) {
                nonZero++;
            }
        }
        int[] coords = new int[nonZero];
        double[] values = new double[nonZero];
        int k = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] != 0.0) {
                coords[k] = i;
                values[k++] = weights[i];
            }
        }
        return new ModelUpdate(spec.id, version, baseVersion, true, coords, values, newestExampleMillis);
    }

    /** Replaces the listener told of each prequential score (by default, nobody is told). */
    public void onScored(ScoreListener listener) {
        this.scoreListener = listener;
    }

    public void freeze() {
        frozen = true;
    }

    public void resume() {
        frozen = false;
    }

    public boolean frozen() {
        return frozen;
    }

    public String modelId() {
        return spec.id;
    }

    public ModelSpec spec() {
        return spec;
    }

    public long version() {
        return version;
    }

    public long examplesTrained() {
        return examplesTrained;
    }

    public long batchesApplied() {
        return batchesApplied;
    }

    public PrequentialMetrics metrics() {
        return metrics;
    }

    /** Time-series forecasts in the series' scale (empty for other models). */
    public PrequentialMetrics forecastMetrics() {
        return forecastMetrics;
    }

    /** The seasonal-naive forecasts of the same points. */
    public PrequentialMetrics naiveMetrics() {
        return naiveMetrics;
    }

    /** Current weight of a coordinate (for tests and inspection). */
    public double weight(int coordinate) {
        return weights[coordinate];
    }

    /** Weights and optimizer state at the coordinates where any of them is non-zero. */
    private static final class Sparse {
        int[] coords;
        double[] weights;
        double[] optimizerState;
        int optimizerArrays;
    }

    private Sparse sparse() {
        double[][] state = optimizer.state();
        int count = 0;
        for (int i = 0; i < weights.length; i++) {
            if (isSet(i, state)) {
                count++;
            }
        }
        Sparse sp = new Sparse();
        sp.coords = new int[count];
        sp.weights = new double[count];
        sp.optimizerArrays = state.length;
        sp.optimizerState = new double[count * state.length];
        int k = 0;
        for (int i = 0; i < weights.length; i++) {
            if (isSet(i, state)) {
                sp.coords[k] = i;
                sp.weights[k] = weights[i];
                for (int a = 0; a < state.length; a++) {
                    sp.optimizerState[a * count + k] = state[a][i];
                }
                k++;
            }
        }
        return sp;
    }

    public ModelSnapshot snapshot() {
        Sparse sp = sparse();
        ModelSnapshot s = new ModelSnapshot();
        s.modelId = spec.id;
        s.version = version;
        s.parentVersion = parentVersion;
        s.eventTimeThrough = eventTimeThrough;
        s.openBatchEventTime = openBatchEventTime;
        s.lastStoredAtMillis = lastStoredAtMillis;
        s.recent = recent.toArray(new StoredModel[0]);
        s.trainedOffsets = trainedOffsets.clone();
        s.openBatchOffsets = openBatchOffsets.clone();
        s.examplesTrained = examplesTrained;
        s.batchesApplied = batchesApplied;
        s.frozen = frozen;
        s.dimension = weights.length;
        s.coords = sp.coords;
        s.weights = sp.weights;
        s.optimizerArrays = sp.optimizerArrays;
        s.optimizerState = sp.optimizerState;
        s.optimizerSteps = optimizer.steps();
        s.metrics = metrics.snapshot();
        s.forecastMetrics = forecastMetrics.snapshot();
        s.naiveMetrics = naiveMetrics.snapshot();
        s.batch = batch.toPending();
        return s;
    }

    private boolean isSet(int i, double[][] state) {
        if (weights[i] != 0.0) {
            return true;
        }
        for (double[] array : state) {
            if (array[i] != 0.0) {
                return true;
            }
        }
        return false;
    }

    /** Replaces weights and optimizer state with the given sparse ones. */
    private void load(int[] coords, double[] sparseWeights, double[] optimizerState, long optimizerSteps) {
        double[][] state = optimizer.state();
        Arrays.fill(weights, 0.0);
        for (double[] array : state) {
            Arrays.fill(array, 0.0);
        }
        int count = coords.length;
        for (int k = 0; k < count; k++) {
            int i = coords[k];
            weights[i] = sparseWeights[k];
            for (int a = 0; a < state.length; a++) {
                state[a][i] = optimizerState[a * count + k];
            }
        }
        optimizer.restoreSteps(optimizerSteps);
    }

    /** Whether a version should go to the model store now. */
    public boolean storeDue(long nowMillis) {
        return nowMillis - lastStoredAtMillis >= spec.storeIntervalMillis;
    }

    /** When the current version may be stored, if it is not yet. */
    public long nextStoreAt() {
        return lastStoredAtMillis + spec.storeIntervalMillis;
    }

    /** Whether the current version has not been stored yet. */
    public boolean hasUnstoredVersion() {
        return recent.isEmpty() || recent.peekLast().version != version;
    }

    /**
     * The current version as a stored model, with the prequential metrics at this point; kept
     * among the recent versions (for rollback without the store).
     */
    public StoredModel store(long nowMillis) {
        Sparse s = sparse();
        StoredModel m = new StoredModel();
        m.modelId = spec.id;
        m.version = version;
        m.parentVersion = parentVersion;
        m.createdAtMillis = nowMillis;
        m.examplesTrained = examplesTrained;
        m.batchesApplied = batchesApplied;
        m.eventTimeThrough = eventTimeThrough;
        m.offsetsThrough = trainedOffsets.clone();
        m.loss = spec.loss.name();
        m.optimizer = spec.optimizer.name();
        m.hashBits = spec.hashBits;
        m.frozen = frozen;
        m.coords = s.coords;
        m.weights = s.weights;
        m.optimizerArrays = s.optimizerArrays;
        m.optimizerState = s.optimizerState;
        m.optimizerSteps = optimizer.steps();
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        if (spec.loss == Loss.LOGISTIC) {
            names.addAll(List.of("logLoss", "logLossTotal", "accuracy", "auc"));
            values.addAll(List.of(metrics.windowLoss(), metrics.totalLoss(), metrics.windowAccuracy(),
                    metrics.windowAuc()));
        } else {
            names.addAll(List.of("mae", "rmse", "maeTotal", "rmseTotal"));
            values.addAll(List.of(metrics.windowMae(), metrics.windowRmse(), metrics.totalMae(), metrics.totalRmse()));
            if (forecastMetrics.seen() > 0) {
                names.addAll(List.of("forecastMae", "forecastRmse", "forecastMape", "naiveMae", "naiveRmse",
                        "naiveMape"));
                values.addAll(List.of(forecastMetrics.windowMae(), forecastMetrics.windowRmse(),
                        forecastMetrics.windowMape(), naiveMetrics.windowMae(), naiveMetrics.windowRmse(),
                        naiveMetrics.windowMape()));
            }
        }
        m.metricNames = names.toArray(new String[0]);
        m.metricValues = values.stream().mapToDouble(Double::doubleValue).toArray();
        lastStoredAtMillis = nowMillis;
        recent.addLast(m);
        while (recent.size() > spec.recentVersions) {
            recent.removeFirst();
        }
        return m;
    }

    /** A recently stored version, or null when it is not among them. */
    public StoredModel recentVersion(long wanted) {
        for (StoredModel m : recent) {
            if (m.version == wanted) {
                return m;
            }
        }
        return null;
    }

    /** The recently stored versions, oldest first. */
    public List<StoredModel> recentVersions() {
        return new ArrayList<>(recent);
    }

    /** The current windowed loss (log loss or RMSE) that a "previous better" version must beat. */
    public double currentQualityLoss() {
        return spec.loss == dev.streamlearn.model.Loss.LOGISTIC ? metrics.windowLoss() : metrics.windowRmse();
    }

    /**
     * Makes a stored version's weights and optimizer state the next version, as if the versions
     * after it had never happened; its parent is the restored version. Returns the full update
     * that makes inference serve it.
     */
    public ModelUpdate rollbackTo(StoredModel target, long nowMillis) {
        checkCompatible(target);
        load(target.coords, target.weights, target.optimizerState, target.optimizerSteps);
        long base = version;
        version++;
        parentVersion = target.version;
        fullUpdatePending = false;
        return fullUpdate(base, nowMillis);
    }

    private void checkCompatible(StoredModel m) {
        if (m.dimension() != weights.length || !spec.optimizer.name().equals(m.optimizer)
                || !spec.loss.name().equals(m.loss)) {
            throw new IllegalArgumentException("version " + m.version + " of '" + m.modelId + "' was made with "
                    + m.loss + "/" + m.optimizer + " on 2^" + m.hashBits + " features; the model is configured with "
                    + spec.loss + "/" + spec.optimizer + " on 2^" + spec.hashBits);
        }
    }

    /**
     * After a restore from an older savepoint, later versions may already exist (in the model
     * store). The restored weights then continue as the version after the newest one, with the
     * restored version as parent, so that a version number never names two different models.
     */
    public void continueAfter(long newestExistingVersion) {
        if (newestExistingVersion > version) {
            parentVersion = version;
            version = newestExistingVersion + 1;
            fullUpdatePending = true;
        }
    }

    /** A trainer that starts from a model file (for instance a batch model trained offline) instead of zeros. */
    public static ModelTrainer startingFrom(ModelSpec spec, StoredModel initial) {
        ModelTrainer t = new ModelTrainer(spec);
        t.checkCompatible(initial);
        t.load(initial.coords, initial.weights, initial.optimizerState, initial.optimizerSteps);
        t.version = initial.version;
        t.parentVersion = initial.parentVersion;
        return t;
    }

    /**
     * Rebuilds a trainer from a snapshot. The next update is a full one, so that inference
     * converges on these weights whatever it held before.
     */
    public static ModelTrainer restore(ModelSpec spec, ModelSnapshot s) {
        if (s.dimension != spec.dimension()) {
            throw new IllegalStateException("model '" + spec.id + "' was snapshotted with dimension " + s.dimension
                    + " but is configured with " + spec.dimension() + " (hash bits changed?)");
        }
        ModelTrainer t = new ModelTrainer(spec, PrequentialMetrics.restore(spec.loss, spec.metricsWindow, s.metrics),
                PrequentialMetrics.restore(Loss.SQUARED, spec.metricsWindow, s.forecastMetrics),
                PrequentialMetrics.restore(Loss.SQUARED, spec.metricsWindow, s.naiveMetrics));
        double[][] state = t.optimizer.state();
        if (state.length != s.optimizerArrays) {
            throw new IllegalStateException("model '" + spec.id + "' was snapshotted with another optimizer ("
                    + s.optimizerArrays + " state arrays, configured " + spec.optimizer + " has " + state.length + ")");
        }
        t.load(s.coords, s.weights, s.optimizerState, s.optimizerSteps);
        t.version = s.version;
        t.parentVersion = s.parentVersion;
        t.eventTimeThrough = s.eventTimeThrough;
        t.openBatchEventTime = s.openBatchEventTime;
        t.lastStoredAtMillis = s.lastStoredAtMillis;
        t.trainedOffsets = s.trainedOffsets == null ? new long[0] : s.trainedOffsets.clone();
        t.openBatchOffsets = s.openBatchOffsets == null ? new long[0] : s.openBatchOffsets.clone();
        if (s.recent != null) {
            t.recent.addAll(Arrays.asList(s.recent));
        }
        t.examplesTrained = s.examplesTrained;
        t.batchesApplied = s.batchesApplied;
        t.frozen = s.frozen;
        t.batch.restore(s.batch);
        return t;
    }
}
