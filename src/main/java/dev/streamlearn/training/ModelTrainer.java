package dev.streamlearn.training;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.metrics.PrequentialMetrics;
import dev.streamlearn.model.Calibration;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Features;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model's life: every example is scored with the current model before it is learnt from
 * (prequential evaluation) and then learnt at once, by the champion {@link Learner} and by each
 * challenger beside it ({@link Contest}); every mini-batch (closed by size, or by time in the
 * Flink adapter) makes the next version of what is served and one update for inference, and so
 * does a promotion. Versions only grow, also across snapshots, rollbacks and restores. Its guard
 * ({@link GuardPolicy}) watches the served scores; a snapshot is made of its parts' own.
 */
public final class ModelTrainer {

    private final ModelSpec spec;
    private final Loss loss;
    private final int batchSize;
    private final long batchMillis;
    private final long storeIntervalMillis;
    private final Contest contest;
    private final PrequentialQuality quality;
    private final VersionLine versions;
    private final UpdateEncoder encoder;
    private final RecentVersions recent;
    private final OpenBatch batch = new OpenBatch();
    private final TrainingProgress progress = new TrainingProgress();
    private final GuardPolicy guard;
    // examples whose update was refused since the adapter last asked, to dead-letter them
    private final List<Example> refused = new ArrayList<>();
    private boolean frozen;
    private long continuedAfter = -1;
    private ContestVerdict verdict;
    // the version a rollback went to, until the version it made is stored with its figures (held no longer)
    private StoredModel rolledBackTo;
    private ScoreListener scoreListener = (prediction, label) -> {};

    /** A trainer whose recent versions are kept on the heap, in its snapshots. */
    public ModelTrainer(ModelSpec spec) {
        this(spec, new HeapRecentVersions(spec.get(ModelOptions.STORE_RECENT)));
    }

    ModelTrainer(ModelSpec spec, RecentVersions recent) {
        this(spec, new VersionLine(0, 0), recent, Contest.of(spec));
    }

    ModelTrainer(ModelSpec spec, VersionLine versions, RecentVersions recent, Contest contest) {
        this.spec = spec;
        this.loss = spec.loss();
        this.batchSize = spec.get(ModelOptions.BATCH_SIZE);
        this.batchMillis = spec.get(ModelOptions.BATCH_MILLIS);
        this.storeIntervalMillis = spec.get(ModelOptions.STORE_INTERVAL);
        this.contest = contest;
        this.quality = new PrequentialQuality(spec);
        this.versions = versions;
        this.encoder = new UpdateEncoder(spec.id, spec.get(ModelOptions.FULL_UPDATE_EVERY));
        this.recent = recent;
        this.guard = new GuardPolicy(this, spec);
    }

    /**
     * Scores the example, then learns from it (unless frozen), and adds it to the open batch; true
     * when the batch has reached its size and should become a version ({@link #applyBatch}).
     */
    public boolean add(Example e, long nowMillis) {
        if (e.use == Example.Use.CALIBRATE) {
            calibrate(e);
            return false;
        }
        double prediction = contest.score(e, !frozen);
        if (contest.takeServedChangedWhole()) {
            encoder.requireFull(); // the blend's mix moved: every served weight did
        }
        if (!frozen) {
            if (contest.championRefused()) {
                progress.updatesRefused++;
                refused.add(e);
            } else {
                progress.learnt(loss.loss(prediction, e.label));
                batch.add(e.ts, e.partition, e.offset, nowMillis);
            }
        }
        quality.record(e, prediction);
        scoreListener.scored(prediction, e.label);
        guard.scored(prediction, e.label, nowMillis);
        if (contest.hasChallengers()) {
            ContestVerdict v = contest.verdict();
            verdict = frozen ? null : v; // a frozen model serves what it serves
        }
        return batch.size >= batchSize;
    }

    /**
     * A final label of fake-negative releases: it judges the score that was served and teaches the
     * champion's calibration (unless frozen); it is not learnt, and is not a prequential score.
     */
    private void calibrate(Example e) {
        quality.recordServed(e);
        if (!frozen && !Double.isNaN(e.servedMargin)) {
            contest.champion().learner.calibrate(e.servedMargin, e.label);
        }
    }

    /** A challenger that has just beaten the champion (once: the caller promotes it), or null. */
    ContestVerdict takeVerdict() {
        ContestVerdict v = verdict;
        verdict = null;
        return v;
    }

    /** The model's learners, champion and challengers. */
    Contest contest() {
        return contest;
    }

    /** The name of the learner whose versions are served. */
    public String champion() {
        return contest.champion().name();
    }

    /** Makes a challenger the champion, served from the next version on, in full; the former learns on beside it. */
    ModelUpdate promote(int learner, long nowMillis) {
        Calibration served = contest.champion().learner.calibration();
        contest.promote(learner);
        contest.champion().learner.calibrateAs(served); // learnt on served margins, it serves on
        return nextVersionInFull(nowMillis);
    }

    /** Pins (the champion alone, no promotions) or unpins the model; the next version's update when what is served changed. */
    ModelUpdate pin(boolean on, long nowMillis) {
        contest.pin(on);
        return contest.takeServedChangedWhole() ? nextVersionInFull(nowMillis) : null;
    }

    /** What is served now becomes the next version, in full; the open batch's examples are in it. */
    private ModelUpdate nextVersionInFull(long nowMillis) {
        long base = versions.next();
        if (batch.size > 0) {
            progress.applied(batch); // the champion learnt the open batch's examples too
            batch.clear();
        }
        return encoder.full(contest, versions.version(), base, nowMillis);
    }

