package dev.streamlearn.metrics;

import java.util.List;

/**
 * Every metric the job publishes, by name: the one place they are spelled. The job registers
 * them, the tools and tests read them, the Grafana dashboard is checked against them, and the
 * README's metrics table is {@link #TABLE}. A model's metrics are in the group {@code model.<id>}
 * ({@link #ofModel}), an input's in {@code input.<name>}, dead letters in {@code deadLetter}.
 */
public final class MetricNames {

    private MetricNames() {}

    // the trainer, per model
    public static final String MODEL_VERSION = "modelVersion";
    public static final String EXAMPLES_TRAINED = "examplesTrained";
    public static final String BATCHES_APPLIED = "batchesApplied";
    public static final String FROZEN = "frozen";
    public static final String UPDATES_REFUSED = "updatesRefused";
    public static final String SCORES_NON_FINITE = "scoresNonFinite";
    public static final String GUARD_ALARMS = "guardAlarms";
    public static final String GUARD_EPISODE = "guardEpisode";
    public static final String GUARD_LAST_ALARM_AT = "guardLastAlarmAt";
    public static final String GUARD_LAST_ALARM_RATIO = "guardLastAlarmRatio";
    public static final String GUARD_LAST_ACTION = "guardLastAction";
    public static final String CONTINUED_AFTER_VERSION = "continuedAfterVersion";
    public static final String TRAINED_LOSS = "trainedLoss";
    public static final String PROMOTIONS = "promotions";
    public static final String PINNED = "pinned";
    /** Per learner ({@code model.<id>.learner.<name>.<metric>}): 1 for the champion. */
    public static final String CHAMPION = "champion";

    public static final String EXAMPLES_LEARNT = "examplesLearnt";
    /** A learner's weight in what the model serves: in the blend, or 1 for a champion served alone. */
    public static final String BLEND_WEIGHT = "blendWeight";

    public static final String PAUSED = "paused";
    /** How much lower a challenger's loss was than the champion's over the promotion window, as a fraction. */
    public static final String IMPROVEMENT = "improvement";
    /** The same difference in standard errors. */
    public static final String IMPROVEMENT_STD_ERRORS = "improvementStdErrors";

    public static final String LOG_LOSS = "logLoss";
    public static final String LOG_LOSS_TOTAL = "logLossTotal";
    public static final String ACCURACY = "accuracy";
    public static final String AUC = "auc";
    public static final String MAE = "mae";
    public static final String RMSE = "rmse";
    public static final String MAPE = "mape";
    public static final String MAE_TOTAL = "maeTotal";
    public static final String RMSE_TOTAL = "rmseTotal";
    public static final String FORECAST_MAE = "forecastMae";
    public static final String FORECAST_RMSE = "forecastRmse";
    public static final String FORECAST_MAPE = "forecastMape";
    public static final String NAIVE_MAE = "naiveMae";
    public static final String NAIVE_RMSE = "naiveRmse";
    public static final String NAIVE_MAPE = "naiveMape";
    /** The same measures of the scores the job served for joined impressions, before their labels were known. */
    public static final String SERVED_EXAMPLES = "servedExamples";

    public static final String SERVED_LOG_LOSS = "servedLogLoss";
    public static final String SERVED_AUC = "servedAuc";
    public static final String SERVED_MAE = "servedMae";
    public static final String SERVED_RMSE = "servedRmse";

    // inference
    public static final String PREDICTIONS_SERVED = "predictionsServed";
    public static final String SERVED_VERSION = "servedVersion";
    public static final String SCORING_LATENCY_NANOS = "scoringLatencyNanos";
    /** The latency budget of a request, hop by hop: read by the source, parsed, at inference, scored, handed to the sink. */
    public static final String SOURCE_LAG_MILLIS = "sourceLagMillis";

