package dev.streamlearn.metrics;

import java.util.Arrays;

/**
 * ROC AUC as the normalized Mann-Whitney U statistic: the chance that a positive example scores
 * above a negative one, a tie counting one half (the same as ranking every score, tied scores
 * sharing their mean rank). Scores are finite.
 */
public final class Auc {

    private Auc() {}

    public static double of(double[] scores, double[] labels) {
        return of(scores, labels, scores.length);
    }

    /**
     * Of the first {@code n} scores and labels (a label of 0.5 or more is positive). The positives'
     * and the negatives' scores are sorted apart as primitives and counted in one merge: the
     * trainer refreshes this for every learner's window each second, and a sort of boxed indices
     * cost several times as much.
     */
    public static double of(double[] scores, double[] labels, int n) {
        int positives = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] >= 0.5) {
                positives++;
            }
        }
        int negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double[] positive = new double[positives];
        double[] negative = new double[negatives];
        int p = 0;
        int q = 0;
        for (int i = 0; i < n; i++) {
            if (labels[i] >= 0.5) {
                positive[p++] = scores[i];
            } else {
                negative[q++] = scores[i];
            }
        }
        Arrays.sort(positive);
        Arrays.sort(negative);
        // for each positive in ascending order: the negatives below it, and those tied with it
        long below = 0;
        long tied = 0;
        int lower = 0;
        int notAbove = 0;
        for (double score : positive) {
            while (lower < negatives && negative[lower] < score) {
                lower++;
            }
            notAbove = Math.max(notAbove, lower);
            while (notAbove < negatives && negative[notAbove] <= score) {
                notAbove++;
            }
            below += lower;
            tied += notAbove - lower;
        }
        return (below + tied / 2.0) / ((double) positives * negatives);
    }
}