    /** The model's guard: its alarms, and what it did since it was last asked. */
    public GuardPolicy guard() {
        return guard;
    }

    /** The mean loss of the examples learnt since the last stored version (NaN when none). */
    public double lossSinceStored() {
        return progress.lossSinceStored();
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
        return progress.updatesRefused;
    }

    /** Replaces the listener told of each prequential score (by default, nobody is told). */
    public void onScored(ScoreListener listener) {
        this.scoreListener = listener;
    }

    /** Sets the listener told of each learner's score of each example, when the model has challengers. */
    public void onLearnerScored(LearnerListener listener) {
        contest.onScored(listener);
    }

    /** Each learner by name (in the positions {@link LearnerListener} is told) and its share of what is served. */
    public Map<String, Double> learnerShares() {
        Map<String, Double> shares = new LinkedHashMap<>();
        contest.contenders().forEach(c -> shares.put(c.name(), contest.servedWeight(shares.size())));
        return shares;
    }

    public int openBatchSize() {
        return batch.size;
    }

    /** When the open batch must close by time, in wall-clock millis. */
    public long batchDeadline() {
        return batch.openedAtMillis + batchMillis;
    }

    /**
     * Makes the examples learnt since the last version the next version, and returns its update
     * for inference (a delta, or a full update on the first version after start or every
     * {@code update.full-every} versions). Null when nothing was learnt since (none, or frozen).
     */
    public ModelUpdate applyBatch() {
        if (batch.size == 0) {
            return null;
        }
        long base = versions.next();
        progress.applied(batch);
        long newest = batch.newestMillis;
        batch.clear();
        return encoder.encode(contest, versions.version(), base, newest);
    }

    /** Offset of the last trained record per partition of the labeled topic (-1: none from it). */
    public long[] trainedOffsets() {
        return progress.trainedOffsets.clone();
    }

    /** Learning stops by command until a command resumes it, even when the guard froze the model first. */
    public void freeze() {
        frozen = true;
        guard.operatorFroze();
    }

    /** Learning resumes (by command): an episode of the guard is over too. */
    public void resume() {
        frozen = false;
        guard.operatorResumed();
    }

    void frozenByGuard(boolean frozen) {
        this.frozen = frozen;
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
        return progress.examplesTrained;
    }

    public long batchesApplied() {
        return progress.batchesApplied;
    }

    public PrequentialMetrics metrics() {
        return quality.scores();
    }

    /** The served scores of joined impressions against their labels. */
    public PrequentialMetrics servedMetrics() {
        return quality.served();
    }

    /** Time-series forecasts in the series' scale (empty for other models). */
    public PrequentialMetrics forecastMetrics() {
        return quality.forecasts();
    }

    /** The seasonal-naive forecasts of the same points. */
    public PrequentialMetrics naiveMetrics() {
        return quality.naive();
    }

    /** Current weight of a coordinate (for tests and inspection). */
    public double weight(int coordinate) {
        return contest.champion().learner.weight(coordinate);
    }

    /** The prediction the current model serves for an example's features, without learning. */
    public double predict(Features features) {
        return contest.serve(features);
    }

    /** Everything to continue exactly here: each part writes its own. */
    public ModelSnapshot snapshot() {
        ModelSnapshot s = new ModelSnapshot();
        s.modelId = spec.id;
        versions.writeTo(s);
        s.continuedAfterVersion = continuedAfter;
        s.frozen = frozen;
        s.dimension = spec.dimension();
        s.recent = recent.toArray();
        contest.writeTo(s); // the champion's state too
        progress.writeTo(s);
        quality.writeTo(s);
        guard.writeTo(s);
        batch.writeTo(s);
        return s;
    }

    /** Whether a version should go to the model store now. */
    public boolean storeDue(long nowMillis) {
        return nowMillis - progress.lastStoredAtMillis >= storeIntervalMillis;
    }

    /** When the current version may be stored, if it is not yet. */
    public long nextStoreAt() {
        return progress.lastStoredAtMillis + storeIntervalMillis;
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
        StoredModel m = StoredModels.of(this, versions, progress, nowMillis, rolledBackTo);
        rolledBackTo = null;
        progress.stored(nowMillis);
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
        return quality.windowLoss();
    }

    /**
     * Makes a stored version (its learner's weights, optimizer state and scaling) the next one, its
     * parent, served alone, as if the versions after it had never happened; returns its update.
     */
    public ModelUpdate rollbackTo(StoredModel target, long nowMillis) {
        contest.load(target, spec);
        batch.clear();
        rolledBackTo = target;
        long base = versions.nextFrom(target.version);
        return encoder.full(contest, versions.version(), base, nowMillis);
    }

    /**
     * Later versions may exist elsewhere (the store, after a restore from an older savepoint or in a
     * job submitted anew against a kept store): the model then continues after the newest, its
     * current version as parent, so a number never names two models. {@code sameModelIfEqual}: an
     * existing version of the current number is this very model (restored, or the initial model
     * file). True when the version moved.
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

    /** Continues where a snapshot ({@link #snapshot}) left off: each part reads its own. */
    void readFrom(ModelSnapshot s) {
        recent.restore(s.recent);
        // 0 in snapshots from before it was kept, when -1 (none) is meant
        continuedAfter = s.continuedAfterVersion > 0 ? s.continuedAfterVersion : -1;
        frozen = s.frozen;
        progress.readFrom(s);
        quality.readFrom(s);
        guard.readFrom(s);
        batch.readFrom(s);
    }
}
