package dev.streamlearn.evaluation;

import dev.streamlearn.batch.BatchFit;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.records.Example;
import java.util.List;

/** What the job's learner is judged against, on the same stream. */
public final class Baselines {

    private Baselines() {}

    /**
     * The mean of the labels before each example: for 0/1 labels the positive rate, with the
     * Krichevsky-Trofimov estimate (positives + 1/2) / (n + 1) so it is never 0 or 1.
     */
    static double[] prequentialMean(Scores s) {
        double[] out = new double[s.size()];
        double sum = 0;
        boolean binary = s.loss() == Loss.LOGISTIC;
        for (int i = 0; i < out.length; i++) {
            out[i] = binary ? (sum + 0.5) / (i + 1) : (i == 0 ? 0.0 : sum / i);
            sum += s.label(i);
        }
        return out;
    }

    /** The textbook per-example FTRL ({@link ReferenceFtrl}) over the whole stream, scored prequentially. */
    public static Scores referenceFtrl(PrequentialRun.Stream stream) {
        ReferenceFtrl ftrl = new ReferenceFtrl();
        Scores scores = new Scores(Loss.LOGISTIC, false);
        for (Example e : stream.examples) {
            scores.add(e, ftrl.learn(e.features, e.label));
        }
        return scores;
    }

    /**
     * A Smile batch model fitted on all but the last {@code tail} of the stream and scored on that
     * last part, on the same features.
     */
    public static Scores batchOnTail(ModelSpec spec, PrequentialRun.Stream stream, double tail, double lambda) {
        int n = stream.examples.size();
        int head = n - (int) Math.round(n * tail);
        List<Example> fit = stream.examples.subList(0, head);
        BatchFit.Dataset data = BatchFit.Dataset.of(spec, fit);
        BatchFit.Fitted model = BatchFit.fit(spec, data, lambda);
        Scores scores = new Scores(spec.loss(), stream.series);
        for (Example e : stream.examples.subList(head, n)) {
            scores.add(e, model.predict.applyAsDouble(data.row(e.features)));
        }
        return scores;
    }
}
