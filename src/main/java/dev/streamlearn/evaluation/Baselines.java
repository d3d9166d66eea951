package dev.streamlearn.evaluation;

/** Reference predictions that need no model, made prequentially from the labels before each example. */
final class Baselines {

    private Baselines() {}

    /**
     * The mean of the labels before each example: for 0/1 labels the positive rate, with the
     * Krichevsky-Trofimov estimate (positives + 1/2) / (n + 1) so it is never 0 or 1.
     */
    static double[] prequentialMean(Scores s) {
        double[] out = new double[s.size()];
        double sum = 0;
        boolean binary = s.loss() == dev.streamlearn.model.Loss.LOGISTIC;
        for (int i = 0; i < out.length; i++) {
            out[i] = binary ? (sum + 0.5) / (i + 1) : (i == 0 ? 0.0 : sum / i);
            sum += s.label(i);
        }
        return out;
    }
}
