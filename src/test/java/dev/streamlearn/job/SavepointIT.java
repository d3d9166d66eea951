package dev.streamlearn.job;

import static dev.streamlearn.job.JobStack.MODEL;
import static dev.streamlearn.job.JobStack.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.model.ModelFile;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.FlinkConf;
import dev.streamlearn.testing.JobMetrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Stop with a savepoint and restore: the same version, weights and optimizer state, and versions count on. */
@ExtendWith(JobStack.Shared.class)
class SavepointIT {

    private final JobStack stack;

    SavepointIT(JobStack stack) {
        this.stack = stack;
    }

    @Test
    void savepointRestoreContinuesVersionsWithIdenticalWeightsAndOptimizerState() throws Exception {
        Path storeDir = stack.dir("savepoint-store");
        JobConfig config =
                stack.config("savepoint-", "--store.path", storeDir.toUri().toString(), "--store.interval", "3600000");
        StreamExecutionEnvironment env = stack.env("savepoint");
        LearningJob.attachToKafka(env, config);
        JobClient job = env.executeAsync("savepoint-it");
        JobMetrics metrics = stack.metrics(job);
        String version = MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION);
        String trained = MetricNames.ofModel(MODEL, MetricNames.EXAMPLES_TRAINED);
        int part = 5000;
        stack.kafka.send(config.topic(Topic.LABELED), Events.json(stack.bike.subList(0, part)));
        Await.until("first part trained", TIMEOUT, () -> metrics.longValue(trained) == part);
        // freeze writes the current version (weights and optimizer state) to the store
        stack.kafka.send(config.topic(Topic.CONTROL), List.of("{\"op\":\"freeze\",\"model\":\"bike\"}"));
        Await.until("frozen", TIMEOUT, () -> metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.FROZEN)) == 1);
        long atSavepoint = metrics.longValue(version);
        String probe = stack.bike.get(1234).asRequest("savepoint-probe");
        stack.kafka.send(config.topic(Topic.REQUESTS), List.of(probe));
        JsonNode beforeStop = stack.readPredictions(config, 1).get(0);
        Path file = storeDir.resolve(MODEL).resolve(ModelFile.fileName(atSavepoint));
        String savepoint = stack.stopWithSavepoint(job, "savepoints");
        assertTrue(Files.exists(file), "the freeze's version was committed by the savepoint");
        long storedAt = read(file).createdAtMillis;

        Configuration restoreConf = FlinkConf.load(stack.dir("savepoint"), Duration.ofMillis(300));
        restoreConf.setString("execution.state-recovery.path", savepoint);
        StreamExecutionEnvironment restoredEnv = stack.env(restoreConf);
        LearningJob.attachToKafka(restoredEnv, config);
        JobClient restored = restoredEnv.executeAsync("savepoint-it-restored");
        JobMetrics after = stack.metrics(restored);
        try {
            Await.until("the restored trainer reports", TIMEOUT, () -> after.longValue(version) >= 0);
            assertEquals(atSavepoint, after.longValue(version), "the version is the savepoint's");
            // the restored inference serves the savepoint's weights and scaling: the same score to the last bit
            stack.kafka.send(config.topic(Topic.REQUESTS), List.of(probe));
            JsonNode afterRestore = stack.readPredictions(config, 2).get(1);
            assertEquals(atSavepoint, afterRestore.get("modelVersion").asLong());
            assertEquals(
                    beforeStop.get("score").asDouble(),
                    afterRestore.get("score").asDouble(),
                    0.0);
            // resume stores nothing new: the version is in the store already, written once
            stack.kafka.send(config.topic(Topic.CONTROL), List.of("{\"op\":\"resume\",\"model\":\"bike\"}"));
            Await.until("resumed", TIMEOUT, () -> after.longValue(MetricNames.ofModel(MODEL, MetricNames.FROZEN)) == 0);
            assertEquals(storedAt, read(file).createdAtMillis, "the stored version is never written again");

            stack.kafka.send(config.topic(Topic.LABELED), Events.json(stack.bike.subList(part, 2 * part)));
            Await.until("second part trained", TIMEOUT, () -> after.longValue(trained) == 2L * part);
            assertTrue(after.longValue(version) > atSavepoint, "versions continue after the restore");
            List<String> events = stack.kafka.readAll(config.topic(Topic.MODEL_LOG), 3, TIMEOUT, true).stream()
                    .map(Events::parse)
                    .map(e -> e.get("event").asText() + "@" + e.get("version").asLong())
                    .collect(Collectors.toList());
            assertEquals(
                    List.of("stored@1", "freeze@" + atSavepoint, "resume@" + atSavepoint),
                    events,
                    "the model log has each line once, across the stop and the restore");
            try (var files = Files.list(storeDir.resolve(MODEL))) {
                assertEquals(2, files.count(), "versions 1 and " + atSavepoint + ", each once");
            }
            System.out.printf(
                    "IT savepoint: v%d at the savepoint, v%d after restore and %d more events%n",
                    atSavepoint, after.longValue(version), part);
        } finally {
            restored.cancel().get();
        }
    }

    private static StoredModel read(Path file) throws IOException {
        return ModelFile.read(new ByteArrayInputStream(Files.readAllBytes(file)));
    }
}
