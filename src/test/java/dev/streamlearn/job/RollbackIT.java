package dev.streamlearn.job;

import static dev.streamlearn.job.JobStack.MODEL;
import static dev.streamlearn.job.JobStack.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.inference.ServedModel;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.records.Example;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.JobMetrics;
import dev.streamlearn.tools.Control;
import dev.streamlearn.tools.ModelLogTool;
import dev.streamlearn.tools.Tool;
import dev.streamlearn.training.LinearScorer;
import dev.streamlearn.training.Scaling;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A rollback command: served within a bounded time as a new version with the old weights, logged with its parent. */
@ExtendWith(JobStack.Shared.class)
class RollbackIT {

    private static final int PROBES = 200;
    private static final long PROBE_EVERY_MILLIS = 20;

    private final JobStack stack;

    RollbackIT(JobStack stack) {
        this.stack = stack;
    }

    @Test
    void rollsBackByCommandWithinABoundedTimeAndAnswersBadCommandsInTheModelLog() throws Exception {
        List<DatasetEvent> bike = stack.bike;
        JobConfig config = stack.config(
                "rollback-",
                "--store.path",
                stack.dir("rollback-store").toUri().toString(),
                "--store.interval",
                "0",
                "--store.keep-last",
                "4",
                "--store.keep-every",
                "40",
                "--store.recent",
                "3");
        String trained = MetricNames.ofModel(MODEL, MetricNames.EXAMPLES_TRAINED);
        ModelStore store = config.store();
        try (JobStack.Running running = stack.run("rollback", config)) {
            JobMetrics metrics = running.metrics;
            int half = bike.size() / 2;
            stack.kafka.send(config.topic(Topic.LABELED), Events.json(bike.subList(0, half)));
            Await.until("first half trained", TIMEOUT, () -> metrics.longValue(trained) == half);
            // the last examples may still be in an open batch, which the batch timer makes a version
            Await.until(
                    "the store holds the current version, trained through the first half",
                    TIMEOUT,
                    () -> JobStack.trainedThrough(
                                    store, metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION)))
                            == half);
            long current = metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION));
            long target = JobStack.storedVersions(store, MODEL).get(0); // kept by keep-every, not a recent one
            assertTrue(target < current - 3, "target " + target + ", current " + current);

            // a fixed request, and the score version `target` gives it
            DatasetEvent probe = bike.get(1234);
            double expectedScore = scoreOf(store.read(MODEL, target), config, probe);

            // the command, then a probe request every 20 ms for 4 s: the first probe answered by the new version
            // bounds the time from command to serving it, to 20 ms
            long sentAt = System.nanoTime();
            stack.kafka.send(
                    config.topic(Topic.CONTROL),
                    List.of("{\"op\":\"rollback\",\"model\":\"bike\",\"version\":" + target + "}"));
            Map<String, Long> probeSentAt = new HashMap<>();
            for (int i = 0; i < PROBES; i++) {
                long due = sentAt + TimeUnit.MILLISECONDS.toNanos(PROBE_EVERY_MILLIS * i);
                while (System.nanoTime() < due) {
                    Thread.onSpinWait(); // pacing the probes, not waiting for the job
                }
                probeSentAt.put("probe-" + i, System.nanoTime() - sentAt);
                stack.kafka.send(config.topic(Topic.REQUESTS), List.of(probe.asRequest("probe-" + i)));
            }
            List<JsonNode> probes =
                    stack
                            .kafka
                            .readAll(config.topic(Topic.PREDICTIONS), Integer.MAX_VALUE, Duration.ofSeconds(3))
                            .stream()
                            .map(Events::parse)
                            .filter(p -> p.get("id").asText().startsWith("probe-"))
                            .sorted(Comparator.comparingLong(
                                    p -> probeSentAt.get(p.get("id").asText())))
                            .collect(Collectors.toList());
            assertEquals(PROBES, probes.size());
            JsonNode served = probes.stream()
                    .filter(p -> p.get("modelVersion").asLong() == current + 1)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("the rolled-back version was not served within 4 s"));
            double rollbackMillis = probeSentAt.get(served.get("id").asText()) / 1e6;
            // the inference subtasks take the broadcast update microseconds apart: from 200 ms on, all serve it
            for (JsonNode p : probes) {
                if (probeSentAt.get(p.get("id").asText()) / 1e6 > rollbackMillis + 200) {
                    assertEquals(current + 1, p.get("modelVersion").asLong(), "no going back after: " + p);
                }
            }
            assertTrue(rollbackMillis < 4000, "served " + rollbackMillis + " ms after the command");
            assertEquals(expectedScore, served.get("score").asDouble(), 0.0, "exactly the restored version's score");

            stack.kafka.send(
                    config.topic(Topic.CONTROL),
                    List.of(
                            "{\"op\":\"rollback\",\"model\":\"bike\",\"version\":" + (target + 1) + "}",
                            "{\"op\":\"rollback\",\"model\":\"nope\",\"version\":1}"));
            stack.kafka.send(config.topic(Topic.LABELED), Events.json(bike.subList(half, bike.size())));
            Await.until("all trained", TIMEOUT, () -> metrics.longValue(trained) == bike.size());
            long finalVersion = metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION));
            assertTrue(finalVersion > current + 1, "training continues after the rollback: v" + finalVersion);

            // the model log: the rollback with its parent, and both bad commands answered with a reason
            List<JsonNode> log = stack
                    .kafka
                    .readAll(config.topic(Topic.MODEL_LOG), Integer.MAX_VALUE, Duration.ofSeconds(5), true)
                    .stream()
                    .map(Events::parse)
                    .collect(Collectors.toList());
            JsonNode rollback = log.stream()
                    .filter(e -> e.get("event").asText().equals("rollback"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(current + 1, rollback.get("version").asLong());
            assertEquals(target, rollback.get("parentVersion").asLong());
            List<String> reasons = log.stream()
                    .filter(e -> e.get("event").asText().equals("rejected"))
                    .map(e -> e.get("reason").asText())
                    .collect(Collectors.toList());
            assertEquals(2, reasons.size(), reasons.toString());
            assertTrue(reasons.stream().anyMatch(r -> r.startsWith("version " + (target + 1) + " is not kept")));
            assertTrue(reasons.stream().anyMatch(r -> r.startsWith("unknown-model")));

            // scripts/control's tool waits for the job's answer: done, or refused with the job's reason
            String[] where = {
                "--bootstrap", stack.kafka.bootstrapServers(),
                "--control-topic", config.topic(Topic.CONTROL),
                "--model-log-topic", config.topic(Topic.MODEL_LOG)
            };
            ToolRun freeze = control(where, "freeze", MODEL);
            assertEquals(0, freeze.status, freeze.toString());
            assertTrue(
                    freeze.out.matches("model " + MODEL + ", version [0-9]+: freeze( \\(learner [a-z]+\\))?\\R"),
                    freeze.out);
            ToolRun never = control(where, "rollback", MODEL, "99999999");
            assertEquals(Control.REFUSED, never.status, never.toString());
            assertTrue(never.out.startsWith("model " + MODEL + ": refused: version 99999999 never existed"), never.out);
            ToolRun unknown = control(where, "resume", "nope");
            assertEquals(Control.REFUSED, unknown.status, unknown.toString());
            assertTrue(unknown.out.contains("refused: unknown-model"), unknown.out);
            // scripts/control log: the model log as the job wrote it, one model's entries with --model
            ByteArrayOutputStream logOut = new ByteArrayOutputStream();
            ByteArrayOutputStream logErr = new ByteArrayOutputStream();
            String[] logArgs = {
                "--bootstrap", stack.kafka.bootstrapServers(),
                "--model-log-topic", config.topic(Topic.MODEL_LOG),
                "--model", "nope"
            };
            assertEquals(
                    0,
                    Tool.run(
                            new ModelLogTool(),
                            logArgs,
                            new PrintStream(logOut, true, StandardCharsets.UTF_8),
                            new PrintStream(logErr, true, StandardCharsets.UTF_8)));
            List<JsonNode> nope = logOut.toString(StandardCharsets.UTF_8)
                    .lines()
                    .map(Events::parse)
                    .toList();
            assertEquals(2, nope.size(), "the rollback and the resume of model nope: " + nope);
            assertTrue(
                    nope.stream()
                            .allMatch(e -> e.get("event").asText().equals("rejected")
                                    && e.get("reason").asText().startsWith("unknown-model")),
                    nope.toString());
            assertEquals(
                    "2 entries of model nope on " + config.topic(Topic.MODEL_LOG),
                    logErr.toString(StandardCharsets.UTF_8).strip());
            System.out.printf(
                    "IT rollback: rolled back v%d -> v%d (parent v%d), served in %.0f ms%n",
                    current, current + 1, target, rollbackMillis);
        }
    }

    /** A run of the control tool: its exit status and what it printed. */
    private record ToolRun(int status, String out, String err) {}

    private static ToolRun control(String[] where, String... command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args =
                Stream.concat(Arrays.stream(command), Arrays.stream(where)).toArray(String[]::new);
        int status = Control.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new ToolRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The score the stored version gives the event's features, computed as the inference operator does. */
    private static double scoreOf(StoredModel stored, JobConfig config, DatasetEvent event) {
        Example example = JobStack.examples(config, List.of(event)).get(0);
        ModelSpec spec = config.models().get(MODEL);
        ServedModel asServed = ServedModel.of(stored);
        return LinearScorer.predict(
                spec.loss(),
                asServed.weights(),
                spec.biasIndex(),
                asServed.scaler(Scaling.newScaler(spec)),
                example.features);
    }
}
