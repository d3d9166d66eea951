package dev.streamlearn.job;

/**
 * Operator uids (what savepoints are keyed by) and names (what the web UI shows). The uids
 * must never change, or savepoints taken before cannot be restored.
 */
public final class Operators {

    private Operators() {}

    public static final String LABELED_SOURCE_UID = "source-labeled-events";
    public static final String LABELED_SOURCE_NAME = "Kafka: labeled events";
    public static final String REQUEST_SOURCE_UID = "source-prediction-requests";
    public static final String REQUEST_SOURCE_NAME = "Kafka: prediction requests";
    public static final String CONTROL_SOURCE_UID = "source-control";
    public static final String CONTROL_SOURCE_NAME = "Kafka: control commands";

    public static final String SERIES_SOURCE_UID = "source-series-points";
    public static final String SERIES_SOURCE_NAME = "Kafka: series points";
    public static final String PARSE_SERIES_UID = "parse-series-points";
    public static final String PARSE_SERIES_NAME = "Parse series points";
    public static final String SERIES_WINDOWS_UID = "series-windows";
    public static final String SERIES_WINDOWS_NAME = "Series lag windows (keyed, RocksDB)";
    public static final String FORECAST_SINK_UID = "sink-forecasts";
    public static final String FORECAST_SINK_NAME = "Kafka: forecasts";

    public static final String OUTCOME_SOURCE_UID = "source-outcomes";
    public static final String OUTCOME_SOURCE_NAME = "Kafka: outcomes";
    public static final String PARSE_OUTCOMES_UID = "parse-outcomes";
    public static final String PARSE_OUTCOMES_NAME = "Parse outcomes";
    public static final String OUTCOME_TIME_UID = "outcomes-event-time";
    public static final String OUTCOME_TIME_NAME = "Outcomes: event time";
    public static final String IMPRESSION_TIME_UID = "impressions-event-time";
    public static final String IMPRESSION_TIME_NAME = "Impressions: event time";
    /** The entity operator of the n-th entity field (0, 1, ...): {@code entity-features-n}. */
    public static String entityUid(int field) {
        return "entity-features-" + field;
    }

    public static String entityName(int field) {
        return "Entity features, field " + (field + 1) + " (keyed, RocksDB)";
    }

    public static final String JOINER_UID = "outcome-joiner";
    public static final String JOINER_NAME = "Join outcomes to impressions (keyed, RocksDB)";
    public static final String JOINED_SINK_UID = "sink-joined-events";
    public static final String JOINED_SINK_NAME = "Kafka: joined events to labeled events";

    public static final String PARSE_LABELED_UID = "parse-labeled-events";
    public static final String PARSE_LABELED_NAME = "Parse + featurize labeled events";
    public static final String PARSE_REQUESTS_UID = "parse-prediction-requests";
    public static final String PARSE_REQUESTS_NAME = "Parse + featurize requests";
    public static final String PARSE_CONTROL_UID = "parse-control";
    public static final String PARSE_CONTROL_NAME = "Parse control commands";

    public static final String TRAINER_UID = "trainer";
    public static final String TRAINER_NAME = "Trainer (mini-batch, prequential)";
    public static final String INFERENCE_UID = "inference";
    public static final String INFERENCE_NAME = "Inference (broadcast weights)";

    public static final String PREDICTION_SINK_UID = "sink-predictions";
    public static final String PREDICTION_SINK_NAME = "Kafka: predictions";
    public static final String DEAD_LETTER_SINK_UID = "sink-dead-letter";
    public static final String DEAD_LETTER_SINK_NAME = "Kafka: dead letters";
    public static final String REJECTED_COMMANDS_UID = "rejected-commands-to-model-log";
    public static final String REJECTED_COMMANDS_NAME = "Rejected commands to model log";
    // side outputs on their way to a sink, each chained to the operator that emits it
    public static final String LABELED_DEAD_LETTERS_UID = "labeled-dead-letters";
    public static final String LABELED_DEAD_LETTERS_NAME = "Dead letters: labeled events";
    public static final String SERIES_DEAD_LETTERS_UID = "series-dead-letters";
    public static final String SERIES_DEAD_LETTERS_NAME = "Dead letters: series points";
    public static final String SERIES_WINDOW_DEAD_LETTERS_UID = "series-window-dead-letters";
    public static final String SERIES_WINDOW_DEAD_LETTERS_NAME = "Dead letters: series windows";
    public static final String REFUSED_EXAMPLES_UID = "refused-examples";
    public static final String REFUSED_EXAMPLES_NAME = "Dead letters: refused examples";
    public static final String NON_FINITE_SCORES_UID = "non-finite-scores";
    public static final String NON_FINITE_SCORES_NAME = "Dead letters: non-finite scores";
    public static final String MODEL_LOG_ENTRIES_UID = "model-log-entries";
    public static final String MODEL_LOG_ENTRIES_NAME = "Model log entries";
    public static final String MODEL_LOG_SINK_UID = "sink-model-log";
    public static final String MODEL_LOG_SINK_NAME = "Kafka: model log";
    public static final String MODEL_STORE_SINK_UID = "sink-model-store";
    public static final String MODEL_STORE_SINK_NAME = "Model store";

    // the pass-through job of the benchmarks (its source and parser use the uids above)
    public static final String PASSED_SINK_UID = "sink-passed-through";
    public static final String PASSED_SINK_NAME = "Kafka: passed through";
    public static final String PASSED_ACROSS_EXCHANGE_UID = "passed-across-exchange";
    public static final String PASSED_ACROSS_EXCHANGE_NAME = "Across an exchange";
}
