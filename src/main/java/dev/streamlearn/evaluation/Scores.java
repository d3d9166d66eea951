package dev.streamlearn.evaluation;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.records.Example;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every prequential score of one run, in stream order: the prediction made for an example
 * before the model learnt from it, and the example's label. For a time series also the
 * forecast, the actual value and the seasonal-naive forecast in the series' own scale.
 */
public final class Scores {

    private final Loss loss;
    private final boolean series;
    private double[] predictions = new double[1024];
    private double[] labels = new double[1024];
    private double[] forecasts;
    private double[] actuals;
    private double[] naive;
    private int size;
    private final Map<String, Integer> rejected = new TreeMap<>();
    private final Map<String, Integer> guardEvents = new TreeMap<>();
    private final Map<String, Scores> learners = new LinkedHashMap<>();
    private final Map<String, Double> shares = new LinkedHashMap<>();
    private final List<Promotion> promotions = new ArrayList<>();
    private final long[] updates = new long[2];

    /** A challenger that became the champion: after how many examples, which, and why. */
    public record Promotion(int afterExamples, String learner, String reason) {}

    /** The score of an example: a prediction of its label, and for a series example its forecast in the series' scale. */
    void add(Example e, double prediction) {
        if (series) {
            addForecast(
                    prediction,
                    e.label,
                    e.series.toSeries(prediction),
                    e.series.toSeries(e.label),
                    e.series.naiveForecast);
        } else {
            add(prediction, e.label);
        }
    }

    Scores(Loss loss, boolean series) {
        this.loss = loss;
        this.series = series;
        if (series) {
            forecasts = new double[1024];
            actuals = new double[1024];
            naive = new double[1024];
        }
    }

    void add(double prediction, double label) {
        grow();
        predictions[size] = prediction;
        labels[size] = label;
        size++;
    }

    void addForecast(double prediction, double label, double forecast, double actual, double naiveForecast) {
        grow();
        forecasts[size] = forecast;
        actuals[size] = actual;
        naive[size] = naiveForecast;
        add(prediction, label);
    }

    private void grow() {
        if (size == predictions.length) {
            predictions = Arrays.copyOf(predictions, size * 2);
            labels = Arrays.copyOf(labels, size * 2);
            if (series) {
                forecasts = Arrays.copyOf(forecasts, size * 2);
                actuals = Arrays.copyOf(actuals, size * 2);
                naive = Arrays.copyOf(naive, size * 2);
            }
        }
    }

    void reject(String reason) {
        rejected.merge(reason, 1, Integer::sum);
    }

    public Loss loss() {
        return loss;
    }

    public boolean isSeries() {
        return series;
    }

    public int size() {
        return size;
    }

    public double prediction(int i) {
        return predictions[i];
    }

    public double label(int i) {
        return labels[i];
    }

    public double forecast(int i) {
        return forecasts[i];
    }

    public double actual(int i) {
        return actuals[i];
    }

    public double naive(int i) {
        return naive[i];
    }

    /** Records the parser rejected, by dead-letter reason. */
    public Map<String, Integer> rejected() {
        return rejected;
    }

    /** What the guard did (alarm, freeze, rollback, resume), by model-log event. */
    public Map<String, Integer> guardEvents() {
        return guardEvents;
    }

    /** Each learner's own scores, by name, when the model has challengers (the champion's are this run's). */
    public Map<String, Scores> learners() {
        return learners;
    }

    /** Each learner's weight in what was served at the end of the run, by name (with challengers). */
    public Map<String, Double> shares() {
        return shares;
    }

    public List<Promotion> promotions() {
        return promotions;
    }

    /** The updates the trainer sent to inference, and how many of them carried every weight. */
    public long[] updates() {
        return updates;
    }

    /** Predictions of examples [from, to), a copy. */
    double[] predictions(int from, int to) {
        return Arrays.copyOfRange(predictions, from, to);
    }

    double[] labels(int from, int to) {
        return Arrays.copyOfRange(labels, from, to);
    }
}
