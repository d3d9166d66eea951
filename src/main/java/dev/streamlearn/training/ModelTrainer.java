package dev.streamlearn.training;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.metrics.PrequentialMetrics;
import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Features;
import dev.streamlearn.records.SeriesScale;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One model's life: every example is scored with the current model before it is learnt from
 * (prequential evaluation) and then learnt at once, by the {@link Learner}; every mini-batch
 * (closed by size, or by time in the Flink adapter) makes the next version and one update for
 * inference. Versions only grow, also across snapshots, rollbacks and restores.
 */
public final class ModelTrainer {

    /** Told of every prequential score: the prediction made before learning from an example, and its label. */
    @FunctionalInterface
    public interface ScoreListener {
        void scored(double prediction, double label);
    }

    private final ModelSpec spec;
    private final Learner learner;
    private final PrequentialMetrics metrics;
    // time-series examples, in the series' own scale: the model's prequential forecasts and the seasonal-naive ones
    private final PrequentialMetrics forecastMetrics;
    private final PrequentialMetrics naiveMetrics;
    // joined impressions: the score served for them (before the label was known) against their label
    private final PrequentialMetrics servedMetrics;
    private final VersionLine versions;
    private final UpdateEncoder encoder;
    private final RecentVersions recent;
    private final OpenBatch batch = new OpenBatch();

    private long eventTimeThrough;
    private long lastStoredAtMillis = Long.MIN_VALUE / 2;
    // per labeled-topic partition: offset of the last record in a version; -1 none
    private long[] trainedOffsets = new long[0];
    private long examplesTrained;
    private long batchesApplied;
    private long updatesRefused;
    // examples whose update was refused since the adapter last asked, to dead-letter them
    private final List<Example> refused = new ArrayList<>();
    private final LossGuard guard;
    private boolean frozenByGuard;
    private final List<GuardEvent> guardEvents = new ArrayList<>();
    // the loss of the examples learnt since the last stored version: the version's own record of health
    private double lossSinceStored;
    private long examplesSinceStored;
    private boolean frozen;
    private long continuedAfter = -1;
    private ScoreListener scoreListener = (prediction, label) -> {};

    /** A trainer whose recent versions are kept on the heap, in its snapshots. */
    public ModelTrainer(ModelSpec spec) {
        this(spec, new HeapRecentVersions(spec.get(ModelOptions.STORE_RECENT)));
    }

    ModelTrainer(ModelSpec spec, RecentVersions recent) {
        this(
                spec,
                new PrequentialMetrics(spec.loss(), spec.get(ModelOptions.METRICS_WINDOW)),
                new PrequentialMetrics(Loss.SQUARED, spec.get(ModelOptions.METRICS_WINDOW)),
                new PrequentialMetrics(Loss.SQUARED, spec.get(ModelOptions.METRICS_WINDOW)),
                new PrequentialMetrics(spec.loss(), spec.get(ModelOptions.METRICS_WINDOW)),
                new VersionLine(0, 0),
                recent);
    }

    private ModelTrainer(
            ModelSpec spec,
            PrequentialMetrics metrics,
            PrequentialMetrics forecastMetrics,
            PrequentialMetrics naiveMetrics,
            PrequentialMetrics servedMetrics,
            VersionLine versions,
            RecentVersions recent) {
        this.spec = spec;
        this.learner = new Learner(spec);
        this.metrics = metrics;
        this.forecastMetrics = forecastMetrics;
        this.naiveMetrics = naiveMetrics;
        this.servedMetrics = servedMetrics;
        this.versions = versions;
        this.encoder = new UpdateEncoder(spec.id, spec.get(ModelOptions.FULL_UPDATE_EVERY));
        this.recent = recent;
        this.guard = new LossGuard(spec);
    }

    /** What the guard did, for the adapter to send (a rollback's update) and log. */
    public static final class GuardEvent {
        public final ModelLogEntry.Event event;
        public final String reason;
        /** The update that serves a rolled-back version; null for other events. */
        public final ModelUpdate update;

