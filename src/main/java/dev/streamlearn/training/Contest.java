package dev.streamlearn.training;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.LearnerSnapshot;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelSpec.Serving;
import dev.streamlearn.model.ModelState;
import dev.streamlearn.model.SparseWeights;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.TableColumns;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Features;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A model's learners side by side: the champion, whose weights are served (alone, or blended
 * with those of the challengers that weigh like it: {@link ServedBlend}), and its challengers.
 * Every learner scores each example before learning from it, so their losses pair up example by
 * example ({@link PairedLosses}). At the end of each block of the promotion window, a challenger
 * that beat the champion over the whole window ({@link PromotionRule}) may be promoted; none is
 * while the contest is pinned, and none that its guard paused. A promoted learner has just won
 * on the window its predecessor would now have to win on, so two learners do not flap.
 */
final class Contest {

    private final Loss loss;
    private final List<Contender> contenders;
    private final ExampleRows sharedRows;
    private final PairedLosses paired;
    private final int window;
    private final PromotionRule rule;
    private int champion;
    private boolean pinned;
    private long promotions;
    private boolean checkDue;
    private Standing[] lastComparisons;
    private LearnerListener listener;
    // what is served when a blend is (null: the champion alone)
    private final ServedBlend blend;

    private Contest(ModelSpec spec, List<Contender> contenders, ExampleRows sharedRows) {
        this.loss = spec.loss();
        this.contenders = contenders;
        this.sharedRows = sharedRows;
        this.window = spec.get(ModelOptions.PROMOTION_WINDOW);
        this.rule =
                new PromotionRule(spec.get(ModelOptions.PROMOTION_MARGIN), spec.get(ModelOptions.PROMOTION_STD_ERRORS));
        this.paired = contenders.size() > 1 ? new PairedLosses(contenders.size(), window) : null;
        this.lastComparisons = new Standing[contenders.size()];
        this.blend = paired != null && spec.get(ModelOptions.SERVE) == Serving.BLEND
                ? new ServedBlend(
                        contenders, contenders.get(0).learner.changes(), window, ModelOptions.PROMOTION_BLOCKS)
                : null;
        makeChampion(0);
        if (blend != null) {
            blend.restart(0);
        }
    }

    /**
     * Only the served weights' changes are sent as deltas, so only the champion's learner keeps
     * track of them, or, with a blend, every learner (in one list) and the champion's scaling.
     */
    private void makeChampion(int learner) {
        champion = learner;
        for (int k = 0; k < contenders.size(); k++) {
            contenders.get(k).learner.trackChanges(k == learner || blend != null, k == learner);
        }
    }

    /** The model's own learner as champion, its challengers beside it, all empty. */
    static Contest of(ModelSpec spec) {
        ExampleRows rows = new ExampleRows();
        return new Contest(spec, contenders(spec.learners(), rows), rows);
    }

    /**
     * Learners of the given specs, in one table: they learn from the same examples, so they have
     * the same coordinates, whose rows the first finds for all ({@code rows}; a learner alone finds
     * its own).
     */
    private static List<Contender> contenders(List<ModelSpec> learners, ExampleRows rows) {
        TableColumns[] columns = Optimizers.sharedColumns(learners);
        List<Contender> all = new ArrayList<>();
        ChangedWeights changes = new ChangedWeights(columns[0].table());
        for (int k = 0; k < columns.length; k++) {
            all.add(new Contender(learners.get(k), columns[k], columns.length > 1 ? rows : null, changes));
        }
        return all;
    }

    Contender champion() {
        return contenders.get(champion);
    }

    int championIndex() {
        return champion;
    }

    List<Contender> contenders() {
        return Collections.unmodifiableList(contenders);
    }

    boolean hasChallengers() {
        return contenders.size() > 1;
    }

    /**
     * Every learner scores the example and, when {@code learn}, learns from it; returns the
     * champion's prediction. With no challengers, that is all.
     */
    double score(Example e, boolean learn) {
        if (paired == null) {
            Learner only = champion().learner;
            return learn ? learnFrom(only, e) : only.predict(e.features);
        }
        double championPrediction = 0;
        sharedRows.nextExample();
        for (int k = 0; k < contenders.size(); k++) {
            Contender c = contenders.get(k);
            double prediction = c.score(e, learn);
            if (listener != null) {
                listener.scored(k, prediction);
            }
            double judged = loss.judged(prediction, e.label);
            paired.set(k, judged);
            c.watch(judged, k == champion);
            if (blend != null) {
                // squared loss: its predictions, made before the label counted into the scaling statistics
                blend.scored(k, loss == Loss.SQUARED ? prediction : c.learner.lastMargin(), judged);
            }
            if (k == champion) {
                championPrediction = prediction;
            }
        }
        checkDue |= paired.next();
        if (blend == null) {
            return championPrediction;
        }
        double served = loss == Loss.SQUARED ? blend.margin() : loss.predict(blend.margin());
        blend.next(learn, champion);
        return served;
    }

