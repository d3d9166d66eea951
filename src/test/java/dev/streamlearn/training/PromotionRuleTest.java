package dev.streamlearn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The promotion rule on synthetic paired losses, with the defaults (a window of 2,000 examples,
 * a margin of 2 %, 5 standard errors): checked at the end of every block, as the trainer does.
 */
class PromotionRuleTest {

    private static final int WINDOW = 2000;
    private static final PromotionRule DEFAULT_RULE = new PromotionRule(0.02, 5.0);

    /** Log losses of one example for two learners; {@code k} 0 is the first champion. */
    @FunctionalInterface
    private interface Losses {
        void of(Random random, double[] out);
    }

    /**
     * Feeds {@code examples} paired losses and promotes as the trainer does; returns the examples
     * after which each promotion came (at most {@code max}).
     */
    private static long[] run(long examples, Losses losses, boolean[] eligible, int max) {
        Random random = new Random(42);
        PairedLosses paired = new PairedLosses(2, WINDOW);
        double[] l = new double[2];
        int champion = 0;
        long[] promotions = new long[max];
        int promoted = 0;
        for (long i = 1; i <= examples && promoted < max; i++) {
            losses.of(random, l);
            paired.set(0, l[0]);
            paired.set(1, l[1]);
            if (paired.next() && paired.full()) {
                int winner = DEFAULT_RULE.choose(paired.compareAll(champion), eligible);
                if (winner >= 0) {
                    champion = winner;
                    promotions[promoted++] = i;
                }
            }
        }
        return java.util.Arrays.copyOf(promotions, promoted);
    }

    /** The log loss of a label drawn with probability p, predicted as q. */
    private static double logLoss(Random random, double p, double q) {
        return random.nextDouble() < p ? -Math.log(q) : -Math.log(1 - q);
    }

    @Test
    void aClearlyBetterChallengerIsPromotedAtTheFirstCheckOfAFullWindowAndOnlyOnce() {
        // both see the same labels; the champion predicts 0.5 where the truth is 0.2 or 0.8, the challenger 0.35/0.65
        Losses l = (random, out) -> {
            double p = random.nextBoolean() ? 0.2 : 0.8;
            boolean y = random.nextDouble() < p;
            double championQ = 0.5;
            double challengerQ = p < 0.5 ? 0.35 : 0.65;
            out[0] = y ? -Math.log(championQ) : -Math.log(1 - championQ);
            out[1] = y ? -Math.log(challengerQ) : -Math.log(1 - challengerQ);
        };
        long[] promotions = run(1_000_000, l, new boolean[] {true, true}, 10);
        assertEquals(1, promotions.length, "promoted once, never back");
        assertEquals(WINDOW, promotions[0], "at the first check of a full window");
    }

    @Test
    void learnersEqualOnAverageAreNeverPromotedOverAMillionExamples() {
        // independent draws of the same distribution: a noisy difference of mean zero
        long[] independent = run(
                1_000_000,
                (random, out) -> {
                    out[0] = logLoss(random, 0.3, 0.3);
                    out[1] = logLoss(random, 0.3, 0.3);
                },
                new boolean[] {true, true},
                10);
        assertEquals(0, independent.length, "independent noise of mean zero");
        // the same labels, predictions that differ a little either way: a consistent hair of nothing
        long[] alike = run(
                1_000_000,
                (random, out) -> {
                    boolean y = random.nextDouble() < 0.3;
                    double q = 0.3 + 0.01 * random.nextGaussian();
                    out[0] = y ? -Math.log(0.3) : -Math.log(0.7);
                    out[1] = y ? -Math.log(q) : -Math.log(1 - q);
                },
                new boolean[] {true, true},
                10);
        assertEquals(0, alike.length, "near-identical predictions");
    }

    @Test
    void aChallengerBetterByLessThanTheMarginIsNeverPromotedHoweverConsistent() {
        DoubleUnaryOperator onePercentBetter = loss -> 0.99 * loss;
        long[] promotions = run(
                1_000_000,
                (random, out) -> {
                    out[0] = logLoss(random, 0.3, 0.3);
                    out[1] = onePercentBetter.applyAsDouble(out[0]);
                },
                new boolean[] {true, true},
                10);
        assertEquals(0, promotions.length);
    }

    @Test
    void aChallengerThatIsNotEligibleIsNeverPromotedHoweverMuchBetter() {
        long[] promotions = run(
                200_000,
                (random, out) -> {
                    out[0] = logLoss(random, 0.3, 0.5);
                    out[1] = 0.5 * out[0];
                },
                new boolean[] {true, false},
                10);
        assertEquals(0, promotions.length);
    }

    @Test
    void ofSeveralWinnersTheOneThatImprovedMostIsChosen() {
        PairedLosses.Comparison champion = null;
        PairedLosses.Comparison small = new PairedLosses.Comparison(1.0, 0.1, 0.01);
        PairedLosses.Comparison large = new PairedLosses.Comparison(1.0, 0.3, 0.05);
        PairedLosses.Comparison noisy = new PairedLosses.Comparison(1.0, 0.5, 0.2);
        PairedLosses.Comparison[] all = {champion, small, large, noisy};
        assertEquals(2, DEFAULT_RULE.choose(all, new boolean[] {true, true, true, true}));
        assertEquals(1, DEFAULT_RULE.choose(all, new boolean[] {true, true, false, true}));
        assertTrue(DEFAULT_RULE.wins(large));
        assertTrue(!DEFAULT_RULE.wins(noisy), "2.5 standard errors");
    }
}