    public static final String REQUEST_PARSE_NANOS = "requestParseNanos";
    public static final String REQUEST_EXCHANGE_NANOS = "requestExchangeNanos";
    public static final String PREDICTION_SINK_NANOS = "predictionSinkNanos";
    public static final String FRESHNESS_MILLIS = "freshnessMillis";
    public static final String DELTA_GAPS = "deltaGaps";
    public static final String INFERENCE_UPDATES_REFUSED = "updatesRefused";

    // inputs, parsers and sources
    public static final String RECORDS_IN = "recordsIn";
    public static final String RECORDS_SKIPPED = "recordsSkipped";
    /** The group of the labeled source's deserializer, as Flink names it. */
    public static final String DESERIALIZER_GROUP = "deserializer";

    public static final String INPUT_GROUP = "input";
    /** The key of a dead letter's reason: Prometheus gets one counter with a {@code reason} label. */
    public static final String REASON_GROUP = "reason";

    public static final String DEAD_LETTERS = "deadLetters";

    // time series, the delayed-label join, entity features, the model store
    public static final String SERIES_LATE_WITHIN_LATENESS = "seriesLateWithinLateness";
    public static final String SERIES_GAP_STEPS_FILLED = "seriesGapStepsFilled";
    public static final String SERIES_WINDOW_RESETS = "seriesWindowResets";
    public static final String IMPRESSIONS_PENDING = "impressionsPending";
    public static final String IMPRESSIONS_LOGGED = "impressionsLogged";
    public static final String IMPRESSIONS_JOINED = "impressionsJoined";
    public static final String IMPRESSIONS_EXPIRED = "impressionsExpired";
    public static final String IMPRESSIONS_DUPLICATE = "impressionsDuplicate";
    public static final String OUTCOMES_LATE = "outcomesLate";
    public static final String OUTCOMES_UNKNOWN = "outcomesUnknown";
    public static final String OUTCOMES_DUPLICATE = "outcomesDuplicate";
    public static final String OUTCOMES_REFUSED = "outcomesRefused";
    public static final String LABEL_DELAY_MILLIS = "labelDelayMillis";
    /** The join's counts (and gauge), for tools that read them all. */
    public static final List<String> JOIN_COUNTS = List.of(
            IMPRESSIONS_LOGGED,
            IMPRESSIONS_PENDING,
            IMPRESSIONS_JOINED,
            IMPRESSIONS_EXPIRED,
            IMPRESSIONS_DUPLICATE,
            OUTCOMES_LATE,
            OUTCOMES_UNKNOWN,
            OUTCOMES_DUPLICATE,
            OUTCOMES_REFUSED);

    public static final String ENTITIES_NEW = "entitiesNew";
    public static final String ENTITY_LABELS_COUNTED = "entityLabelsCounted";
    /** The keyed state of the entities' statistics, whose RocksDB native metrics carry its name. */
    public static final String ENTITY_STATS_STATE = "entity-stats";

    public static final String ENTITIES_KEPT = ENTITY_STATS_STATE + ".rocksdb_estimate-num-keys";
    public static final String ENTITY_BYTES = ENTITY_STATS_STATE + ".rocksdb_estimate-live-data-size";
    public static final String STORE_VERSIONS_REFUSED = "storeVersionsRefused";

    /** The group of one model's metrics. */
    public static final String MODEL_GROUP = "model";
    /** The group, within a model's, of one of its learners' metrics. */
    public static final String LEARNER_GROUP = "learner";

    /** A model's metric as the REST API and the web UI name it: {@code model.<id>.<name>}. */
    public static String ofModel(String modelId, String name) {
        return MODEL_GROUP + "." + modelId + "." + name;
    }

    /** A metric of one learner of a model: {@code model.<id>.learner.<name>.<metric>}. */
    public static String ofLearner(String modelId, String learner, String name) {
        return ofModel(modelId, LEARNER_GROUP + "." + learner + "." + name);
    }

    /** An input's count of records read: {@code input.<input>.recordsIn}. */
    public static String recordsIn(String input) {
        return INPUT_GROUP + "." + input + "." + RECORDS_IN;
    }