    /** The prediction served for the features, without learning: the champion's, or the blend's. */
    double serve(Features f) {
        Learner served = champion().learner;
        if (blend == null) {
            return served.serve(f);
        }
        for (int k = 0; k < contenders.size(); k++) {
            contenders.get(k).learner.predict(f);
            blend.scored(k, contenders.get(k).learner.lastMargin(), 0);
        }
        return LinearScorer.served(loss, served.scaler(), served.calibration(), blend.margin());
    }

    /** The served weights changed since the last update, in the order they first changed; forgets that they did. */
    SparseWeights drainServedChanges() {
        return blend == null ? champion().learner.drainChanged() : blend.drainChanged();
    }

    /** Every non-zero served weight, in coordinate order. */
    SparseWeights servedWeights() {
        return blend == null ? champion().learner.nonZeroWeights() : blend.nonZeroWeights();
    }

    /** Forgets which served weights and scaling entries changed (after a full update). */
    void clearServedChanges() {
        if (blend != null) {
            blend.clearChanged();
        }
        champion().learner.clearChanged();
    }

    /** Whether what is served changed as a whole since the last call (the blend's mix): the next update is full. */
    boolean takeServedChangedWhole() {
        return blend != null && blend.takeMixChanged();
    }

    /** A learner's weight in what is served: its share of the blend, or 1 for a champion served alone. */
    double servedWeight(int learner) {
        return blend == null ? (learner == champion ? 1 : 0) : blend.weight(learner);
    }

    /** Each learner's weight in the served blend, by position; null when the champion is served alone. */
    double[] blendWeights() {
        return blend == null ? null : blend.mixWeights().clone();
    }

    /** The learner learns from the example as its use says; returns the prediction made before learning. */
    static double learnFrom(Learner learner, Example e) {
        return e.use == Example.Use.LEARN_FAKE_NEGATIVE
                ? learner.learnFakeNegative(e.features, e.label, e.weight)
                : learner.learn(e.features, e.label, e.weight);
    }

    /** Tells the listener of every learner's score of each example (only when there are challengers). */
    void onScored(LearnerListener l) {
        this.listener = l;
    }

    /** Whether the champion refused the last example's update (it would have made it non-finite). */
    boolean championRefused() {
        return champion().learner.lastUpdateRefused();
    }

    /**
     * At the end of a block of a full window: the challenger to promote, or null. Comparisons are
     * kept for the leaderboard either way.
     */
    ContestVerdict verdict() {
        if (!checkDue || !paired.full()) {
            return null;
        }
        checkDue = false;
        PairedLosses.Comparison[] all = compareAll();
        boolean[] eligible = new boolean[all.length];
        for (int k = 0; k < all.length; k++) {
            eligible[k] = !pinned && !contenders.get(k).paused;
        }
        int best = rule.choose(all, eligible);
        return best < 0 ? null : new ContestVerdict(best, contenders.get(best).name(), all[best], window);
    }

    /** Every learner against the champion over the window, kept for the leaderboard. */
    private PairedLosses.Comparison[] compareAll() {
        PairedLosses.Comparison[] all = paired.compareAll(champion);
        for (int k = 0; k < all.length; k++) {
            lastComparisons[k] = all[k] == null ? null : new Standing(all[k]);
        }
        return all;
    }

    /** Makes a learner the champion for having won, or by command (the former one stays on as a challenger). */
    void promote(int learner) {
        serve(learner);
        promotions++;
    }

    /** Makes a learner the champion: a rollback to one of its versions. */
    void serve(int learner) {
        makeChampion(learner);
        contenders.get(learner).paused = false;
        Arrays.fill(lastComparisons, null);
        if (blend != null) {
            blend.championChanged(learner);
        }
    }

