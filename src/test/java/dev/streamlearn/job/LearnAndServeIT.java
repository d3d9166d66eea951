package dev.streamlearn.job;

import static dev.streamlearn.job.JobStack.MODEL;
import static dev.streamlearn.job.JobStack.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.JobMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The job learns from a real dataset, answers every request with a growing version, and dead-letters bad input. */
@ExtendWith(JobStack.Shared.class)
class LearnAndServeIT {

    private static final ToLongFunction<JsonNode> VERSION =
            p -> p.get("modelVersion").asLong();

    private final JobStack stack;

    LearnAndServeIT(JobStack stack) {
        this.stack = stack;
    }

    @Test
    void learnsFromARealDatasetServesGrowingVersionsAndDeadLettersBadRecords() throws Exception {
        List<DatasetEvent> bike = stack.bike;
        JobConfig config = stack.config("learn-");
        String trained = MetricNames.ofModel(MODEL, MetricNames.EXAMPLES_TRAINED);
        try (JobStack.Running running = stack.run("learn", config)) {
            JobMetrics metrics = running.metrics;
            int half = bike.size() / 2;
            List<String> firstHalf = new ArrayList<>(Events.json(bike.subList(0, half)));
            Map<String, String> malformed = new HashMap<>();
            malformed.put("{\"model\":\"bike\",\"label\":1,\"features\":{\"hour\":\"3\"", "not-json");
            malformed.put("{\"model\":\"bike\",\"features\":{\"hour\":\"3\"}}", "missing-field");
            malformed.put("{\"model\":\"bike\",\"label\":7,\"features\":{}}", "bad-label");
            malformed.put("{\"model\":\"bike\",\"label\":1,\"features\":{\"temp\":NaN}}", "not-finite");
            malformed.put("{\"model\":\"taxi\",\"label\":1,\"features\":{}}", "unknown-model");
            malformed.put("{\"model\":\"bike\",\"label\":\"yes\",\"features\":{}}", "not-numeric");
            // bad records in the middle of good ones: the job must keep going past them
            firstHalf.addAll(half / 2, malformed.keySet());
            stack.kafka.send(config.topic(Topic.LABELED), firstHalf);
            stack.kafka.send(config.topic(Topic.REQUESTS), List.of("{\"id\":\"r-bad\",\"features\":{}}"));
            malformed.put("{\"id\":\"r-bad\",\"features\":{}}", "missing-field");

            Await.until(
                    "first half trained",
                    TIMEOUT,
                    () -> metrics.longValue(trained) == half,
                    () -> "examplesTrained=" + metrics.longValue(trained));
            List<String> wave1 = stack.requests(0, 100);
            stack.kafka.send(config.topic(Topic.REQUESTS), wave1);
            List<JsonNode> predictions1 = stack.readPredictions(config, wave1.size());
            long versionAfterFirstHalf = metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION));

            stack.kafka.send(config.topic(Topic.LABELED), Events.json(bike.subList(half, bike.size())));
            Await.until("all trained", TIMEOUT, () -> metrics.longValue(trained) == bike.size());
            List<String> wave2 = stack.requests(1, 100);
            stack.kafka.send(config.topic(Topic.REQUESTS), wave2);
            List<JsonNode> all = stack.readPredictions(config, wave1.size() + wave2.size());
            List<JsonNode> predictions2 = all.stream()
                    .filter(p -> p.get("id").asText().startsWith("q1-"))
                    .collect(Collectors.toList());

            // predictions arrive for every request, tagged with growing versions
            assertEquals(wave1.size(), predictions1.size());
            assertEquals(wave2.size(), predictions2.size());
            long minVersion1 = predictions1.stream().mapToLong(VERSION).min().orElseThrow();
            long maxVersion1 = predictions1.stream().mapToLong(VERSION).max().orElseThrow();
            long minVersion2 = predictions2.stream().mapToLong(VERSION).min().orElseThrow();
            assertTrue(minVersion1 >= 1, "served after training started");
            assertTrue(maxVersion1 <= versionAfterFirstHalf);
            assertTrue(minVersion2 > maxVersion1, "versions grow: " + maxVersion1 + " then " + minVersion2);
            for (JsonNode p : all) {
                double score = p.get("score").asDouble();
                assertTrue(score > 0 && score < 1, "a probability: " + p);
                assertEquals(MODEL, p.get("model").asText());
            }

            // every served request is timed hop by hop, within the time the test took
            int served = wave1.size() + wave2.size();
            for (String hop : List.of(
                    MetricNames.REQUEST_PARSE_NANOS,
                    MetricNames.REQUEST_EXCHANGE_NANOS,
                    MetricNames.SCORING_LATENCY_NANOS,
                    MetricNames.PREDICTION_SINK_NANOS)) {
                JobMetrics.HistogramSummary h = metrics.histogram(hop);
                assertEquals(served, h.count(), hop);
                assertTrue(h.max() >= 0 && h.max() < TIMEOUT.toNanos(), hop + " max " + h.max());
            }
            JobMetrics.HistogramSummary kafkaIn = metrics.histogram(MetricNames.sourceLag("requests"));
            assertEquals(served + 1, kafkaIn.count(), "every request read, r-bad too");
            assertTrue(kafkaIn.max() >= 0 && kafkaIn.max() < TIMEOUT.toMillis(), "Kafka in, ms: " + kafkaIn.max());

            // prequential quality: clearly better than always predicting the base rate
            double logLoss = metrics.sum(MetricNames.ofModel(MODEL, MetricNames.LOG_LOSS_TOTAL));
            double baseRate = Events.baseRateLogLoss(bike);
            assertTrue(logLoss < 0.7 * baseRate, "log loss " + logLoss + " vs base rate " + baseRate);
            assertTrue(metrics.sum(MetricNames.ofModel(MODEL, MetricNames.AUC)) > 0.9);
            JobStack.awaitOneVersionPerBatch(metrics);

            // every bad record is in the dead-letter topic with its reason, and counted
            List<String> dead = stack.kafka.readAll(config.topic(Topic.DEAD_LETTER), malformed.size(), TIMEOUT);
            Map<String, String> reasonByPayload = new HashMap<>();
            for (String d : dead) {
                JsonNode n = Events.parse(d);
                reasonByPayload.put(n.get("payload").asText(), n.get("reason").asText());
            }
            assertEquals(malformed, reasonByPayload);
            assertEquals(1, metrics.longValue(MetricNames.deadLetters("bad-label")));
            assertEquals(2, metrics.longValue(MetricNames.deadLetters("missing-field")));
            // a request whose id is a number is answered with that number, as a producer in Python compares it
            String numeric = stack.bike.get(5).asRequest("777000111").replace("\"777000111\"", "777000111");
            stack.kafka.send(config.topic(Topic.REQUESTS), List.of(numeric));
            JsonNode answer = stack.readPredictions(config, served + 1).stream()
                    .filter(p -> p.get("id").asText().equals("777000111"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(answer.get("id").isIntegralNumber(), "the id as it was sent: " + answer);
            assertEquals(777000111L, answer.get("id").asLong());
            System.out.printf(
                    "IT learn: %d events, %d batches, version %d, logLossTotal %.4f vs base rate %.4f,"
                            + " auc %.3f, %d predictions, %d dead letters%n",
                    bike.size(),
                    metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.BATCHES_APPLIED)),
                    metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION)),
                    logLoss,
                    baseRate,
                    metrics.sum(MetricNames.ofModel(MODEL, MetricNames.AUC)),
                    all.size(),
                    dead.size());
        }
    }
}
