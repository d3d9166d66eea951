package dev.streamlearn.training;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.metrics.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The per-model metrics of a trainer: their names (the web UI's {@code model.<id>.<name>}, the
 * stored versions' and the model log's metrics), which models have them, and how each is read.
 * The one list of them.
 */
@SuppressWarnings({
    "ImmutableEnumChecker", // the readers are stateless lambdas
    "EnumOrdinal" // the gauge of the guard's last action is its position, as MetricNames documents
})
public enum ModelMetric {
    MODEL_VERSION(MetricNames.MODEL_VERSION, Applies.ALL, true, false, t -> t.version()),
    EXAMPLES_TRAINED(MetricNames.EXAMPLES_TRAINED, Applies.ALL, true, false, t -> t.examplesTrained()),
    BATCHES_APPLIED(MetricNames.BATCHES_APPLIED, Applies.ALL, true, false, t -> t.batchesApplied()),
    FROZEN(MetricNames.FROZEN, Applies.ALL, true, false, t -> t.frozen() ? 1 : 0),
    /** Examples not learnt because their update would have made the model non-finite (dead-lettered). */
    UPDATES_REFUSED(MetricNames.UPDATES_REFUSED, Applies.ALL, true, false, t -> t.updatesRefused()),
    /** Prequential scores left out of the metrics because they were not finite. */
    SCORES_NON_FINITE(MetricNames.SCORES_NON_FINITE, Applies.ALL, true, false, t -> t.metrics()
            .nonFinite()),
    /** Sudden rises of the prequential loss the guard has seen. */
    GUARD_ALARMS(
            MetricNames.GUARD_ALARMS, Applies.ALL, true, false, t -> t.guard().alarms()),
    /** 1 while the guard's episode lasts (after an alarm, until the loss is back or the rise is kept). */
    GUARD_EPISODE(
            MetricNames.GUARD_EPISODE, Applies.ALL, true, false, t -> t.guard().inEpisode() ? 1 : 0),
    /** Wall-clock epoch millis of the guard's last alarm; 0: none yet. */
    GUARD_LAST_ALARM_AT(MetricNames.GUARD_LAST_ALARM_AT, Applies.ALL, true, false, t -> t.guard()
            .lastAlarmMillis()),
    /** The window's mean loss over the reference at the last alarm. */
    GUARD_LAST_ALARM_RATIO(MetricNames.GUARD_LAST_ALARM_RATIO, Applies.ALL, false, false, t -> t.guard()
            .lastAlarmRatio()),
    /** What the guard did at its last alarm: the ordinal of its action (0 none, 1 alert, 2 freeze, 3 rollback). */
    GUARD_LAST_ACTION(MetricNames.GUARD_LAST_ACTION, Applies.ALL, true, false, t -> t.guard()
            .lastAction()
            .ordinal()),
    /** Challengers promoted so far, automatically or by command. */
    PROMOTIONS(
            MetricNames.PROMOTIONS, Applies.ALL, true, false, t -> t.contest().promotions()),
    /** 1 while automatic promotions are off (by command). */
    PINNED(MetricNames.PINNED, Applies.ALL, true, false, t -> t.contest().pinned() ? 1 : 0),
    /** The newest version the model store held when the model started or was restored and moved past it; -1 none. */
    CONTINUED_AFTER_VERSION(MetricNames.CONTINUED_AFTER_VERSION, Applies.ALL, true, false, t -> t.continuedAfter()),
    /** The loss of the examples learnt since the last stored version: a stored version's own health. */
    TRAINED_LOSS(MetricNames.TRAINED_LOSS, Applies.ALL, false, true, t -> t.lossSinceStored()),
    LOG_LOSS(MetricNames.LOG_LOSS, Applies.LOGISTIC, false, true, t -> t.metrics()
            .windowLoss()),
    LOG_LOSS_TOTAL(MetricNames.LOG_LOSS_TOTAL, Applies.LOGISTIC, false, true, t -> t.metrics()
            .totalLoss()),
    ACCURACY(MetricNames.ACCURACY, Applies.LOGISTIC, false, true, t -> t.metrics()
            .windowAccuracy()),
    /** Sorts the window: the gauge refreshes it at most once a second. */
    AUC(MetricNames.AUC, Applies.LOGISTIC, false, true, t -> t.metrics().windowAuc()),
    /** Examples whose served score is known (joined impressions): judged by what the job answered. */
    SERVED_EXAMPLES(MetricNames.SERVED_EXAMPLES, Applies.ALL, true, false, t -> t.servedMetrics()
            .seen()),
    SERVED_LOG_LOSS(MetricNames.SERVED_LOG_LOSS, Applies.LOGISTIC, false, false, t -> t.servedMetrics()
            .windowLoss()),
    /** Sorts the window: refreshed with {@link #AUC}. */
    SERVED_AUC(MetricNames.SERVED_AUC, Applies.LOGISTIC, false, false, t -> t.servedMetrics()
            .windowAuc()),
    SERVED_MAE(MetricNames.SERVED_MAE, Applies.SQUARED, false, false, t -> t.servedMetrics()
            .windowMae()),
    SERVED_RMSE(MetricNames.SERVED_RMSE, Applies.SQUARED, false, false, t -> t.servedMetrics()
            .windowRmse()),
    MAE(MetricNames.MAE, Applies.SQUARED, false, true, t -> t.metrics().windowMae()),
    RMSE(MetricNames.RMSE, Applies.SQUARED, false, true, t -> t.metrics().windowRmse()),
    MAE_TOTAL(MetricNames.MAE_TOTAL, Applies.SQUARED, false, true, t -> t.metrics()
            .totalMae()),
    RMSE_TOTAL(MetricNames.RMSE_TOTAL, Applies.SQUARED, false, true, t -> t.metrics()
            .totalRmse()),
    FORECAST_MAE(MetricNames.FORECAST_MAE, Applies.SERIES, false, true, t -> t.forecastMetrics()
            .windowMae()),
    FORECAST_RMSE(MetricNames.FORECAST_RMSE, Applies.SERIES, false, true, t -> t.forecastMetrics()
            .windowRmse()),
    FORECAST_MAPE(MetricNames.FORECAST_MAPE, Applies.SERIES, false, true, t -> t.forecastMetrics()
            .windowMape()),
    NAIVE_MAE(MetricNames.NAIVE_MAE, Applies.SERIES, false, true, t -> t.naiveMetrics()
            .windowMae()),
    NAIVE_RMSE(MetricNames.NAIVE_RMSE, Applies.SERIES, false, true, t -> t.naiveMetrics()
            .windowRmse()),
    NAIVE_MAPE(MetricNames.NAIVE_MAPE, Applies.SERIES, false, true, t -> t.naiveMetrics()
            .windowMape());