    /** The learner of this name, or -1. */
    int indexOf(String name) {
        for (int k = 0; k < contenders.size(); k++) {
            if (contenders.get(k).name().equals(name)) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Loads a version into the learner that made it, which becomes the champion (or, when the
     * model has no learner of that name, into the champion, if it learns the same way).
     */
    void load(StoredModel m, ModelSpec spec) {
        int made = indexOf(m.learnerName());
        Contender into = made >= 0 ? contenders.get(made) : champion();
        boolean optimizerFits = m.optimizer == null || m.optimizer == into.spec.optimizer(); // null: a batch fit
        if (m.dimension() != spec.dimension() || !optimizerFits || spec.loss() != m.loss) {
            throw new IllegalArgumentException("version " + m.version + " of '" + m.modelId + "' was made with "
                    + m.loss + "/" + m.optimizer + " on 2^" + m.hashBits + " features; the model's learner '"
                    + into.name() + "' is configured with " + spec.loss() + "/" + into.spec.optimizer() + " on 2^"
                    + spec.hashBits());
        }
        if (!into.learner.scaler().transformsAs(m.state.scale)) {
            throw new IllegalArgumentException("version " + m.version + " of '" + m.modelId + "' was made by learner '"
                    + m.learnerName() + "' (" + m.learnerOptions + "), whose scaling the model's learner '"
                    + into.name() + "' does not share; configure that challenger again to roll back to it");
        }
        into.learner.load(m.state);
        if (made >= 0) {
            serve(made);
        }
        if (blend != null) {
            blend.restart(champion); // the version is served as it was stored; the others earn their way back
        }
    }

    /** No automatic promotions, and the champion served alone (people chose it), while pinned. */
    void pin(boolean on) {
        pinned = on;
        if (blend != null) {
            blend.serveAlone(on, champion);
        }
    }

    boolean pinned() {
        return pinned;
    }

    long promotions() {
        return promotions;
    }

    /** A challenger's last comparison with the champion (null before its window first filled, and for the champion). */
    Standing comparison(int learner) {
        return lastComparisons[learner];
    }

    /**
     * Writes what every learner has learnt, the champion's as the model's state, and the contest's
     * standing. The rows of the learners' shared table are put in coordinate order once for all.
     */
    void writeTo(ModelSnapshot s) {
        s.champion = champion().name();
        s.pinned = pinned;
        s.promotions = promotions;
        if (paired == null) {
            s.state = champion().learner.state();
            return;
        }
        Learner[] learners = new Learner[contenders.size()];
        for (int k = 0; k < learners.length; k++) {
            learners[k] = contenders.get(k).learner;
        }
        ModelState[] states = LearnerStates.of(learners, champion().learner.tableRowsInCoordinateOrder());
        s.state = states[champion];
        s.learners = new LearnerSnapshot[contenders.size()];
        for (int k = 0; k < contenders.size(); k++) {
            Contender c = contenders.get(k);
            LearnerSnapshot l = new LearnerSnapshot();
            l.name = c.name();
            l.options = c.spec.learnerOverrides();
            l.state = k == champion ? null : states[k];
            l.scores = c.scores.snapshot();
            l.paused = c.paused;
            l.examplesLearnt = c.examplesLearnt;
            l.updatesRefused = c.updatesRefused;
            l.guardDetector = c.guard.detectorState();
            l.guardInEpisode = c.guard.inEpisode();
            l.guardEpisodeLength = c.guard.episodeLength();
            l.guardQuietFor = c.guard.quietFor();
            l.guardAlarms = c.guard.alarms();
            s.learners[k] = l;
        }
        s.blend = blend == null ? null : blend.state();
        s.pairedLosses = paired.losses();
        s.pairedPosition = paired.position();
        s.pairedFilled = paired.filled();
    }

    /** The given learners, all empty, the champion named so among them. */
    static Contest of(ModelSpec spec, List<ModelSpec> learners, String champion) {
        ExampleRows rows = new ExampleRows();
        Contest contest = new Contest(spec, contenders(learners, rows), rows);
        contest.makeChampion(contest.indexOf(champion));
        return contest;
    }

    /**
     * Continues the contest's own standing from a snapshot: pinned, promotions, and, when the
     * learners are those of the snapshot in the same order, the paired losses and the blend.
     */
    void continueFrom(ModelSnapshot s, boolean sameLearners) {
        promotions = s.promotions;
        if (paired != null && s.pairedLosses != null && sameLearners) {
            try {
                paired.restore(s.pairedLosses, s.pairedPosition, s.pairedFilled);
                if (paired.full()) {
                    compareAll(); // the leaderboard of the restored window, before the next block ends
                }
            } catch (IllegalArgumentException e) {
                // another window: the comparison starts anew
            }
        }
        if (blend != null && !(sameLearners && blend.restore(s.blend))) {
            blend.restart(champion);
        }
        pin(s.pinned);
        takeServedChangedWhole(); // a restored model's first update is full anyway
    }
}
