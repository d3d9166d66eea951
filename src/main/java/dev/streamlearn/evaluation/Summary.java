package dev.streamlearn.evaluation;

import dev.streamlearn.metrics.Auc;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.metrics.MetricNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of a stretch of a run's scores, by name, in the order they are printed. Logistic
 * loss: log loss, AUC, accuracy, and the log loss of the prequential base rate (the positive rate
 * of the labels before each example). Squared loss: MAE and RMSE, and those of the running mean
 * of the labels; for a time series in the series' own scale, with MAPE and the seasonal-naive
 * forecast's errors.
 */
public final class Summary {

    private final int examples;
    private final Map<String, Double> metrics;

    private Summary(int examples, Map<String, Double> metrics) {
        this.examples = examples;
        this.metrics = metrics;
    }

    public int examples() {
        return examples;
    }

    /** Metric values by name (NaN when undefined, e.g. AUC with one class). */
    public Map<String, Double> metrics() {
        return metrics;
    }

    /** The same metrics without those of the no-model baselines that {@link #of} computes from the scores' own past. */
    public Summary withoutRunningBaselines() {
        Map<String, Double> m = new LinkedHashMap<>(metrics);
        m.keySet().removeAll(List.of("baseRateLogLoss", "meanMae", "meanRmse"));
        return new Summary(examples, m);
    }

    public double get(String name) {
        return metrics.getOrDefault(name, Double.NaN);
    }

    /** The whole run. */
    public static Summary of(Scores s) {
        return of(s, 0, s.size());
    }

    /** The last {@code fraction} of the run's examples. */
    public static Summary tail(Scores s, double fraction) {
        int n = (int) Math.round(s.size() * fraction);
        return of(s, s.size() - n, s.size());
    }

    /** Examples [from, to). */
    public static Summary of(Scores s, int from, int to) {
        Map<String, Double> m = new LinkedHashMap<>();
        int n = to - from;
        if (s.isSeries()) {
            seriesErrors(s, from, to, m);
        } else if (s.loss() == Loss.LOGISTIC) {
            double[] baseRate = Baselines.prequentialMean(s);
            double loss = 0;
            double baseLoss = 0;
            long correct = 0;
            for (int i = from; i < to; i++) {
                loss += Loss.LOGISTIC.loss(s.prediction(i), s.label(i));
                baseLoss += Loss.LOGISTIC.loss(baseRate[i], s.label(i));
                correct += (s.prediction(i) >= 0.5) == (s.label(i) >= 0.5) ? 1 : 0;
            }
            m.put(MetricNames.LOG_LOSS, loss / n);
            m.put(MetricNames.AUC, Auc.of(s.predictions(from, to), s.labels(from, to)));
            m.put(MetricNames.ACCURACY, (double) correct / n);
            m.put("baseRateLogLoss", baseLoss / n);
        } else {
            double[] mean = Baselines.prequentialMean(s);
            double abs = 0;
            double sq = 0;
            double baseAbs = 0;
            double baseSq = 0;
            for (int i = from; i < to; i++) {
                double e = s.prediction(i) - s.label(i);
                double b = mean[i] - s.label(i);
                abs += Math.abs(e);
                sq += e * e;
                baseAbs += Math.abs(b);
                baseSq += b * b;
            }
            m.put(MetricNames.MAE, abs / n);
            m.put(MetricNames.RMSE, Math.sqrt(sq / n));
            m.put("meanMae", baseAbs / n);
            m.put("meanRmse", Math.sqrt(baseSq / n));
        }
        return new Summary(n, m);
    }

    private static void seriesErrors(Scores s, int from, int to, Map<String, Double> m) {
        int n = to - from;
        double abs = 0;
        double sq = 0;
        double pct = 0;
        double naiveAbs = 0;
        double naiveSq = 0;
        double naivePct = 0;
        int naiveN = 0;
        for (int i = from; i < to; i++) {
            double actual = s.actual(i);
            double e = s.forecast(i) - actual;
            abs += Math.abs(e);
            sq += e * e;
            pct += actual == 0 ? 0 : Math.abs(e / actual);
            if (!Double.isNaN(s.naive(i))) {
                double ne = s.naive(i) - actual;
                naiveAbs += Math.abs(ne);
                naiveSq += ne * ne;
                naivePct += actual == 0 ? 0 : Math.abs(ne / actual);
                naiveN++;
            }
        }
        m.put(MetricNames.MAE, abs / n);
        m.put(MetricNames.RMSE, Math.sqrt(sq / n));
        m.put(MetricNames.MAPE, pct / n);
        m.put(MetricNames.NAIVE_MAE, naiveAbs / naiveN);
        m.put(MetricNames.NAIVE_RMSE, Math.sqrt(naiveSq / naiveN));
        m.put(MetricNames.NAIVE_MAPE, naivePct / naiveN);
    }
}
