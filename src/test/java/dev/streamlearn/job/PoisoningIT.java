package dev.streamlearn.job;

import static dev.streamlearn.job.JobStack.MODEL;
import static dev.streamlearn.job.JobStack.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.JobMetrics;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A burst of 5,000 flipped labels through Kafka into the job with {@code guard.action rollback}:
 * the trainer detects it, goes back to a version from before it, serves that version, stops
 * learning through the burst and resumes after it, with no person involved.
 */
@ExtendWith(JobStack.Shared.class)
class PoisoningIT {

    private static final int BEFORE = 8000;
    private static final int BURST = 5000;
    // the guard resumes after about 750 clean examples past the burst's last (its window, then its
    // quiet); the clean part is sent once the whole burst was read, as the topic's two partitions
    // would otherwise reach the trainer interleaved, by however far one lags on a busy machine
    private static final int AFTER = 4000;

    private final JobStack stack;

    PoisoningIT(JobStack stack) {
        this.stack = stack;
    }

    @Test
    void aBurstOfFlippedLabelsIsRolledBackAndLearningResumesAfterIt() throws Exception {
        // versions every 500 examples (by size, not time), the last 20 kept in state: what the guard rolls back to
        JobConfig config = stack.config(
                "poison-",
                "--model.bike.guard.action",
                "rollback",
                "--batch.size",
                "500",
                "--batch.millis",
                "600000",
                "--store.interval",
                "0",
                "--store.recent",
                "20");
        String trained = MetricNames.ofModel(MODEL, MetricNames.EXAMPLES_TRAINED);
        try (JobStack.Running running = stack.run("poison", config)) {
            JobMetrics metrics = running.metrics;
            List<DatasetEvent> bike = stack.bike;
            stack.kafka.send(config.topic(Topic.LABELED), Events.json(bike.subList(0, BEFORE)));
            Await.until("the clean part trained", TIMEOUT, () -> metrics.longValue(trained) == BEFORE);
            long versionBefore = metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION));

            List<String> burst = bike.subList(BEFORE, BEFORE + BURST).stream()
                    .map(PoisoningIT::flipped)
                    .collect(Collectors.toList());
            stack.kafka.send(config.topic(Topic.LABELED), burst);
            String read = MetricNames.recordsIn("labeled");
            Await.until("the burst read", TIMEOUT, () -> metrics.longValue(read) == BEFORE + BURST);
            stack.kafka.send(
                    config.topic(Topic.LABELED), Events.json(bike.subList(BEFORE + BURST, BEFORE + BURST + AFTER)));
            Await.until(
                    "the guard resumed learning after the burst",
                    TIMEOUT,
                    () -> metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.GUARD_EPISODE)) == 0
                            && metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.GUARD_ALARMS)) == 1
                            && metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.FROZEN)) == 0,
                    () -> "alarms " + metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.GUARD_ALARMS))
                            + ", frozen " + metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.FROZEN)));

            List<JsonNode> log = stack
                    .kafka
                    .readAll(config.topic(Topic.MODEL_LOG), Integer.MAX_VALUE, Duration.ofSeconds(5), true)
                    .stream()
                    .map(Events::parse)
                    .filter(e -> e.has("reason") && e.get("reason").asText().startsWith("guard:"))
                    .collect(Collectors.toList());
            assertEquals(2, log.size(), log.toString());
            JsonNode rollback = log.get(0);
            assertEquals("rollback", rollback.get("event").asText());
            assertTrue(
                    rollback.get("parentVersion").asLong() <= versionBefore,
                    "back to a version from before: " + rollback);
            assertEquals("resume", log.get(1).get("event").asText());

            // most of the burst was not learnt: trained = before + the few before detection + what followed resume
            long learnt = metrics.longValue(trained) - BEFORE;
            assertTrue(learnt < AFTER + 500, "examples learnt since the clean part: " + learnt);
            // the model serves what it learnt before the burst: a working day's evening rush scores above its night
            double evening = score(config, anHour(bike, "17/1"), "evening");
            double night = score(config, anHour(bike, "3/1"), "night");
            assertTrue(evening > night, "evening " + evening + " vs night " + night);
            assertEquals(0, metrics.longValue("numRestarts"));
            System.out.printf(
                    "IT poisoning: %d flipped labels; %s (%s); %s; learnt %d of the %d examples since%n",
                    BURST,
                    rollback.get("event").asText(),
                    rollback.get("reason").asText(),
                    log.get(1).get("reason").asText(),
                    learnt,
                    BURST + AFTER);
        }
    }

    /** The first event after the stream so far at the given hour/working-day. */
    private static DatasetEvent anHour(List<DatasetEvent> bike, String hourWorkingday) {
        return bike.subList(BEFORE + BURST + AFTER, bike.size()).stream()
                .filter(e -> e.json.contains("\"hour_workingday\":\"" + hourWorkingday + "\""))
                .findFirst()
                .orElseThrow();
    }

    private static String flipped(DatasetEvent e) {
        ObjectNode n = (ObjectNode) Events.parse(e.json);
        n.put("label", 1 - e.label);
        return n.toString();
    }

    private double score(JobConfig config, DatasetEvent e, String id) {
        return stack.predict(config, e, id).get("score").asDouble();
    }
}
