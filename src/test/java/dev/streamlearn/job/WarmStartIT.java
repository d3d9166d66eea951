package dev.streamlearn.job;

import static dev.streamlearn.job.JobStack.MODEL;
import static dev.streamlearn.job.JobStack.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.batch.BatchFit;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.model.ModelFile;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.records.Example;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.JobMetrics;
import dev.streamlearn.tools.OfflineTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A Smile batch fit as the initial model: served as version 0 with Smile's own scores, then learnt on online. */
@ExtendWith(JobStack.Shared.class)
class WarmStartIT {

    private static final int FIT_ON = 5000;

    private final JobStack stack;

    WarmStartIT(JobStack stack) {
        this.stack = stack;
    }

    @Test
    void startsFromASmileBatchModelAndServesItsScoresBeforeLearningOnline() throws Exception {
        List<DatasetEvent> bike = stack.bike;
        Path storeDir = stack.dir("warm-store");
        StoredModel written = OfflineTrainer.run(
                "--file",
                "src/data/bike_sharing/hour.csv",
                "--format",
                "bike-sharing",
                "--model",
                MODEL,
                "--limit",
                Integer.toString(FIT_ON),
                "--hash.bits",
                "10",
                "--store",
                storeDir.toUri().toString());
        assertEquals(0, written.version);
        String initial =
                storeDir.resolve(MODEL).resolve(ModelFile.fileName(0)).toUri().toString();
        JobConfig config = stack.config("warm-", "--model.bike.hash.bits", "10", "--model.bike.initial-model", initial);
        // the same fit, to ask Smile itself for its predictions
        BatchFit.Dataset dataset =
                BatchFit.Dataset.of(config.models().get(MODEL), JobStack.examples(config, bike.subList(0, FIT_ON)));
        BatchFit.Fitted smile = BatchFit.fit(config.models().get(MODEL), dataset, 0.1);
        assertArrayEquals(smile.stored.state.weights, written.state.weights, "the fit is deterministic");

        try (JobStack.Running running = stack.run("warm", config)) {
            JobMetrics metrics = running.metrics;
            List<DatasetEvent> unseen = bike.subList(FIT_ON, FIT_ON + 100);
            List<Example> unseenExamples = JobStack.examples(config, unseen);
            List<String> requests = new ArrayList<>();
            Map<String, Double> expected = new HashMap<>();
            for (int i = 0; i < unseen.size(); i++) {
                String id = "w-" + i;
                requests.add(unseen.get(i).asRequest(id));
                expected.put(id, smile.predict.applyAsDouble(dataset.row(unseenExamples.get(i).features)));
            }
            stack.kafka.send(config.topic(Topic.REQUESTS), requests);
            double worst = 0;
            for (JsonNode p : stack.readPredictions(config, requests.size())) {
                assertEquals(0L, p.get("modelVersion").asLong(), "served as the initial version: " + p);
                worst = Math.max(
                        worst,
                        Math.abs(p.get("score").asDouble()
                                - expected.get(p.get("id").asText())));
            }
            assertTrue(worst <= 1e-6, "largest difference to Smile's own predictions: " + worst);

            stack.kafka.send(config.topic(Topic.LABELED), Events.json(bike.subList(FIT_ON, FIT_ON + 2000)));
            Await.until(
                    "online updates on top of the batch model",
                    TIMEOUT,
                    () -> metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.EXAMPLES_TRAINED)) == 2000);
            // batches of 50, or fewer when one closes by time
            assertTrue(
                    metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION)) >= 2000 / 50,
                    "versions count on from the initial version 0");
            System.out.printf("IT warm start: 100 requests served at version 0, max |job - Smile| = %.2e%n", worst);
        }
    }
}
