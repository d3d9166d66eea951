package dev.streamlearn.training;

import dev.streamlearn.model.ModelOptions;
import java.util.Arrays;

/**
 * The losses every learner of a model had on each of the last {@code window} examples, all
 * scored before learning from them: the same examples for all, so any two learners compare
 * pair by pair. The standard error of a mean difference is the larger of two estimates: from
 * the spread of the differences example by example, and from the spread of their means over
 * {@link ModelOptions#PROMOTION_BLOCKS} blocks of the window. The second grows when neighbouring
 * examples are alike (as in a time series, or a burst of one user), which the first would count
 * as independent evidence; the first is the steadier when they are not, as an estimate from
 * twenty blocks alone is sometimes far too small by chance.
 */
final class PairedLosses {

    static final int BLOCKS = ModelOptions.PROMOTION_BLOCKS;

    private final int learners;
    private final int window;
    private final int blockLength;
    // example after example, each the losses of every learner
    private final double[] losses;
    private int next;
    private int filled;
    private final double[] blockMeans;

    PairedLosses(int learners, int window) {
        if (window % BLOCKS != 0 || window < BLOCKS) {
            throw new IllegalArgumentException("window must be a multiple of " + BLOCKS + ", was " + window);
        }
        this.learners = learners;
        this.window = window;
        this.blockLength = window / BLOCKS;
        this.losses = new double[learners * window];
        this.blockMeans = new double[learners * BLOCKS];
    }

    /** Sets one learner's loss on the example being recorded; {@link #next()} moves on. */
    void set(int learner, double loss) {
        losses[next * learners + learner] = loss;
    }

    /** Moves to the next example; true when a block has just been completed. */
    boolean next() {
        next = (next + 1) % window;
        if (filled < window) {
            filled++;
        }
        return next % blockLength == 0;
    }

    boolean full() {
        return filled == window;
    }

    int learners() {
        return learners;
    }

    /** The comparison of a challenger with the champion over the window (only when {@link #full()}). */
    Comparison compare(int champion, int challenger) {
        computeBlockMeans();
        return comparison(champion, challenger);
    }

    /** The comparison with the champion of every learner (the champion's own is null). */
    Comparison[] compareAll(int champion) {
        computeBlockMeans();
        Comparison[] all = new Comparison[learners];
        for (int k = 0; k < learners; k++) {
            if (k != champion) {
                all[k] = comparison(champion, k);
            }
        }
        return all;
    }

    private Comparison comparison(int champion, int challenger) {
        double exampleSum = 0;
        double exampleSquares = 0;
        for (int i = 0; i < window; i++) {
            double d = losses[i * learners + champion] - losses[i * learners + challenger];
            exampleSum += d;
            exampleSquares += d * d;
        }
        double exampleMean = exampleSum / window;
        double exampleVariance = Math.max(0, (exampleSquares - window * exampleMean * exampleMean) / (window - 1));
        double sum = 0;
        double championSum = 0;
        for (int b = 0; b < BLOCKS; b++) {
            sum += blockMeans[champion * BLOCKS + b] - blockMeans[challenger * BLOCKS + b];
            championSum += blockMeans[champion * BLOCKS + b];
        }
        double mean = sum / BLOCKS;
        double squares = 0;
        for (int b = 0; b < BLOCKS; b++) {
            double d = blockMeans[champion * BLOCKS + b] - blockMeans[challenger * BLOCKS + b] - mean;
            squares += d * d;
        }
        double standardError =
                Math.max(Math.sqrt(squares / (BLOCKS - 1) / BLOCKS), Math.sqrt(exampleVariance / window));
        return new Comparison(championSum / BLOCKS, mean, standardError);
    }

    /** Block b holds the examples at ring positions [b * blockLength, (b + 1) * blockLength). */
    private void computeBlockMeans() {
        Arrays.fill(blockMeans, 0.0);
        for (int i = 0; i < window; i++) {
            int block = i / blockLength;
            for (int k = 0; k < learners; k++) {
                blockMeans[k * BLOCKS + block] += losses[i * learners + k];
            }
        }
        for (int j = 0; j < blockMeans.length; j++) {
            blockMeans[j] /= blockLength;
        }
    }

    /** How a challenger did against the champion over the window, in the loss's unit. */
    static final class Comparison {
        /** The champion's mean loss. */
        final double championLoss;
        /** The champion's mean loss minus the challenger's: positive when the challenger did better. */
        final double improvement;

        final double standardError;

        Comparison(double championLoss, double improvement, double standardError) {
            this.championLoss = championLoss;
            this.improvement = improvement;
            this.standardError = standardError;
        }

        /** The improvement in standard errors (infinite when every block improved alike). */
        double standardErrors() {
            return standardError > 0 ? improvement / standardError : improvement > 0 ? Double.POSITIVE_INFINITY : 0;
        }

        /** The improvement as a fraction of the champion's loss. */
        double relativeImprovement() {
            return championLoss > 0 ? improvement / championLoss : 0;
        }
    }

    double[] losses() {
        return losses.clone();
    }

    int position() {
        return next;
    }

    int filled() {
        return filled;
    }

    /** Takes back what {@link #losses()}, {@link #position()} and {@link #filled()} gave. */
    void restore(double[] saved, int position, int savedFilled) {
        if (saved.length != losses.length) {
            throw new IllegalArgumentException("expected " + losses.length + " losses, got " + saved.length);
        }
        System.arraycopy(saved, 0, losses, 0, saved.length);
        this.next = position;
        this.filled = savedFilled;
    }
}
