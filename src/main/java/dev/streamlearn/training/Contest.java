package dev.streamlearn.training;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.metrics.PrequentialMetrics;
import dev.streamlearn.model.Challenger;
import dev.streamlearn.model.ChallengerList;
import dev.streamlearn.model.LearnerSnapshot;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelState;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.TableColumns;
import dev.streamlearn.records.Example;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A model's learners side by side: the champion, whose weights are served, and its challengers.
 * Every learner scores each example before learning from it, so their losses pair up example by
 * example ({@link PairedLosses}). At the end of each block of the promotion window, a challenger
 * that beat the champion over the whole window ({@link PromotionRule}) may be promoted; none is
 * while the contest is pinned, and none that its guard paused. A promoted learner has just won
 * on the window its predecessor would now have to win on, so two learners do not flap.
 */
final class Contest {

    /** A challenger that beat the champion, and by how much. */
    static final class Verdict {
        final int challenger;
        final String name;
        final PairedLosses.Comparison comparison;
        final int window;

        Verdict(int challenger, String name, PairedLosses.Comparison comparison, int window) {
            this.challenger = challenger;
            this.name = name;
            this.comparison = comparison;
            this.window = window;
        }

        String reason(String champion) {
            return String.format(
                    Locale.ROOT,
                    "challenger '%s' beat '%s' over the last %d examples: mean loss %.4g against %.4g, %.1f%% lower,"
                            + " %.1f standard errors",
                    name,
                    champion,
                    window,
                    comparison.championLoss - comparison.improvement,
                    comparison.championLoss,
                    100 * comparison.relativeImprovement(),
                    comparison.standardErrors());
        }
    }

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
    private Comparison[] lastComparisons;
    private LearnerListener listener;

    private Contest(ModelSpec spec, List<Contender> contenders, ExampleRows sharedRows) {
        this.loss = spec.loss();
        this.contenders = contenders;
        this.sharedRows = sharedRows;
        this.window = spec.get(ModelOptions.PROMOTION_WINDOW);
        this.rule =
                new PromotionRule(spec.get(ModelOptions.PROMOTION_MARGIN), spec.get(ModelOptions.PROMOTION_STD_ERRORS));
        this.paired = contenders.size() > 1 ? new PairedLosses(contenders.size(), window) : null;
        this.lastComparisons = new Comparison[contenders.size()];
        makeChampion(0);
    }

