package dev.streamlearn.job;

import dev.streamlearn.options.Option;
import dev.streamlearn.options.OptionType;
import java.util.Arrays;
import java.util.List;

/**
 * The job's Kafka topics: the option that names each and its default name. The one place for
 * them: the job's options, the tools' defaults and the local stack (through
 * {@code dev.streamlearn.tools.TopicNames}) read them here.
 */
@SuppressWarnings("ImmutableEnumChecker") // Option is immutable (final fields of immutable values)
public enum Topic {
    LABELED("topic.labeled", "labeled-events", "Labeled events in."),
    REQUESTS("topic.requests", "prediction-requests", "Prediction requests in."),
    CONTROL("topic.control", "model-control", "Control commands in."),
    SERIES("topic.series", "series-points", "Time-series points in (read only when `series.model` is set)."),
    OUTCOMES(
            "topic.outcomes",
            "outcomes",
            "Outcomes of served requests in (clicks, conversions): joined to their impressions (see \"Delayed"
                    + " labels\")."),
    PREDICTIONS("topic.predictions", "predictions", "Predictions out."),
    FORECASTS("topic.forecasts", "forecasts", "Forecasts out."),
    DEAD_LETTER("topic.dead-letter", "dead-letter", "Rejected records out, with the reason."),
    MODEL_LOG(
            "topic.model-log",
            "model-log",
            "Model history out, exactly once: stored versions, starts, rollbacks, promotions, freezes, resumes, pins,"
                    + " alarms, rejected commands.");

    public final String key;
    public final String defaultName;
    public final String description;
    /** The job's option that names the topic. */
    public final Option<String> option;

    Topic(String key, String defaultName, String description) {
        this.key = key;
        this.defaultName = defaultName;
        this.description = description;
        this.option = Option.key(key, OptionType.STRING)
                .defaultValue(defaultName)
                .rule(v -> !v.isBlank(), "must not be empty")
                .description(description)
                .build();
    }

    /** The options of every topic. */
    public static List<Option<?>> options() {
        return Arrays.stream(values()).<Option<?>>map(t -> t.option).toList();
    }
}
