package dev.streamlearn.job;

/**
 * The job's Kafka topics: the option that names each and its default name. The one place for
 * them: the job's options, the tools' defaults and the local stack (through
 * {@code dev.streamlearn.tools.TopicNames}) read them here.
 */
public enum Topic {
    LABELED("topic.labeled", "labeled-events", "Labeled events in."),
    REQUESTS("topic.requests", "prediction-requests", "Prediction requests in."),
    CONTROL("topic.control", "model-control", "Control commands in."),
    SERIES("topic.series", "series-points", "Time-series points in."),
    OUTCOMES(
            "topic.outcomes",
            "outcomes",
            "Outcomes of served requests in (clicks, conversions), joined to their impressions."),
    PREDICTIONS("topic.predictions", "predictions", "Predictions out."),
    FORECASTS("topic.forecasts", "forecasts", "Forecasts out."),
    DEAD_LETTER("topic.dead-letter", "dead-letter", "Rejected records out, with the reason."),
    MODEL_LOG(
            "topic.model-log",
            "model-log",
            "Model history out: stored versions, rollbacks, freezes, rejected commands.");

    public final String key;
    public final String defaultName;
    public final String description;

    Topic(String key, String defaultName, String description) {
        this.key = key;
        this.defaultName = defaultName;
        this.description = description;
    }
}
