package dev.streamlearn.job;

import static dev.streamlearn.job.JobStack.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.datasets.ClickStream;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.datasets.DelayedOutcomes;
import dev.streamlearn.ingest.SourceRecord;
import dev.streamlearn.metrics.Auc;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.outcomes.JoinedEvent;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.JobMetrics;
import dev.streamlearn.tools.Generate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * The whole loop on Kafka: a click stream sent as requests that ask to be remembered and, later,
 * outcomes for its clicks. The job scores each request, joins its outcome (or closes its window
 * as a negative), writes the labeled event back to the labeled topic and learns it. A failure
 * injected on the outcomes, after impressions are pending, is recovered from: every impression
 * becomes exactly one trained example. The same stream sent as labeled events to a twin model in
 * the same job is the yardstick of quality.
 */
@ExtendWith(JobStack.Shared.class)
class DelayedLabelsIT {

    private static final String DELAYED = "clicks";
    private static final String LABELED = "clicks-labeled";
    private static final int EVENTS = 6000;
    /**
     * Event time: one event each 50 ms (5 minutes in all), clicks a median 2 s later, a window of
     * 30 s. Sent at a steady rate in event-time order, as a live system sends them, about 15 times
     * faster than real time: a checkpoint (which makes joined events visible) then spans a few
     * seconds of event time, within the window, so positives do not run far ahead of negatives.
     */
    private static final long WINDOW_MILLIS = 30_000;

    private static final long MEDIAN_DELAY_MILLIS = 2_000;
    private static final int RECORDS_PER_SECOND = 300;
    private static final int HELD_OUT = 2000;
    private static final long DISCOVERY_MILLIS = 1000;

    private final JobStack stack;

    DelayedLabelsIT(JobStack stack) {
        this.stack = stack;
    }

