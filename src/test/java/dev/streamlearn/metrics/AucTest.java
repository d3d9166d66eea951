package dev.streamlearn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AucTest {

    @Test
    void ordersTiesAndOneClassAsTheDefinitionSays() {
        assertEquals(1.0, Auc.of(new double[] {0.1, 0.2, 0.8, 0.9}, new double[] {0, 0, 1, 1}));
        assertEquals(0.0, Auc.of(new double[] {0.9, 0.8, 0.2, 0.1}, new double[] {0, 0, 1, 1}));
        assertEquals(0.5, Auc.of(new double[] {0.3, 0.3, 0.3, 0.3}, new double[] {0, 1, 0, 1}));
        // positives 0.4 and 0.7, negatives 0.4 and 0.1: pairs (0.4,0.4) half, (0.4,0.1), (0.7,0.4), (0.7,0.1) whole
        assertEquals(3.5 / 4, Auc.of(new double[] {0.4, 0.4, 0.7, 0.1}, new double[] {1, 0, 1, 0}));
        assertTrue(Double.isNaN(Auc.of(new double[] {0.2, 0.9}, new double[] {1, 1})));
        assertTrue(Double.isNaN(Auc.of(new double[0], new double[0])));
    }

    @Test
    void readsOnlyTheFirstNOfAWindowThatIsNotFull() {
        double[] scores = {0.9, 0.1, 0.0, 0.0};
        double[] labels = {1, 0, 1, 1};
        assertEquals(1.0, Auc.of(scores, labels, 2));
    }

    @Test
    void agreesWithTheMeanRankSumOnManyTies() {
        Random r = new Random(11);
        for (int n : new int[] {2, 3, 10, 101, 10_000}) {
            double[] scores = new double[n];
            double[] labels = new double[n];
            for (int i = 0; i < n; i++) {
                scores[i] = Math.round(r.nextDouble() * 20) / 20.0; // 21 distinct scores: ties everywhere
                labels[i] = r.nextDouble() < scores[i] ? 1 : 0;
            }
            labels[0] = 1;
            labels[1] = 0;
            assertEquals(meanRankSum(scores, labels), Auc.of(scores, labels), 1e-12, "n=" + n);
        }
    }

    /** The textbook form: every score ranked, tied scores sharing their mean rank, the positives' ranks summed. */
    private static double meanRankSum(double[] scores, double[] labels) {
        int n = scores.length;
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        double rankSum = 0;
        long positives = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0.5) {
                continue;
            }
            int first = lowerBound(sorted, scores[i]);
            int last = lowerBound(sorted, Math.nextUp(scores[i])) - 1;
            rankSum += (first + last) / 2.0 + 1;
            positives++;
        }
        long negatives = n - positives;
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    private static int lowerBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