        GuardEvent(ModelLogEntry.Event event, String reason, ModelUpdate update) {
            this.event = event;
            this.reason = reason;
            this.update = update;
        }
    }

    /**
     * Scores the example, then learns from it (unless frozen), and adds it to the open batch; true
     * when the batch has reached its size and should become a version ({@link #applyBatch}).
     */
    public boolean add(Example e, long nowMillis) {
        double prediction;
        if (frozen) {
            prediction = learner.predict(e.features);
        } else {
            prediction = learner.learn(e.features, e.label, e.weight);
            if (learner.lastUpdateRefused()) {
                updatesRefused++;
                refused.add(e);
            } else {
                examplesTrained++;
                batch.add(e.ts, e.partition, e.offset, nowMillis);
                double loss = spec.loss().loss(prediction, e.label);
                if (Double.isFinite(loss)) {
                    lossSinceStored += loss;
                    examplesSinceStored++;
                }
            }
        }
        metrics.record(prediction, e.label);
        if (!Double.isNaN(e.servedScore)) {
            servedMetrics.record(e.servedScore, e.label);
        }
        if (e.series != null) {
            SeriesScale s = e.series;
            double actual = s.toSeries(e.label);
            forecastMetrics.record(s.toSeries(prediction), actual);
            if (!Double.isNaN(s.naiveForecast)) {
                naiveMetrics.record(s.naiveForecast, actual);
            }
        }
        scoreListener.scored(prediction, e.label);
        watch(watchedLoss(prediction, e.label), nowMillis);
        return batch.size >= spec.get(ModelOptions.BATCH_SIZE);
    }

    /**
     * What the guard watches: the log loss of a probability; for squared loss the absolute error,
     * which grows in proportion to the errors (a squared error doubles when errors grow by 41 %,
     * and its heavy tail would make the guard's noise estimate useless).
     */
    private double watchedLoss(double prediction, double label) {
        return spec.loss() == Loss.LOGISTIC ? spec.loss().loss(prediction, label) : Math.abs(prediction - label);
    }

    /** Feeds the guard one prequential loss and carries out what it asks. */
    private void watch(double loss, long nowMillis) {
        switch (guard.observe(loss)) {
            case ALARM:
                String why = String.format(
                        Locale.ROOT,
                        "guard: mean loss of the last %d examples %.4g is %.2fx the reference %.4g",
                        spec.get(ModelOptions.GUARD_WINDOW),
                        guard.shortMean(),
                        guard.shortMean() / guard.referenceMean(),
                        guard.referenceMean());
                actOnAlarm(why, nowMillis);
                break;
            case RECOVERED:
                resumeAfterEpisode("guard: the loss has been back under " + round(guard.threshold()) + " for "
                        + spec.get(ModelOptions.GUARD_QUIET) + " examples");
                break;
            case ACCEPTED:
                resumeAfterEpisode("guard: the rise lasted " + spec.get(ModelOptions.GUARD_MAX_EPISODE)
                        + " examples; it is taken as the new normal and learnt");
                break;
            default:
                break;
        }
    }

    private void actOnAlarm(String why, long nowMillis) {
        guard.alarmed(nowMillis, guard.shortMean() / guard.referenceMean());
        if (guard.action() == ModelSpec.GuardAction.ALERT || frozen) {
            guard.acted(ModelSpec.GuardAction.ALERT);
            guardEvents.add(new GuardEvent(ModelLogEntry.Event.ALARM, why, null));
            return;
        }
        if (guard.action() == ModelSpec.GuardAction.ROLLBACK) {
            StoredModel target = healthyVersionBefore(examplesTrained - spec.get(ModelOptions.GUARD_WINDOW));
            if (target != null) {
                ModelUpdate update = rollbackTo(target, nowMillis);
                guard.acted(ModelSpec.GuardAction.ROLLBACK);
                frozen = true;
                frozenByGuard = true;
                guardEvents.add(new GuardEvent(
                        ModelLogEntry.Event.ROLLBACK,
                        why + "; back to v" + target.version + ", learning paused until the loss is back",
                        update));
                return;
            }
            why += "; no healthy version from before the rise among the recent ones";
        }
        guard.acted(ModelSpec.GuardAction.FREEZE);
        frozen = true;
        frozenByGuard = true;
        guardEvents.add(
                new GuardEvent(ModelLogEntry.Event.FREEZE, why + "; learning paused until the loss is back", null));
    }

