package dev.streamlearn.evaluation;

import dev.streamlearn.metrics.Loss;
import java.util.Arrays;

/**
 * A blend of a model's learners, measured beside switching between them: each example's
 * prediction is a weighted average of theirs in the margin (the logit for logistic loss), which
 * for linear models that share their feature transform is itself one linear model. The weights
 * are Hedge's: proportional to exp(-eta S), S a learner's judged loss summed over about the last
 * {@code window} examples (discounted by 1 - 1/window), eta = sqrt(8 ln K / window) as for a
 * horizon of one window, so a learner that has been worse for a while weighs nothing.
 */
final class Blend {

    private final Loss loss;
    private final double decay;
    private final double eta;
    private final double[] sums;
    private final double[] predictions;

    Blend(Loss loss, int learners, int window) {
        this.loss = loss;
        this.decay = 1.0 - 1.0 / window;
        this.eta = Math.sqrt(8 * Math.log(learners) / window);
        this.sums = new double[learners];
        this.predictions = new double[learners];
    }

    /** A learner's prediction of the current example (before learning from it). */
    void scored(int learner, double prediction) {
        predictions[learner] = prediction;
    }

    /** The blend's prediction of the current example, from the weights before it. */
    double predict() {
        double best = Arrays.stream(sums).min().orElse(0);
        double total = 0;
        double blended = 0;
        for (int k = 0; k < sums.length; k++) {
            double w = Math.exp(-eta * (sums[k] - best));
            total += w;
            blended += w * margin(predictions[k]);
        }
        blended /= total;
        return loss == Loss.LOGISTIC ? loss.predict(blended) : blended;
    }

    /** The label of the current example is known: every learner's loss counts into its weight. */
    void learn(double label) {
        for (int k = 0; k < sums.length; k++) {
            sums[k] = decay * sums[k] + loss.judged(predictions[k], label);
        }
    }

    private double margin(double prediction) {
        if (loss != Loss.LOGISTIC) {
            return prediction;
        }
        double p = Math.min(Math.max(prediction, Loss.PROBABILITY_FLOOR), 1 - Loss.PROBABILITY_FLOOR);
        return Math.log(p / (1 - p));
    }
}