    @Test
    void everyImpressionIsLearntOnceAcrossAFailureAndAsWellAsFromLabeledEvents() throws Exception {
        JobConfig config = stack.config(
                "delayed-",
                "--models",
                DELAYED + "," + LABELED,
                "--label.window",
                String.valueOf(WINDOW_MILLIS),
                "--label.out-of-orderness",
                "1000",
                "--label.idle-timeout",
                "2000",
                // released at the window's end, the model learns what its labeled twin learns, in the same order
                "--label.release",
                "window-end",
                // whether a challenger wins is decided at a margin of a few standard errors, so two
                // models of the same stream can choose differently; this test compares the join, one
                // learner each (ChallengersIT and SameScoresIT test the choice)
                "--challengers",
                "none");
        ClickStream.Spec spec = new ClickStream.Spec();
        spec.model = LABELED;
        List<DatasetEvent> twins = new ClickStream(spec).take(EVENTS);
        long positives = twins.stream().filter(e -> e.label == 1).count();

        StreamExecutionEnvironment env = stack.env("delayed");
        JobTopology.Sources in = LearningJob.kafkaSources(env, config);
        DataStream<SourceRecord> outcomes = in.outcomes()
                .orElseThrow()
                .map(new RecoveryIT.FailOnceAfterCheckpoint())
                .returns(SourceRecord.class)
                .uid("test-outcome-failure")
                .name("failure injection");
        JobTopology.build(config, in.withOutcomes(outcomes), LearningJob.kafkaSinks(config));
        RecoveryIT.FailOnceAfterCheckpoint.reset();
        JobClient job = env.executeAsync("delayed-labels-it");
        JobMetrics metrics = stack.metrics(job);
        String requests = config.topic(Topic.REQUESTS);
        String outcomeTopic = config.topic(Topic.OUTCOMES);
        try {
            JobStack.awaitRunning(job);
            stack.kafka.send(config.topic(Topic.LABELED), Events.json(twins));
            // the same stream (same seed) as requests and delayed clicks, by the generator a user runs
            CompletableFuture<Integer> generated = CompletableFuture.supplyAsync(() -> new CommandLine(new Generate())
                    .setCaseInsensitiveEnumValuesAllowed(true)
                    .execute(
                            "--events",
                            String.valueOf(EVENTS),
                            "--model",
                            DELAYED,
                            "--delayed-outcomes",
                            String.valueOf(MEDIAN_DELAY_MILLIS),
                            "--bootstrap",
                            stack.kafka.bootstrapServers(),
                            "--requests-topic",
                            requests,
                            "--outcomes-topic",
                            outcomeTopic,
                            "--rate",
                            String.valueOf(RECORDS_PER_SECOND),
                            "--quiet"));
            Await.until("a third of the impressions logged", TIMEOUT, () -> {
                if (generated.isDone() && generated.join() != 0) {
                    throw new AssertionError("the generator failed: exit " + generated.join());
                }
                return metrics.longValue(MetricNames.IMPRESSIONS_LOGGED) >= EVENTS / 3;
            });
            long completed = RecoveryIT.FailOnceAfterCheckpoint.COMPLETED.get();
            Await.until(
                    "a checkpoint with impressions pending",
                    TIMEOUT,
                    () -> RecoveryIT.FailOnceAfterCheckpoint.COMPLETED.get() >= completed + 2);
            RecoveryIT.FailOnceAfterCheckpoint.ARMED.set(true);
            assertEquals(0, generated.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the generator sent every record");
            // event time passes the last window: an outcome for no impression, two windows after the last event
            long end = spec.startMillis + (EVENTS - 1) * spec.stepMillis + 2 * WINDOW_MILLIS;
            stack.kafka.send(outcomeTopic, List.of(DelayedOutcomes.outcome("clock", end, 1)));

            String trained = MetricNames.ofModel(DELAYED, MetricNames.EXAMPLES_TRAINED);
            Await.until(
                    "every impression trained",
                    TIMEOUT,
                    () -> metrics.longValue(trained) >= EVENTS,
                    () -> "examplesTrained=" + metrics.longValue(trained) + ", joined="
                            + metrics.longValue(MetricNames.IMPRESSIONS_JOINED) + ", expired="
                            + metrics.longValue(MetricNames.IMPRESSIONS_EXPIRED) + ", pending="
                            + metrics.longValue(MetricNames.IMPRESSIONS_PENDING));
            Await.until(
                    "the twin trained",
                    TIMEOUT,
                    () -> metrics.longValue(MetricNames.ofModel(LABELED, MetricNames.EXAMPLES_TRAINED)) == EVENTS);
            assertTrue(RecoveryIT.FailOnceAfterCheckpoint.FAILED.get(), "the failure was injected");
            assertTrue(metrics.longValue("numRestarts") >= 1, "the job restarted");

            // exactly once: the labeled topic holds one joined event per impression, and the model learnt each once
            List<JsonNode> joined = stack.kafka.readAll(config.topic(Topic.LABELED), 2 * EVENTS, TIMEOUT, true).stream()
                    .map(Events::parse)
                    .filter(e -> e.get("model").asText().equals(DELAYED))
                    .toList();
            Set<String> ids = new HashSet<>();
            joined.forEach(e -> ids.add(e.get("id").asText()));
            assertEquals(EVENTS, joined.size(), "one joined event per impression");
            assertEquals(EVENTS, ids.size(), "no impression twice");
            assertEquals(EVENTS, metrics.longValue(trained), "each learnt once");
            assertEquals(0, metrics.longValue(MetricNames.IMPRESSIONS_PENDING));

            long joinedPositives =
                    joined.stream().filter(e -> e.get("label").asDouble() == 1).count();
            // counters start again after the restart: the late ones are counted from their dead letters
            long late =
                    stack
                            .kafka
                            .readAll(config.topic(Topic.DEAD_LETTER), Integer.MAX_VALUE, Duration.ofSeconds(3))
                            .stream()
                            .map(Events::parse)
                            .filter(d -> d.get("reason").asText().startsWith("outcome-"))
                            .map(d -> Events.parse(d.get("payload").asText())
                                    .get("id")
                                    .asText())
                            .filter(id -> !id.equals("clock"))
                            .distinct()
                            .count();
            assertEquals(
                    positives,
                    joinedPositives + late,
                    "every click joined, or dead-lettered as late (or unknown, when event time had passed it)");
            // the same quality: both final models score the next 2,000 events of the stream (requests, not
            // remembered), once inference serves the delayed model's last version (its last calibration too;
            // the twin learnt everything before the failure, and a restored subtask reports its version
            // only once it serves a request or an update)
            for (String model : List.of(DELAYED)) {
                String version = MetricNames.ofModel(model, MetricNames.MODEL_VERSION);
                String served = MetricNames.ofModel(model, MetricNames.SERVED_VERSION);
                Await.until(
                        model + " served at the trainer's version",
                        TIMEOUT,
                        () -> {
                            List<Double> versions = metrics.values(served);
                            return !versions.isEmpty()
                                    && versions.stream().allMatch(v -> v == metrics.longValue(version));
                        },
                        () -> "trainer v" + metrics.longValue(version) + ", served " + metrics.values(served));
            }
            List<DatasetEvent> heldOut =
                    new ClickStream(spec).take(EVENTS + HELD_OUT).subList(EVENTS, EVENTS + HELD_OUT);
            List<String> probes = new ArrayList<>();
            for (int i = 0; i < HELD_OUT; i++) {
                DatasetEvent e = heldOut.get(i);
                probes.add(e.asRequest("held-out-" + i).replace("\"" + LABELED + "\"", "\"" + DELAYED + "\""));
                probes.add(e.asRequest("held-out-twin-" + i));
            }
            stack.kafka.send(requests, probes);
            Map<String, Double> scores = new HashMap<>();
            Await.until("the held-out events scored by both models", TIMEOUT, () -> {
                stack.kafka.readAll(config.topic(Topic.PREDICTIONS), Integer.MAX_VALUE, Duration.ofSeconds(1)).stream()
                        .map(Events::parse)
                        .filter(p -> p.get("id").asText().startsWith("held-out-"))
                        .forEach(p ->
                                scores.put(p.get("id").asText(), p.get("score").asDouble()));
                return scores.size() == 2 * HELD_OUT;
            });
            double delayedLoss = 0;
            double labeledLoss = 0;
            double[] delayedScores = new double[HELD_OUT];
            double[] labeledScores = new double[HELD_OUT];
            double[] labels = new double[HELD_OUT];
            for (int i = 0; i < HELD_OUT; i++) {
                labels[i] = heldOut.get(i).label;
                delayedScores[i] = scores.get("held-out-" + i);
                labeledScores[i] = scores.get("held-out-twin-" + i);
                delayedLoss += Loss.LOGISTIC.loss(delayedScores[i], labels[i]) / HELD_OUT;
                labeledLoss += Loss.LOGISTIC.loss(labeledScores[i], labels[i]) / HELD_OUT;
            }
            double delayedAuc = Auc.of(delayedScores, labels);
            double labeledAuc = Auc.of(labeledScores, labels);
            double prequentialDelayed = metrics.sum(MetricNames.ofModel(DELAYED, MetricNames.LOG_LOSS_TOTAL));
            double prequentialLabeled = metrics.sum(MetricNames.ofModel(LABELED, MetricNames.LOG_LOSS_TOTAL));
            double servedLoss = metrics.sum(MetricNames.ofModel(DELAYED, MetricNames.SERVED_LOG_LOSS));
            double baseRate = (double) positives / EVENTS;
            double baseLoss = -(baseRate * Math.log(baseRate) + (1 - baseRate) * Math.log(1 - baseRate));
            System.out.printf(
                    "IT delayed labels: %d impressions, %d clicks (%d joined, %d late), restarts %d; held-out AUC %.3f"
                            + " learnt from outcomes vs %.3f from labeled events, log loss %.4f vs %.4f (base"
                            + " rate's %.4f); prequential log loss %.4f vs %.4f; served scores' %.4f%n",
                    EVENTS,
                    positives,
                    joinedPositives,
                    late,
                    metrics.longValue("numRestarts"),
                    delayedAuc,
                    labeledAuc,
                    delayedLoss,
                    labeledLoss,
                    baseLoss,
                    prequentialDelayed,
                    prequentialLabeled,
                    servedLoss);
            // released at their windows' end (the default), examples reach the trainer in the order of their
            // impressions, whatever their label: the model learns what the twin learns
            // both models learn the two partitions in the order they happen to be read: in three runs the gap
            // was +5.0 %, +2.5 % and -1.7 %, so the bound is 8 %
            assertTrue(
                    Math.abs(delayedLoss - labeledLoss) < 0.08 * labeledLoss,
                    "held-out log loss within 8 % of the model learnt from labeled events: " + delayedLoss + " vs "
                            + labeledLoss);
            assertTrue(
                    Math.abs(delayedAuc - labeledAuc) < 0.03,
                    "held-out AUC within 0.03 of it: " + delayedAuc + " vs " + labeledAuc);
            assertTrue(
                    Math.abs(prequentialDelayed - prequentialLabeled) < 0.05 * prequentialLabeled,
                    "prequential log loss within 5 %: " + prequentialDelayed + " vs " + prequentialLabeled);
            assertTrue(Double.isFinite(servedLoss), "served scores judged: " + servedLoss);
        } finally {
            JobStack.cancelIfRunning(job);
        }
    }

    /**
     * A request for user u1 is scored and remembered; inside its attribution window u1 clicks
     * thirty times, so u1's statistics move. The joined example written back to the labeled topic
     * carries u1's features as the request was scored with them, bit for bit as the served
     * prediction's explanation shows them, not as they are when its window closes, and is learnt.
     * The outcomes topic is created only then, while the job runs: its outcome is read all the same.
     */
    @Test
    void aJoinedImpressionCarriesTheEntityFeaturesItWasServedWith() throws Exception {
        String model = JobStack.MODEL;
        JobConfig config = stack.config(
                "served-",
                "--entities",
                "user",
                "--entities.half-lives",
                "1h",
                "--challengers",
                "none",
                "--label.window",
                "5000",
                "--label.out-of-orderness",
                "0",
                "--label.idle-timeout",
                "1000",
                "--label.release",
                "window-end",
                "--topic.outcomes",
                "served-outcomes-created-later",
                "--kafka.topic-discovery-millis",
                String.valueOf(DISCOVERY_MILLIS));
        long t0 = 1_700_000_000_000L;
        String trained = MetricNames.ofModel(model, MetricNames.EXAMPLES_TRAINED);
        try (JobStack.Running running = stack.run("served-job", config)) {
            JobMetrics metrics = running.metrics;
            stack.kafka.send(config.topic(Topic.LABELED), clicksOfU1(model, t0, 0));
            Await.until("30 trained", TIMEOUT, () -> metrics.longValue(trained) == 30);
            stack.kafka.send(config.topic(Topic.REQUESTS), List.of(request(model, "r1", t0 + 1000, true)));
            JsonNode served = stack.readPredictions(config, 1).get(0);
            stack.kafka.send(config.topic(Topic.LABELED), clicksOfU1(model, t0 + 1100, 1));
            Await.until("60 trained", TIMEOUT, () -> metrics.longValue(trained) == 60);
            stack.kafka.send(config.topic(Topic.REQUESTS), List.of(request(model, "r-later", t0 + 1500, false)));
            JsonNode later = stack.readPredictions(config, 2).get(1);
            stack.kafka.createTopics(2, config.topic(Topic.OUTCOMES));
            stack.kafka.send(
                    config.topic(Topic.OUTCOMES), List.of("{\"id\":\"r1\",\"ts\":" + (t0 + 1200) + ",\"label\":1}"));
            Await.until(
                    "the outcome of the topic created later joined (found within " + DISCOVERY_MILLIS + " ms)",
                    TIMEOUT,
                    () -> metrics.longValue(MetricNames.IMPRESSIONS_JOINED) == 1);
            // a later impression moves event time past r1's window (the outcomes go idle)
            stack.kafka.send(config.topic(Topic.REQUESTS), List.of(request(model, "r-next", t0 + 60_000, true)));

            JsonNode joined = stack.kafka.readAll(config.topic(Topic.LABELED), 61, TIMEOUT, true).stream()
                    .map(Events::parse)
                    .filter(e -> "r1".equals(e.path("id").asText()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("r1's joined example in the labeled topic"));
            assertTrue(joined.get("featuresAsServed").asBoolean(), joined.toString());
            assertEquals(1.0, joined.get("label").asDouble());
            Map<String, Double> servedUser = userFeatures(served);
            Map<String, Double> laterUser = userFeatures(later);
            assertEquals(3, servedUser.size(), servedUser.toString());
            for (Map.Entry<String, Double> f : servedUser.entrySet()) {
                assertEquals(
                        Double.doubleToLongBits(f.getValue()),
                        Double.doubleToLongBits(
                                joined.get("features").get(f.getKey()).asDouble()),
                        f.getKey() + " as served, bit for bit: " + joined);
            }
            assertNotEquals(
                    servedUser.get("user.rate_1h"),
                    laterUser.get("user.rate_1h"),
                    "u1's rate moved inside the window: recomputed, it would differ");
            Await.until("the joined example trained", TIMEOUT, () -> metrics.longValue(trained) == 61);
        }
    }

    /**
     * Released as fake negatives, twenty remembered requests are learnt at once as
     * negatives, five clicks at once as positives, and when their windows close the twenty final
     * labels judge the served scores and calibrate the model without being learnt; the next
     * version serves through that calibration, and a prediction's explanation shows it.
     */
    @Test
    void fakeNegativesAreLearntAtOnceAndTheFinalLabelsCalibrateWhatIsServed() throws Exception {
        String model = JobStack.MODEL;
        JobConfig config = stack.config(
                "fake-negative-",
                "--label.release",
                "fake-negative",
                "--challengers",
                "none",
                "--batch.size",
                "1",
                "--label.window",
                "5000",
                "--label.out-of-orderness",
                "0",
                "--label.idle-timeout",
                "1000");
        long t0 = 1_700_000_000_000L;
        String trained = MetricNames.ofModel(model, MetricNames.EXAMPLES_TRAINED);
        String servedExamples = MetricNames.ofModel(model, MetricNames.SERVED_EXAMPLES);
        try (JobStack.Running running = stack.run("fake-negative-job", config)) {
            JobMetrics metrics = running.metrics;
            List<String> logged = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                logged.add(request(model, "r" + i, t0 + 100L * i, true));
            }
            stack.kafka.send(config.topic(Topic.REQUESTS), logged);
            Await.until("20 impressions learnt at once", TIMEOUT, () -> metrics.longValue(trained) == 20);
            List<String> clicks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                clicks.add("{\"id\":\"r" + i + "\",\"ts\":" + (t0 + 100L * i + 50) + ",\"label\":1}");
            }
            stack.kafka.send(config.topic(Topic.OUTCOMES), clicks);
            Await.until("5 clicks learnt at once", TIMEOUT, () -> metrics.longValue(trained) == 25);
            assertEquals(20, metrics.longValue(MetricNames.IMPRESSIONS_PENDING), "their windows are open");
            assertEquals(0, metrics.longValue(servedExamples), "no label is final yet");

            // a later impression moves event time past the twenty windows (the outcomes go idle)
            stack.kafka.send(config.topic(Topic.REQUESTS), List.of(request(model, "r-next", t0 + 60_000, true)));
            Await.until("the 20 final labels judged", TIMEOUT, () -> metrics.longValue(servedExamples) == 20);
            assertEquals(26, metrics.longValue(trained), "final labels are not learnt; r-next is");
            stack.kafka.send(config.topic(Topic.REQUESTS), List.of(request(model, "r-after", t0 + 60_100, true)));
            Await.until("a version after the calibration", TIMEOUT, () -> metrics.longValue(trained) == 27);

            List<JsonNode> labeled = stack.kafka.readAll(config.topic(Topic.LABELED), 47, TIMEOUT, true).stream()
                    .map(Events::parse)
                    .toList();
            List<JsonNode> released = labeled.stream()
                    .filter(e -> "learn-fake-negative".equals(e.path("use").asText()))
                    .toList();
            List<JsonNode> finals = labeled.stream()
                    .filter(e -> "calibrate".equals(e.path("use").asText()))
                    .toList();
            assertEquals(27, released.size(), "22 impressions and 5 clicks released at once: " + labeled);
            assertEquals(
                    5,
                    released.stream()
                            .filter(e -> e.get("label").asDouble() == 1)
                            .count());
            assertTrue(released.stream().noneMatch(e -> e.has(JoinedEvent.SERVED_SCORE)), "not yet judged");
            assertEquals(20, finals.size());
            assertEquals(
                    5,
                    finals.stream().filter(e -> e.get("label").asDouble() == 1).count());
            for (JsonNode f : finals) {
                double margin = f.get(JoinedEvent.SERVED_MARGIN).asDouble();
                assertEquals(
                        f.get(JoinedEvent.SERVED_SCORE).asDouble(),
                        Loss.LOGISTIC.predict(margin),
                        1e-12,
                        "served uncalibrated before the first final label: " + f);
            }

            stack.kafka.send(config.topic(Topic.REQUESTS), List.of(request(model, "probe", t0 + 60_200, false)));
            JsonNode probe = stack.readPredictions(config, 23).stream()
                    .filter(p -> "probe".equals(p.get("id").asText()))
                    .findFirst()
                    .orElseThrow();
            JsonNode explanation = probe.get("explanation");
            JsonNode calibration = explanation.get("calibration");
            assertNotNull(calibration, "the version after the final labels is calibrated: " + probe);
            double slope = calibration.get("slope").asDouble();
            double offset = calibration.get("offset").asDouble();
            assertTrue(slope != 1 || offset != 0, calibration.toString());
            assertEquals(
                    Loss.LOGISTIC.predict(slope * explanation.get("margin").asDouble() + offset),
                    probe.get("score").asDouble(),
                    1e-12,
                    "served through the calibration: " + probe);
        }
    }

    private static List<String> clicksOfU1(String model, long from, int label) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            events.add("{\"model\":\"" + model + "\",\"ts\":" + (from + 10L * i) + ",\"label\":" + label
                    + ",\"features\":{\"user\":\"u1\",\"site\":\"a\"}}");
        }
        return events;
    }

    private static String request(String model, String id, long ts, boolean log) {
        return "{\"id\":\"" + id + "\",\"model\":\"" + model + "\",\"ts\":" + ts + ",\"explain\":true"
                + (log ? ",\"log\":true" : "") + ",\"features\":{\"user\":\"u1\",\"site\":\"a\"}}";
    }

    /** The entity features of u1 in a prediction's explanation: name to raw value. */
    private static Map<String, Double> userFeatures(JsonNode prediction) {
        Map<String, Double> out = new HashMap<>();
        for (JsonNode f : prediction.get("explanation").get("features")) {
            if (f.get("name").asText().startsWith("user.")) {
                out.put(f.get("name").asText(), f.get("raw").asDouble());
            }
        }
        return out;
    }
}
