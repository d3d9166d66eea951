package dev.streamlearn.job;

import static dev.streamlearn.job.JobStack.MODEL;
import static dev.streamlearn.job.JobStack.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.FlinkConf;
import dev.streamlearn.testing.JobMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A savepoint of the job as it was (src/test/resources/golden-savepoint) restores on every build:
 * the same version, the same trained count, inference serving the same model at once, and versions
 * counting on. A renamed uid or an incompatible change of a state class fails here before it fails a
 * user's restore. The savepoint is written again only on purpose, when a change is meant to break
 * old savepoints (and the release notes say so):
 * {@code mvn verify -Dit.test='GoldenSavepointIT#writeTheGoldenSavepoint' -Dgolden.write=true -Dtest='!*' -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@ExtendWith(JobStack.Shared.class)
class GoldenSavepointIT {

    static final Path DIR = Path.of("src/test/resources/golden-savepoint");
    static final int EVENTS = 3000;
    /** The job's inputs here (no series model, no series source), whose Kafka positions are in the savepoint. */
    private static final List<Topic> INPUTS = List.of(Topic.LABELED, Topic.REQUESTS, Topic.CONTROL);

    private static final String OFFSETS = "offsets.";

    private final JobStack stack;

    GoldenSavepointIT(JobStack stack) {
        this.stack = stack;
    }

    private JobConfig config() throws Exception {
        // earliest: the saved Kafka offsets point past the end of this broker's new topics
        return stack.config("golden-", "--kafka.starting-offsets", "earliest");
    }

    private String probeRequest() {
        return stack.bike.get(1234).asRequest("golden-probe");
    }

    /** The job learns 3,000 bike events, is frozen, answers the probe and stops with a canonical savepoint. */
    @Test
    @EnabledIfSystemProperty(named = "golden.write", matches = "true")
    void writeTheGoldenSavepoint() throws Exception {
        JobConfig config = config();
        StreamExecutionEnvironment env = stack.env("golden");
        LearningJob.attachToKafka(env, config);
        JobClient job = env.executeAsync("golden-savepoint");
        JobMetrics metrics = stack.metrics(job);
        stack.kafka.send(config.topic(Topic.LABELED), Events.json(stack.bike.subList(0, EVENTS)));
        Await.until(
                "trained",
                TIMEOUT,
                () -> metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.EXAMPLES_TRAINED)) == EVENTS);
        stack.kafka.send(config.topic(Topic.CONTROL), List.of("{\"op\":\"freeze\",\"model\":\"bike\"}"));
        Await.until("frozen", TIMEOUT, () -> metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.FROZEN)) == 1);
        stack.kafka.send(config.topic(Topic.REQUESTS), List.of(probeRequest()));
        JsonNode probe = stack.readPredictions(config, 1).get(0);
        String written = stack.stopWithSavepoint(job, "golden-out");
        Path savepoint = Path.of(written.replaceFirst("^file:", ""));
        deleteRecursively(DIR);
        copyRecursively(savepoint, DIR.resolve("savepoint"));
        Properties expected = new Properties();
        for (Topic input : INPUTS) {
            // all read by now: where each partition ends is where the savepoint's Kafka sources stand
            long[] ends = stack.kafka.endOffsets(config.topic(input));
            expected.setProperty(
                    OFFSETS + input.key,
                    Arrays.stream(ends).mapToObj(Long::toString).collect(Collectors.joining(",")));
        }
        expected.setProperty("version", probe.get("modelVersion").asText());
        expected.setProperty("examplesTrained", String.valueOf(EVENTS));
        expected.setProperty("probeScore", Double.toString(probe.get("score").asDouble()));
        try (OutputStream out = Files.newOutputStream(DIR.resolve("expected.properties"))) {
            expected.store(
                    out,
                    "what the golden savepoint restores to (written by GoldenSavepointIT#writeTheGoldenSavepoint)");
        }
        System.out.println("golden savepoint written to " + DIR + ": " + expected);
    }

    @Test
    void theGoldenSavepointRestoresWithItsModelVersionsAndServedScores() throws Exception {
        Properties expected = new Properties();
        try (InputStream in = Files.newInputStream(DIR.resolve("expected.properties"))) {
            expected.load(in);
        }
        long version = Long.parseLong(expected.getProperty("version"));
        double probeScore = Double.parseDouble(expected.getProperty("probeScore"));
        Path savepoint = DIR.resolve("savepoint").toAbsolutePath();

        JobConfig config = config();
        for (Topic input : INPUTS) {
            // this broker's topics are new: fill each partition up to where the restored source stands, so
            // that what the test sends next lies after it, whichever partition it lands in
            String[] saved = expected.getProperty(OFFSETS + input.key).split(",", -1);
            for (int partition = 0; partition < saved.length; partition++) {
                int missing = (int)
                        (Long.parseLong(saved[partition]) - stack.kafka.endOffsets(config.topic(input))[partition]);
                stack.kafka.sendToPartition(
                        config.topic(input), partition, missing, "{\"filler\":\"read before the savepoint\"}");
            }
        }
        Configuration conf = FlinkConf.load(stack.dir("golden"), Duration.ofMillis(300));
        conf.setString("execution.state-recovery.path", savepoint.toUri().toString());
        StreamExecutionEnvironment env = stack.env(conf);
        LearningJob.attachToKafka(env, config);
        JobClient job = env.executeAsync("golden-savepoint-it");
        JobMetrics metrics = stack.metrics(job);
        try {
            JobStack.awaitRunning(job);
            // the model's gauges are registered one after the other: each one read below is waited for
            Await.until("the restored trainer reports", TIMEOUT, () -> Stream.of(
                            MetricNames.MODEL_VERSION, MetricNames.EXAMPLES_TRAINED, MetricNames.FROZEN)
                    .allMatch(m -> metrics.longValue(MetricNames.ofModel(MODEL, m)) >= 0));
            assertEquals(version, metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION)));
            assertEquals(
                    Long.parseLong(expected.getProperty("examplesTrained")),
                    metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.EXAMPLES_TRAINED)));
            assertEquals(
                    1, metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.FROZEN)), "frozen, as it was saved");

            // inference serves the restored model before any update: the same score, the same version
            stack.kafka.send(config.topic(Topic.REQUESTS), List.of(probeRequest()));
            JsonNode probe = stack.readPredictions(config, 1).get(0);
            assertEquals(version, probe.get("modelVersion").asLong());
            assertEquals(probeScore, probe.get("score").asDouble(), 0.0, "bit for bit the saved model's score");

            stack.kafka.send(config.topic(Topic.CONTROL), List.of("{\"op\":\"resume\",\"model\":\"bike\"}"));
            // control and labeled events are separate topics: events that reach the trainer before the
            // resume are scored by the frozen model and never trained
            Await.until(
                    "resumed", TIMEOUT, () -> metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.FROZEN)) == 0);
            stack.kafka.send(config.topic(Topic.LABELED), Events.json(stack.bike.subList(EVENTS, EVENTS + 1000)));
            Await.until(
                    "learning goes on",
                    TIMEOUT,
                    () -> metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.EXAMPLES_TRAINED)) == EVENTS + 1000);
            assertTrue(
                    metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION)) > version,
                    "versions count on");
            assertEquals(0, metrics.longValue("numRestarts"));
            System.out.printf(
                    "IT golden savepoint: restored v%d, probe %.6f as saved, v%d after 1000 more events%n",
                    version, probeScore, metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION)));
        } finally {
            JobStack.cancelIfRunning(job);
        }
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
