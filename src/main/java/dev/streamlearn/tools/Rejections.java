package dev.streamlearn.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.ingest.EventParser;
import dev.streamlearn.ingest.ParseResult;
import dev.streamlearn.job.JobConfig;
import dev.streamlearn.options.InvalidConfigException;
import dev.streamlearn.records.DeadLetterReason;
import dev.streamlearn.records.Example;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The events of a dataset that the job's parser will send to the dead-letter topic, by reason:
 * what a replay can say before it sends them. Judged with the job's default limits and each
 * event's own model; the reasons that depend on how the running job is configured (its models,
 * the loss that says which labels are valid) are left to it.
 */
final class Rejections {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SET_BY_THE_JOB =
            Set.of(DeadLetterReason.UNKNOWN_MODEL.code(), DeadLetterReason.BAD_LABEL.code());

    private Rejections() {}

    /** How many of the events the job rejects, by reason; empty when none (or when their models are not valid ids). */
    static Map<String, Integer> of(Iterable<DatasetEvent> events, String topic) {
        Set<String> models = new TreeSet<>();
        for (DatasetEvent e : events) {
            try {
                JsonNode model = JSON.readTree(e.json).get("model");
                if (model != null && model.isTextual()) {
                    models.add(model.asText());
                }
            } catch (JsonProcessingException notJson) {
                // the parser below says so
            }
        }
        Map<String, Integer> rejected = new TreeMap<>();
        if (models.isEmpty()) {
            return rejected;
        }
        JobConfig config;
        try {
            config = JobOptions.config(Map.of("models", String.join(",", models)));
        } catch (InvalidConfigException e) {
            return rejected; // the job refuses those models as unknown
        }
        EventParser parser = new EventParser(config.models(), config.inputLimits(), topic);
        for (DatasetEvent e : events) {
            ParseResult<Example> r = parser.parseLabeled(e.json);
            if (!r.isOk() && !SET_BY_THE_JOB.contains(r.deadLetter().reason)) {
                rejected.merge(r.deadLetter().reason, 1, Integer::sum);
            }
        }
        return rejected;
    }
}
