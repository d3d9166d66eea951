package dev.streamlearn.training;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.metrics.PrequentialMetrics;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.SeriesScale;

/**
 * How well one model does, judged example by example before it learns from each: its own scores;
 * for time series, its forecasts and the seasonal-naive ones in the series' own scale; for joined
 * impressions, the scores that were served for them before their labels were known.
 */
final class PrequentialQuality {

    private final Loss loss;
    private final int window;
    private PrequentialMetrics scores;
    private PrequentialMetrics forecasts;
    private PrequentialMetrics naive;
    private PrequentialMetrics served;

    PrequentialQuality(ModelSpec spec) {
        this.loss = spec.loss();
        this.window = spec.get(ModelOptions.METRICS_WINDOW);
        this.scores = new PrequentialMetrics(loss, window);
        this.forecasts = new PrequentialMetrics(Loss.SQUARED, window);
        this.naive = new PrequentialMetrics(Loss.SQUARED, window);
        this.served = new PrequentialMetrics(loss, window);
    }

    /** The score the model gave {@code e} before learning from it. */
    void record(Example e, double prediction) {
        scores.record(prediction, e.label);
        if (!Double.isNaN(e.servedScore)) {
            served.record(e.servedScore, e.label);
        }
        if (e.series != null) {
            SeriesScale s = e.series;
            double actual = s.toSeries(e.label);
            forecasts.record(s.toSeries(prediction), actual);
            if (!Double.isNaN(s.naiveForecast)) {
                naive.record(s.naiveForecast, actual);
            }
        }
    }

    /** A served score judged by its final label, with no prequential score of its own. */
    void recordServed(Example e) {
        if (!Double.isNaN(e.servedScore)) {
            served.record(e.servedScore, e.label);
        }
    }

    PrequentialMetrics scores() {
        return scores;
    }

    PrequentialMetrics forecasts() {
        return forecasts;
    }

    PrequentialMetrics naive() {
        return naive;
    }

    PrequentialMetrics served() {
        return served;
    }

    /** The windowed loss (log loss or RMSE) by which one version is better than another; lower is better. */
    double windowLoss() {
        return loss == Loss.LOGISTIC ? scores.windowLoss() : scores.windowRmse();
    }

    void writeTo(ModelSnapshot s) {
        s.metrics = scores.snapshot();
        s.forecastMetrics = forecasts.snapshot();
        s.naiveMetrics = naive.snapshot();
        s.servedMetrics = served.snapshot();
    }

    void readFrom(ModelSnapshot s) {
        scores = PrequentialMetrics.restore(loss, window, s.metrics);
        forecasts = PrequentialMetrics.restore(Loss.SQUARED, window, s.forecastMetrics);
        naive = PrequentialMetrics.restore(Loss.SQUARED, window, s.naiveMetrics);
        // null in snapshots from before the joiner
        served = s.servedMetrics == null
                ? new PrequentialMetrics(loss, window)
                : PrequentialMetrics.restore(loss, window, s.servedMetrics);
    }
}