    private void resumeAfterEpisode(String why) {
        if (frozenByGuard) {
            frozen = false;
            frozenByGuard = false;
            guardEvents.add(new GuardEvent(ModelLogEntry.Event.RESUME, why, null));
        }
    }

    /**
     * The newest recent version trained on no more than {@code examplesThrough} examples (before
     * the rise began), with only finite values, whose own loss was not above the guard's threshold.
     */
    private StoredModel healthyVersionBefore(long examplesThrough) {
        List<StoredModel> kept = recent.list();
        for (int i = kept.size() - 1; i >= 0; i--) {
            StoredModel m = kept.get(i);
            double ownLoss = m.metric(ModelMetric.TRAINED_LOSS.metricName());
            if (m.examplesTrained <= examplesThrough
                    && m.version < versions.version()
                    && m.isFinite()
                    && !(ownLoss > guard.threshold())) {
                return m;
            }
        }
        return null;
    }

    private static String round(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** What the guard did since the last call. */
    public List<GuardEvent> drainGuardEvents() {
        if (guardEvents.isEmpty()) {
            return List.of();
        }
        List<GuardEvent> out = new ArrayList<>(guardEvents);
        guardEvents.clear();
        return out;
    }

    public long guardAlarms() {
        return guard.alarms();
    }

    public boolean guardInEpisode() {
        return guard.inEpisode();
    }

    /** Wall-clock millis of the guard's last alarm; 0 when it has raised none. */
    public long guardLastAlarmMillis() {
        return guard.lastAlarmMillis();
    }

    /** The window's mean loss over the reference at the guard's last alarm; NaN when it has raised none. */
    public double guardLastAlarmRatio() {
        return guard.lastAlarmRatio();
    }

    /** What the guard did at its last alarm (alert, freeze or rollback); NONE when it has raised none. */
    public ModelSpec.GuardAction guardLastAction() {
        return guard.lastAction();
    }

    /** The mean loss of the examples learnt since the last stored version (NaN when none). */
    public double lossSinceStored() {
        return examplesSinceStored == 0 ? Double.NaN : lossSinceStored / examplesSinceStored;
    }

    /** The examples whose update was refused since the last call (not learnt; the model is as before them). */
    public List<Example> drainRefused() {
        if (refused.isEmpty()) {
            return List.of();
        }
        List<Example> out = new ArrayList<>(refused);
        refused.clear();
        return out;
    }

    public long updatesRefused() {
        return updatesRefused;
    }

    /** Replaces the listener told of each prequential score (by default, nobody is told). */
    public void onScored(ScoreListener listener) {
        this.scoreListener = listener;
    }

    public boolean hasOpenBatch() {
        return batch.size > 0;
    }

    public int openBatchSize() {
        return batch.size;
    }

    /** When the open batch must close by time, in wall-clock millis. */
    public long batchDeadline() {
        return batch.openedAtMillis + spec.get(ModelOptions.BATCH_MILLIS);
    }

    /**
     * Makes the examples learnt since the last version the next version, and returns its update
     * for inference (a delta, or a full update on the first version after start or every
     * {@code fullSnapshotEvery} versions). Null when nothing was learnt since (none, or frozen).
     */
    public ModelUpdate applyBatch() {
        if (batch.size == 0) {
            return null;
        }
        long base = versions.next();
        eventTimeThrough = Math.max(eventTimeThrough, batch.eventTime);
        for (int p = 0; p < batch.offsets.length; p++) {
            trainedOffsets = OpenBatch.withPartition(trainedOffsets, p);
            trainedOffsets[p] = Math.max(trainedOffsets[p], batch.offsets[p]);
        }
        long newest = batch.newestMillis;
        batch.clear();
        batchesApplied++;
        return encoder.encode(learner, versions.version(), base, newest);
    }

    /** Offset of the last trained record per partition of the labeled topic (-1: none from it). */
    public long[] trainedOffsets() {
        return trainedOffsets.clone();
    }

    public void freeze() {
        frozen = true;
    }

    /** Learning resumes (by command): an episode of the guard is over too. */
    public void resume() {
        frozen = false;
        frozenByGuard = false;
        guard.endEpisode();
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
        return versions.version();
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
    /** The served scores of joined impressions against their labels. */
    public PrequentialMetrics servedMetrics() {
        return servedMetrics;
    }

    public PrequentialMetrics forecastMetrics() {
        return forecastMetrics;
    }

    /** The seasonal-naive forecasts of the same points. */
    public PrequentialMetrics naiveMetrics() {
        return naiveMetrics;
    }

    /** Current weight of a coordinate (for tests and inspection). */
    public double weight(int coordinate) {
        return learner.weight(coordinate);
    }

    /** The prediction the current model makes for an example's features, without learning. */
    public double predict(Features features) {
        return learner.predict(features);
    }

    public ModelSnapshot snapshot() {
        ModelSnapshot s = new ModelSnapshot();
        s.modelId = spec.id;
        s.version = versions.version();
        s.parentVersion = versions.parent();
        s.eventTimeThrough = eventTimeThrough;
        s.lastStoredAtMillis = lastStoredAtMillis;
        s.recent = recent.toArray();
        s.trainedOffsets = trainedOffsets.clone();
        s.examplesTrained = examplesTrained;
        s.batchesApplied = batchesApplied;
        s.updatesRefused = updatesRefused;
        s.guardDetector = guard.detectorState();
        s.guardInEpisode = guard.inEpisode();
        s.guardEpisodeLength = guard.episodeLength();
        s.guardQuietFor = guard.quietFor();
        s.guardAlarms = guard.alarms();
        s.guardLastAlarmMillis = guard.lastAlarmMillis();
        s.guardLastAlarmRatio = guard.lastAlarmRatio();
        s.guardLastAction = guard.lastAction().name();
        s.continuedAfterVersion = continuedAfter;
        s.frozenByGuard = frozenByGuard;
        s.lossSinceStored = lossSinceStored;
        s.examplesSinceStored = examplesSinceStored;
        s.frozen = frozen;
        s.dimension = learner.dimension();
        s.state = learner.state();
        s.metrics = metrics.snapshot();
        s.forecastMetrics = forecastMetrics.snapshot();
        s.naiveMetrics = naiveMetrics.snapshot();
        s.servedMetrics = servedMetrics.snapshot();
        s.openBatchSize = batch.size;
        s.openBatchOpenedAtMillis = batch.openedAtMillis;
        s.openBatchNewestMillis = batch.newestMillis;
        s.openBatchEventTime = batch.eventTime;
        s.openBatchOffsets = batch.offsets.clone();
        return s;
    }

    /** Whether a version should go to the model store now. */
    public boolean storeDue(long nowMillis) {
        return nowMillis - lastStoredAtMillis >= spec.get(ModelOptions.STORE_INTERVAL);
    }

    /** When the current version may be stored, if it is not yet. */
    public long nextStoreAt() {
        return lastStoredAtMillis + spec.get(ModelOptions.STORE_INTERVAL);
    }

    /** Whether the current version has not been stored yet. */
    public boolean hasUnstoredVersion() {
        return !recent.newestIs(versions.version());
    }

    /**
     * The current version as a stored model, with the prequential metrics at this point; kept
     * among the recent versions (for rollback without the store).
     */
    public StoredModel store(long nowMillis) {
        StoredModel m = new StoredModel();
        m.modelId = spec.id;
        m.version = versions.version();
        m.parentVersion = versions.parent();
        m.createdAtMillis = nowMillis;
        m.examplesTrained = examplesTrained;
        m.batchesApplied = batchesApplied;
        m.eventTimeThrough = eventTimeThrough;
        m.offsetsThrough = trainedOffsets.clone();
        m.loss = spec.loss();
        m.optimizer = spec.optimizer();
        m.hashBits = spec.hashBits();
        m.frozen = frozen;
        m.state = learner.state();
        List<ModelMetric> quality = new ArrayList<>();
        for (ModelMetric metric : ModelMetric.of(spec.loss(), forecastMetrics.seen() > 0)) {
            if (metric.isQuality()) {
                quality.add(metric);
            }
        }
        m.metricNames = new String[quality.size()];
        m.metricValues = new double[quality.size()];
        for (int i = 0; i < quality.size(); i++) {
            m.metricNames[i] = quality.get(i).metricName();
            m.metricValues[i] = quality.get(i).read(this);
        }
        lastStoredAtMillis = nowMillis;
        lossSinceStored = 0;
        examplesSinceStored = 0;
        recent.add(m);
        return m;
    }

    /** A recently stored version, or null when it is not among them. */
    public StoredModel recentVersion(long wanted) {
        return recent.find(wanted);
    }

    /** The recently stored versions, oldest first. */
    public List<StoredModel> recentVersions() {
        return recent.list();
    }

    /** The current windowed loss (log loss or RMSE) that a "previous better" version must beat. */
    public double currentQualityLoss() {
        return spec.loss() == Loss.LOGISTIC ? metrics.windowLoss() : metrics.windowRmse();
    }

    /**
     * Makes a stored version's weights, optimizer state and scaling the next version, as if the
     * versions after it had never happened; its parent is the restored version. What was learnt
     * since the last version is dropped with them. Returns the full update that makes inference
     * serve it.
     */
    public ModelUpdate rollbackTo(StoredModel target, long nowMillis) {
        checkCompatible(target);
        learner.load(target.state);
        batch.clear();
        long base = versions.nextFrom(target.version);
        return encoder.full(learner, versions.version(), base, nowMillis);
    }

    private void checkCompatible(StoredModel m) {
        boolean optimizerFits = m.optimizer == null || m.optimizer == spec.optimizer(); // null: a batch fit
        if (m.dimension() != learner.dimension() || !optimizerFits || spec.loss() != m.loss) {
            throw new IllegalArgumentException("version " + m.version + " of '" + m.modelId + "' was made with "
                    + m.loss + "/" + m.optimizer + " on 2^" + m.hashBits + " features; the model is configured with "
                    + spec.loss() + "/" + spec.optimizer() + " on 2^" + spec.hashBits());
        }
    }

    /**
     * Later versions may already exist elsewhere (in the model store): after a restore from an
     * older savepoint, or in a job submitted anew against a kept store. The current model then
     * continues as the version after the newest one, with the current version as parent, so that a
     * version number never names two different models. {@code sameModelIfEqual}: whether an
     * existing version with the current number is this very model (restored, or the initial model
     * file) rather than another. True when the version moved.
     */
    public boolean continueAfter(long newestExistingVersion, boolean sameModelIfEqual) {
        if (!versions.continueAfter(newestExistingVersion, sameModelIfEqual)) {
            return false;
        }
        encoder.requireFull();
        continuedAfter = newestExistingVersion;
        return true;
    }

    /** The newest version that existed elsewhere when this model started or was restored and moved past it; -1 none. */
    public long continuedAfter() {
        return continuedAfter;
    }

    /** A trainer that starts from a model file (for instance a batch model trained offline) instead of zeros. */
    public static ModelTrainer startingFrom(ModelSpec spec, StoredModel initial) {
        return startingFrom(spec, initial, new HeapRecentVersions(spec.get(ModelOptions.STORE_RECENT)));
    }

    static ModelTrainer startingFrom(ModelSpec spec, StoredModel initial, RecentVersions recent) {
        ModelTrainer t = new ModelTrainer(
                spec,
                new PrequentialMetrics(spec.loss(), spec.get(ModelOptions.METRICS_WINDOW)),
                new PrequentialMetrics(Loss.SQUARED, spec.get(ModelOptions.METRICS_WINDOW)),
                new PrequentialMetrics(Loss.SQUARED, spec.get(ModelOptions.METRICS_WINDOW)),
                new PrequentialMetrics(spec.loss(), spec.get(ModelOptions.METRICS_WINDOW)),
                new VersionLine(initial.version, initial.parentVersion),
                recent);
        t.checkCompatible(initial);
        t.learner.load(initial.state);
        return t;
    }

    /**
     * Rebuilds a trainer from a snapshot. The next update is a full one, so that inference
     * converges on these weights whatever it held before.
     */
    public static ModelTrainer restore(ModelSpec spec, ModelSnapshot s) {
        return restore(spec, s, new HeapRecentVersions(spec.get(ModelOptions.STORE_RECENT)));
    }

    static ModelTrainer restore(ModelSpec spec, ModelSnapshot s, RecentVersions recent) {
        if (s.state == null) {
            // checkpointed before models kept their scaling (its weights are of unscaled features): the model
            // learns anew, as the version after the checkpointed one, so no version number names two models
            ModelTrainer fresh = new ModelTrainer(spec, recent);
            fresh.continueAfter(s.version, false);
            return fresh;
        }
        if (s.dimension != spec.dimension()) {
            throw new IllegalStateException("model '" + spec.id + "' was snapshotted with dimension " + s.dimension
                    + " but is configured with " + spec.dimension() + " (hash bits changed?)");
        }
        ModelTrainer t = new ModelTrainer(
                spec,
                PrequentialMetrics.restore(spec.loss(), spec.get(ModelOptions.METRICS_WINDOW), s.metrics),
                PrequentialMetrics.restore(Loss.SQUARED, spec.get(ModelOptions.METRICS_WINDOW), s.forecastMetrics),
                PrequentialMetrics.restore(Loss.SQUARED, spec.get(ModelOptions.METRICS_WINDOW), s.naiveMetrics),
                s.servedMetrics == null
                        ? new PrequentialMetrics(spec.loss(), spec.get(ModelOptions.METRICS_WINDOW))
                        : PrequentialMetrics.restore(
                                spec.loss(), spec.get(ModelOptions.METRICS_WINDOW), s.servedMetrics),
                new VersionLine(s.version, s.parentVersion),
                recent);
        if (s.state.optimizerArrays != t.learner.optimizerArrays()) {
            throw new IllegalStateException("model '" + spec.id + "' was snapshotted with another optimizer ("
                    + s.state.optimizerArrays + " state arrays, configured " + spec.optimizer() + " has "
                    + t.learner.optimizerArrays() + ")");
        }
        t.learner.load(s.state);
        t.eventTimeThrough = s.eventTimeThrough;
        t.lastStoredAtMillis = s.lastStoredAtMillis;
        t.trainedOffsets = s.trainedOffsets == null ? new long[0] : s.trainedOffsets.clone();
        t.recent.restore(s.recent);
        t.examplesTrained = s.examplesTrained;
        t.batchesApplied = s.batchesApplied;
        t.updatesRefused = s.updatesRefused;
        t.guard.restore(s.guardDetector, s.guardInEpisode, s.guardEpisodeLength, s.guardQuietFor, s.guardAlarms);
        t.guard.restoreLastAlarm(s.guardLastAlarmMillis, s.guardLastAlarmRatio, s.guardLastAction);
        // 0 in snapshots from before it was kept, when -1 (none) is meant
        t.continuedAfter = s.continuedAfterVersion > 0 ? s.continuedAfterVersion : -1;
        t.frozenByGuard = s.frozenByGuard;
        t.lossSinceStored = s.lossSinceStored;
        t.examplesSinceStored = s.examplesSinceStored;
        t.frozen = s.frozen;
        t.batch.size = s.openBatchSize;
        t.batch.openedAtMillis = s.openBatchOpenedAtMillis;
        t.batch.newestMillis = s.openBatchNewestMillis;
        t.batch.eventTime = s.openBatchEventTime;
        t.batch.offsets = s.openBatchOffsets == null ? new long[0] : s.openBatchOffsets.clone();
        return t;
    }
}