    /** Which models have a metric. */
    enum Applies {
        ALL,
        LOGISTIC,
        SQUARED,
        SERIES
    }

    private final String metricName;
    private final Applies applies;
    private final boolean count;
    private final boolean quality;
    private final ToDoubleFunction<ModelTrainer> read;

    ModelMetric(
            String metricName, Applies applies, boolean count, boolean quality, ToDoubleFunction<ModelTrainer> read) {
        this.metricName = metricName;
        this.applies = applies;
        this.count = count;
        this.quality = quality;
        this.read = read;
    }

    /** The name in the web UI and in stored versions. */
    public String metricName() {
        return metricName;
    }

    /** A whole number (a version or a count) rather than a measure of quality. */
    public boolean isCount() {
        return count;
    }

    /** A prequential measure of quality: what a stored version records. */
    public boolean isQuality() {
        return quality;
    }

    double read(ModelTrainer trainer) {
        return read.applyAsDouble(trainer);
    }

    /** Whether a model with this loss has it; series metrics only once it has scored a series example. */
    boolean appliesTo(Loss loss, boolean series) {
        switch (applies) {
            case LOGISTIC:
                return loss == Loss.LOGISTIC;
            case SQUARED:
                return loss == Loss.SQUARED;
            case SERIES:
                return loss == Loss.SQUARED && series;
            default:
                return true;
        }
    }

    /** The metrics of a model with this loss (a squared-loss model may learn from a series). */
    public static List<ModelMetric> of(Loss loss, boolean series) {
        List<ModelMetric> out = new ArrayList<>();
        for (ModelMetric m : values()) {
            if (m.appliesTo(loss, series)) {
                out.add(m);
            }
        }
        return out;
    }

    /** The measures of quality a stored version of a model with this loss records. */
    static List<ModelMetric> qualityOf(Loss loss, boolean series) {
        List<ModelMetric> out = new ArrayList<>();
        for (ModelMetric m : of(loss, series)) {
            if (m.quality) {
                out.add(m);
            }
        }
        return out;
    }

    /** Every metric's name, for tools that read them all. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (ModelMetric m : values()) {
            names.add(m.metricName);
        }
        return names;
    }
}