    /** Only the champion's changes are sent as deltas, so only its learner keeps track of them. */
    private void makeChampion(int learner) {
        champion = learner;
        for (int k = 0; k < contenders.size(); k++) {
            contenders.get(k).learner.trackChanges(k == learner);
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
        for (int k = 0; k < columns.length; k++) {
            all.add(new Contender(learners.get(k), columns[k], columns.length > 1 ? rows : null));
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
            if (k == champion) {
                championPrediction = prediction;
            }
        }
        checkDue |= paired.next();
        return championPrediction;
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
    Verdict verdict() {
        if (!checkDue || !paired.full()) {
            return null;
        }
        checkDue = false;
        PairedLosses.Comparison[] all = paired.compareAll(champion);
        boolean[] eligible = new boolean[all.length];
        for (int k = 0; k < all.length; k++) {
            lastComparisons[k] = all[k] == null ? null : new Comparison(all[k]);
            eligible[k] = !pinned && !contenders.get(k).paused;
        }
        int best = rule.choose(all, eligible);
        return best < 0 ? null : new Verdict(best, contenders.get(best).name(), all[best], window);
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
    }

    void pin(boolean on) {
        pinned = on;
    }

    boolean pinned() {
        return pinned;
    }

    long promotions() {
        return promotions;
    }

    /** A challenger's last comparison with the champion (null before its window first filled, and for the champion). */
    Comparison comparison(int learner) {
        return lastComparisons[learner];
    }

    /** A challenger's standing against the champion at the last check, as the leaderboard shows it. */
    static final class Comparison {
        final double relativeImprovement;
        final double standardErrors;

        Comparison(PairedLosses.Comparison c) {
            this.relativeImprovement = c.relativeImprovement();
            this.standardErrors = c.standardErrors();
        }
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
        int[] rows = champion().learner.tableRowsInCoordinateOrder();
        s.state = champion().learner.state(rows);
        s.learners = new LearnerSnapshot[contenders.size()];
        for (int k = 0; k < contenders.size(); k++) {
            Contender c = contenders.get(k);
            LearnerSnapshot l = new LearnerSnapshot();
            l.name = c.name();
            l.options = c.spec.learnerOverrides();
            l.state = k == champion ? null : c.learner.state(rows);
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
        s.pairedLosses = paired.losses();
        s.pairedPosition = paired.position();
        s.pairedFilled = paired.filled();
    }

    /**
     * The learners of a snapshot, matched by name to those configured now. The champion carries
     * on, even when it is no longer configured (it is served: it stays until another is
     * promoted), with its recorded options; a challenger carries on when its options are as
     * recorded, else it starts anew, as does one configured since. The paired losses carry on
     * when the learners are the same, in the same order.
     */
    static Contest restore(ModelSpec spec, ModelSnapshot s) {
        List<ModelSpec> configured = new ArrayList<>(spec.learners());
        String championName = s.champion == null ? Challenger.DEFAULT : s.champion;
        LearnerSnapshot[] saved = s.learners == null ? new LearnerSnapshot[0] : s.learners;
        if (configured.stream().noneMatch(l -> l.learnerName().equals(championName))) {
            configured.add(unconfiguredChampion(spec, championName, saved));
        }
        ExampleRows rows = new ExampleRows();
        List<Contender> all = contenders(configured, rows);
        Contest contest = new Contest(spec, all, rows);
        contest.makeChampion(contest.indexOf(championName));
        contest.pinned = s.pinned;
        contest.promotions = s.promotions;
        loadChampion(spec, contest.champion(), s.state);
        for (int k = 0; k < all.size(); k++) {
            Contender c = all.get(k);
            LearnerSnapshot l = find(saved, c.name());
            if (l == null) {
                continue;
            }
            boolean isChampion = k == contest.champion;
            if (!isChampion) {
                if (!l.options.equals(c.spec.learnerOverrides())
                        || l.state == null
                        || l.state.optimizerArrays != c.learner.optimizerArrays()) {
                    continue; // its options changed: it learns anew
                }
                c.learner.load(l.state);
            }
            c.scores = PrequentialMetrics.restore(spec.loss(), spec.get(ModelOptions.METRICS_WINDOW), l.scores);
            c.paused = l.paused && !isChampion;
            c.examplesLearnt = l.examplesLearnt;
            c.updatesRefused = l.updatesRefused;
            c.guard.restore(l.guardDetector, l.guardInEpisode, l.guardEpisodeLength, l.guardQuietFor, l.guardAlarms);
        }
        if (contest.paired != null && s.pairedLosses != null && sameOrder(saved, all)) {
            try {
                contest.paired.restore(s.pairedLosses, s.pairedPosition, s.pairedFilled);
            } catch (IllegalArgumentException e) {
                // another window: the comparison starts anew
            }
        }
        return contest;
    }

    private static void loadChampion(ModelSpec spec, Contender champion, ModelState state) {
        if (state.optimizerArrays != champion.learner.optimizerArrays()) {
            throw new IllegalStateException("model '" + spec.id + "' was snapshotted with another optimizer ("
                    + state.optimizerArrays + " state arrays, its learner '" + champion.name() + "' is configured with "
                    + champion.spec.optimizer() + ", which has " + champion.learner.optimizerArrays() + ")");
        }
        champion.learner.load(state);
    }

    private static ModelSpec unconfiguredChampion(ModelSpec spec, String name, LearnerSnapshot[] saved) {
        LearnerSnapshot l = find(saved, name);
        String options = l == null ? "" : l.options;
        try {
            ChallengerList list = ChallengerList.TYPE.parse(name + ":" + options);
            return spec.learner(list.resolve(spec).get(0));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("model '" + spec.id + "' was serving challenger '" + name + "' ("
                    + options + "), which is no longer configured and whose options cannot be read any more ("
                    + e.getMessage() + "): configure it again under its name, or start without the state");
        }
    }

    private static LearnerSnapshot find(LearnerSnapshot[] saved, String name) {
        for (LearnerSnapshot l : saved) {
            if (l.name.equals(name)) {
                return l;
            }
        }
        return null;
    }

    private static boolean sameOrder(LearnerSnapshot[] saved, List<Contender> all) {
        if (saved.length != all.size()) {
            return false;
        }
        for (int k = 0; k < saved.length; k++) {
            if (!saved[k].name.equals(all.get(k).name())) {
                return false;
            }
        }
        return true;
    }
}
