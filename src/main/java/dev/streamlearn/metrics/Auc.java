package dev.streamlearn.metrics;

import java.util.Arrays;

/** ROC AUC as the normalized Mann-Whitney U statistic, with tied scores sharing their mean rank. */
public final class Auc {

    private Auc() {}

    public static double of(double[] scores, double[] labels) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double positiveRankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double meanRank = (i + j) / 2.0 + 1.0;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] >= 0.5) {
                    positiveRankSum += meanRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
