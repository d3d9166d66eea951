package dev.streamlearn.training;

import dev.streamlearn.metrics.PrequentialMetrics;
import dev.streamlearn.model.Loss;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
import java.util.Arrays;

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
    private final MiniBatch batch = new MiniBatch();

    // scratch for one batch's gradient: dense by coordinate, plus the list of touched coordinates
    private final double[] gradient;
    private final boolean[] touched;
    private int[] touchedCoords = new int[1024];

    private long version;
    private long examplesTrained;
    private long batchesApplied;
    private boolean frozen;
    private boolean fullUpdatePending = true;

    public ModelTrainer(ModelSpec spec) {
        this(spec, new PrequentialMetrics(spec.loss, spec.metricsWindow));
    }

    private ModelTrainer(ModelSpec spec, PrequentialMetrics metrics) {
        this.spec = spec;
        int dimension = spec.dimension();
        this.weights = new double[dimension];
        this.gradient = new double[dimension];
        this.touched = new boolean[dimension];
        this.optimizer = Optimizers.create(spec, dimension);
        this.metrics = metrics;
    }

    /** Adds an example to the open batch; true when the batch has reached its size and should be applied. */
    public boolean add(int[] indices, double[] values, double label, double weight, long nowMillis) {
        batch.add(indices, values, label, weight, nowMillis);
        return batch.size() >= spec.batchSize;
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
        version++;
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

    /** Current weight of a coordinate (for tests and inspection). */
    public double weight(int coordinate) {
        return weights[coordinate];
    }

    public double score(int[] indices, double[] values) {
        return spec.loss.predict(Loss.margin(weights, indices, values));
    }

    public ModelSnapshot snapshot() {
        double[][] state = optimizer.state();
        int count = 0;
        for (int i = 0; i < weights.length; i++) {
            if (isSet(i, state)) {
                count++;
            }
        }
        ModelSnapshot s = new ModelSnapshot();
        s.modelId = spec.id;
        s.version = version;
        s.examplesTrained = examplesTrained;
        s.batchesApplied = batchesApplied;
        s.frozen = frozen;
        s.dimension = weights.length;
        s.coords = new int[count];
        s.weights = new double[count];
        s.optimizerArrays = state.length;
        s.optimizerState = new double[count * state.length];
        s.optimizerSteps = optimizer.steps();
        int k = 0;
        for (int i = 0; i < weights.length; i++) {
            if (isSet(i, state)) {
                s.coords[k] = i;
                s.weights[k] = weights[i];
                for (int a = 0; a < state.length; a++) {
                    s.optimizerState[a * count + k] = state[a][i];
                }
                k++;
            }
        }
        s.metrics = metrics.snapshot();
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

    /**
     * Rebuilds a trainer from a snapshot. The next update is a full one, so that inference
     * converges on these weights whatever it held before.
     */
    public static ModelTrainer restore(ModelSpec spec, ModelSnapshot s) {
        if (s.dimension != spec.dimension()) {
            throw new IllegalStateException("model '" + spec.id + "' was snapshotted with dimension " + s.dimension
                    + " but is configured with " + spec.dimension() + " (hash bits changed?)");
        }
        ModelTrainer t = new ModelTrainer(spec, PrequentialMetrics.restore(spec.loss, spec.metricsWindow, s.metrics));
        double[][] state = t.optimizer.state();
        if (state.length != s.optimizerArrays) {
            throw new IllegalStateException("model '" + spec.id + "' was snapshotted with another optimizer ("
                    + s.optimizerArrays + " state arrays, configured " + spec.optimizer + " has " + state.length + ")");
        }
        int count = s.coords.length;
        for (int k = 0; k < count; k++) {
            int i = s.coords[k];
            t.weights[i] = s.weights[k];
            for (int a = 0; a < state.length; a++) {
                state[a][i] = s.optimizerState[a * count + k];
            }
        }
        t.optimizer.restoreSteps(s.optimizerSteps);
        t.version = s.version;
        t.examplesTrained = s.examplesTrained;
        t.batchesApplied = s.batchesApplied;
        t.frozen = s.frozen;
        t.batch.restore(s.batch);
        return t;
    }
}