    /** An input's histogram of the lag from a record's Kafka timestamp to its source: {@code input.<input>.sourceLagMillis}. */
    public static String sourceLag(String input) {
        return INPUT_GROUP + "." + input + "." + SOURCE_LAG_MILLIS;
    }

    /** Records rejected for one reason: {@code reason.<reason>.deadLetters}. */
    public static String deadLetters(String reason) {
        return REASON_GROUP + "." + reason + "." + DEAD_LETTERS;
    }

    /** Labeled events dropped by {@code labeled.skip-before}. */
    public static final String LABELED_SKIPPED = DESERIALIZER_GROUP + "." + RECORDS_SKIPPED;

    /** One row of the README's metrics table. */
    public record Row(String metric, String operator, String meaning) {}

    private static String perModel(String... names) {
        StringBuilder b = new StringBuilder("`" + ofModel("<id>", names[0]) + "`");
        for (int i = 1; i < names.length; i++) {
            b.append(", `").append(names[i]).append('`');
        }
        return b.toString();
    }

    private static String names(String... names) {
        return "`" + String.join("`, `", names) + "`";
    }

    /** The README's metrics table, row by row. */
    public static final List<Row> TABLE = List.of(
            new Row(
                    perModel(MODEL_VERSION),
                    "Trainer",
                    "Current version; grows by one per applied mini-batch, across restarts."),
            new Row(
                    perModel(EXAMPLES_TRAINED, BATCHES_APPLIED, FROZEN),
                    "Trainer",
                    "Counters from the model's state (exact across failures, not per attempt)."),
            new Row(
                    perModel(LOG_LOSS, ACCURACY, AUC),
                    "Trainer",
                    "Prequential, over the last `metrics.window` examples (logistic models)."),
            new Row(perModel(LOG_LOSS_TOTAL), "Trainer", "Prequential log loss over the whole stream."),
            new Row(
                    perModel(MAE, RMSE, MAE_TOTAL, RMSE_TOTAL),
                    "Trainer",
                    "Prequential, over the window and the whole stream (squared-loss models)."),
            new Row(
                    perModel(FORECAST_MAE, FORECAST_RMSE, FORECAST_MAPE, NAIVE_MAE, NAIVE_RMSE, NAIVE_MAPE),
                    "Trainer",
                    "Time series: the model's and the seasonal-naive forecasts, prequential, in the series' scale."),
            new Row(
                    perModel(SERVED_EXAMPLES, SERVED_LOG_LOSS, SERVED_AUC, SERVED_MAE, SERVED_RMSE),
                    "Trainer",
                    "The scores served for joined impressions, judged by their labels (see *Delayed labels*)."),
            new Row(
                    perModel(TRAINED_LOSS),
                    "Trainer",
                    "The loss of the examples learnt since the last stored version: a stored version's health."),
            new Row(
                    perModel(UPDATES_REFUSED, SCORES_NON_FINITE),
                    "Trainer",
                    "Examples not learnt because their update would have made the model non-finite; prequential"
                            + " scores left out of the metrics because they were not finite."),
            new Row(
                    perModel(
                            GUARD_ALARMS,
                            GUARD_EPISODE,
                            GUARD_LAST_ALARM_AT,
                            GUARD_LAST_ALARM_RATIO,
                            GUARD_LAST_ACTION),
                    "Trainer",
                    "The guard: alarms so far, 1 during an episode, the last alarm's time (epoch ms), loss ratio and"
                            + " action (1 alert, 2 freeze, 3 rollback)."),
            new Row(
                    perModel(PROMOTIONS, PINNED),
                    "Trainer",
                    "Challengers promoted so far (automatically or by command); 1 while automatic promotions are off."),
            new Row(
                    "`" + ofLearner("<id>", "<learner>", CHAMPION) + "`, "
                            + names(
                                    BLEND_WEIGHT,
                                    EXAMPLES_LEARNT,
                                    PAUSED,
                                    LOG_LOSS,
                                    AUC,
                                    MAE,
                                    RMSE,
                                    IMPROVEMENT,
                                    IMPROVEMENT_STD_ERRORS),
                    "Trainer",
                    "Per learner of a model with challengers (`default` is the model's own options): 1 for the"
                            + " champion; its weight in what is served (`serve`: its share of the blend; 1 for a champion"
                            + " served alone); examples learnt; 1 while its guard pauses it; its own prequential scores over"
                            + " `metrics.window`; at the last check, how much lower than the champion's its loss was over"
                            + " `promotion.window` (a fraction) and in standard errors."),
            new Row(
                    perModel(CONTINUED_AFTER_VERSION),
                    "Trainer",
                    "The newest version the model store held when the model started or was restored and its"
                            + " versions moved past it; -1 when they did not need to."),
            new Row(
                    perModel(PREDICTIONS_SERVED, SERVED_VERSION, SCORES_NON_FINITE),
                    "Inference",
                    "Per subtask: predictions, the version served, scores that were not finite (never served)."),
            new Row(
                    names(sourceLag("<labeled|requests|control|series|outcomes>")),
                    "each source",
                    "Histogram: from a record's Kafka timestamp to the source reading it, in milliseconds (on the"
                            + " requests source, a request's first hop)."),
            new Row(
                    names(REQUEST_PARSE_NANOS, REQUEST_EXCHANGE_NANOS, SCORING_LATENCY_NANOS, PREDICTION_SINK_NANOS),
                    "Inference, predictions sink",
                    "A request's latency budget, hop by hop, in nanoseconds: read to parsed, parsed to inference"
                            + " (exchanges, entity operators, queues), scored, and handed to the chained predictions sink"
                            + " (serialized, given to the Kafka producer)."),
            new Row(
                    names(FRESHNESS_MILLIS),
                    "Inference",
                    "Histogram: from the moment the newest example of a batch entered the trainer to the moment its"
                            + " weights were applied in inference."),
            new Row(
                    names(DELTA_GAPS, INFERENCE_UPDATES_REFUSED),
                    "Inference",
                    "Deltas dropped because their base version was not the served one (the model waits for the next"
                            + " full update); updates refused for a non-finite value."),
            new Row(
                    names(deadLetters("<reason>")),
                    "each operator that rejects records: the parsers, the series windows (`late`), the trainer"
                            + " (`poisoned-update`), inference (`non-finite-score`), the outcome join (`outcome-*`,"
                            + " `duplicate-impression`)",
                    "Records rejected, per reason (in Prometheus one counter, `reason_deadLetters`, with a `reason` label whose `-` Flink's reporter writes as `_`)."),
            new Row(names(recordsIn("<labeled|requests|control|series|outcomes>")), "each parser", "Records read."),
            new Row(names(LABELED_SKIPPED), "labeled source", "Labeled events dropped by `labeled.skip-before`."),
            new Row(
                    names(SERIES_LATE_WITHIN_LATENESS, SERIES_GAP_STEPS_FILLED, SERIES_WINDOW_RESETS),
                    "Series lag windows",
                    "Late points dropped within the lateness, steps filled, windows reset."),
            new Row(
                    names(JOIN_COUNTS.toArray(String[]::new)) + ", " + names(LABEL_DELAY_MILLIS),
                    "Join impressions and outcomes",
                    "Impressions remembered, waiting, joined, closed as negatives, repeated; outcomes late, unknown,"
                            + " repeated, refused; the histogram of label delays."),
            new Row(
                    names(ENTITIES_NEW, ENTITY_LABELS_COUNTED),
                    "Entity features",
                    "Entities seen for the first time; labels counted into their statistics."),
            new Row(
                    names(STORE_VERSIONS_REFUSED),
                    "Model store: Committer",
                    "Versions not published because the store already held a file under their number (set aside in"
                            + " `_refused/`)."));
}
