package dev.streamlearn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BlendMixTest {

    static final int WINDOW = 200;
    static final int BLOCKS = 20;
    static final boolean[] BOTH = {true, true};

    /** Feeds n examples of constant losses, refreshing at each block's end; returns how often the mix changed. */
    private static int feed(BlendMix mix, int n, double lossA, double lossB, int rows) {
        int changes = 0;
        for (int i = 0; i < n; i++) {
            if (mix.judged(new double[] {lossA, lossB}) && mix.refresh(BOTH, 0, rows)) {
                changes++;
            }
        }
        return changes;
    }

    private static BlendMix started() {
        BlendMix mix = new BlendMix(2, WINDOW, BLOCKS);
        mix.restart(0);
        return mix;
    }

    @Test
    void theChampionIsServedAloneForTheFirstWindowThenLearnersEqualOnAverageWeighTheSame() {
        BlendMix mix = started();
        feed(mix, WINDOW - 1, 0.3, 0.3, 0);
        assertEquals(1.0, mix.weight(0), "the others have shown nothing yet");
        assertEquals(0.0, mix.weight(1));
        feed(mix, WINDOW, 0.3, 0.3, 0);
        assertEquals(0.5, mix.weight(0), 1e-12);
        assertEquals(0.5, mix.weight(1), 1e-12);
    }

    @Test
    void aLearnerBehindByAFractionOfTheBestMeanLossWeighsExpOfMinusRateTimesExamplesTimesThatFraction() {
        BlendMix mix = started();
        int n = 3 * WINDOW;
        feed(mix, n, 0.30, 0.303, 0); // 1 % behind
        double count = (1 - Math.pow(1 - 1.0 / WINDOW, n)) * WINDOW;
        double eta = Math.sqrt(8 * Math.log(2) / WINDOW);
        double ratio = Math.exp(-eta * count * 0.01);
        double[] w = mix.weights(BOTH);
        assertEquals(ratio / (1 + ratio), w[1], 1e-9);
        assertEquals(1 / (1 + ratio), w[0], 1e-9);
        assertEquals(w[1], mix.weight(1), BlendMix.TOLERANCE, "served within the tolerance of it");
    }

    @Test
    void theMixDoesNotDependOnTheUnitOfTheLoss() {
        BlendMix cents = started();
        BlendMix euros = started();
        feed(cents, 1000, 420, 460, 0);
        feed(euros, 1000, 4.2, 4.6, 0);
        assertEquals(euros.weight(1), cents.weight(1), 1e-12);
        assertArrayEquals(euros.weights(BOTH), cents.weights(BOTH), 1e-12);
        assertTrue(euros.weights(BOTH)[1] > 0 && euros.weights(BOTH)[1] < 0.05, "10 % behind: " + euros.weight(1));
    }

    @Test
    void smallMovesAndLargeModelsChangeTheMixSeldom() {
        BlendMix mix = started();
        assertEquals(1, feed(mix, 2 * WINDOW, 0.3, 0.3, 0), "once, when the first window is full");
        assertEquals(0.5, mix.weight(1), 1e-12);
        assertEquals(0, feed(mix, 5 * WINDOW, 0.3, 0.3003, 0), "a move below the tolerance sends nothing");
        BlendMix large = started();
        feed(large, WINDOW, 0.3, 0.3, 0);
        int rows = 5_000 * BlendMix.ROWS_PER_EXAMPLE;
        int changes = feed(large, 10_000, 0.3, 0.33, rows);
        assertTrue(changes >= 1 && changes <= 2, "at most once per 5,000 examples for 50,000 weights: " + changes);
    }

    @Test
    void aLearnerThatCannotScoreIsJudgedAsTheWorstAndAnExampleNobodyScoredCountsForNothing() {
        BlendMix mix = started();
        feed(mix, WINDOW, 0.3, 0.3, 0);
        double[] before = mix.state();
        assertFalse(mix.judged(new double[] {Double.NaN, Double.POSITIVE_INFINITY}));
        assertArrayEquals(before, mix.state(), "nothing counted");
        for (int i = 0; i < WINDOW; i++) {
            if (mix.judged(new double[] {0.3, Double.NaN})) {
                mix.refresh(BOTH, 0, 0);
            }
        }
        assertEquals(0.5, mix.weight(1), 1e-12, "as good as the worst, who is the other");
        feed(mix, 2 * WINDOW, 0.3, 0.6, 0);
        assertTrue(mix.weights(BOTH)[1] < 1e-6, "twice the loss weighs nothing: " + mix.weights(BOTH)[1]);
        assertTrue(mix.weight(1) <= BlendMix.TOLERANCE, "served within the tolerance of nothing: " + mix.weight(1));
    }

    @Test
    void aRestoredMixContinuesExactlyAndMembersThatLeaveAreDroppedAtOnce() {
        BlendMix a = started();
        feed(a, 700, 0.3, 0.31, 0);
        BlendMix b = new BlendMix(2, WINDOW, BLOCKS);
        assertTrue(b.restore(a.state()));
        assertFalse(new BlendMix(3, WINDOW, BLOCKS).restore(a.state()), "another number of learners");
        feed(a, 333, 0.3, 0.29, 0);
        feed(b, 333, 0.3, 0.29, 0);
        assertArrayEquals(a.state(), b.state());
        assertTrue(a.refresh(new boolean[] {true, false}, 0, Integer.MAX_VALUE), "a member left: at once");
        assertEquals(1.0, a.weight(0));
    }
}
