package dev.streamlearn.training;

import dev.streamlearn.metrics.PrequentialMetrics;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelSpec.GuardAction;
import dev.streamlearn.model.TableColumns;
import dev.streamlearn.records.Example;

/**
 * One learner of a model, champion or challenger: what it has learnt, its own prequential scores,
 * and, while it is a challenger, its own guard, which pauses its learning (when the model's
 * guard would freeze) after a sudden rise of its loss; a challenger so paused is not promoted.
 */
final class Contender {

    final ModelSpec spec;
    final Learner learner;
    PrequentialMetrics scores;
    final LossGuard guard;
    private final boolean guardPauses;
    /** Whether its own guard paused its learning (only ever while a challenger). */
    boolean paused;

    long examplesLearnt;
    long updatesRefused;

    /**
     * Learning in the given columns of the table it shares with the model's other learners, with
     * their rows of each example and their one list of changed weights.
     */
    Contender(ModelSpec spec, TableColumns columns, ExampleRows sharedRows, ChangedWeights sharedChanges) {
        this.spec = spec;
        this.learner = new Learner(spec, columns, sharedRows, sharedChanges);
        this.scores = new PrequentialMetrics(spec.loss(), spec.get(ModelOptions.METRICS_WINDOW));
        this.guard = new LossGuard(spec);
        GuardAction action = spec.get(ModelOptions.GUARD_ACTION);
        this.guardPauses = action == GuardAction.FREEZE || action == GuardAction.ROLLBACK;
    }

    String name() {
        return spec.learnerName();
    }

    /**
     * Scores the example and, unless {@code learn} is false or its guard paused it, learns from
     * it; returns the prediction made before learning.
     */
    double score(Example e, boolean learn) {
        double prediction;
        if (learn && !paused) {
            prediction = Contest.learnFrom(learner, e);
            if (learner.lastUpdateRefused()) {
                updatesRefused++;
            } else {
                examplesLearnt++;
            }
        } else {
            prediction = learner.predict(e.features);
        }
        scores.record(prediction, e.label);
        return prediction;
    }

    /**
     * Its guard watches its judged loss, champion or not, so it knows the learner's normal when it
     * is a challenger again; only a challenger is paused by a sudden rise, and resumed when the
     * episode ends (the champion answers to the model's guard).
     */
    void watch(double judgedLoss, boolean champion) {
        LossGuard.Step step = guard.observe(judgedLoss);
        if (champion) {
            paused = false;
        } else if (step == LossGuard.Step.ALARM) {
            paused = guardPauses;
        } else if (step == LossGuard.Step.RECOVERED || step == LossGuard.Step.ACCEPTED) {
            paused = false;
        }
    }
}
