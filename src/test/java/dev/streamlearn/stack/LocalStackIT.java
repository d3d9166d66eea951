package dev.streamlearn.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.job.Operators;
import dev.streamlearn.testing.Await;
import dev.streamlearn.tools.ClusterMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The life cycle of the README, through the scripts: up, submit, replay a slice of a real
 * dataset, stop with a savepoint, restore, replay more, down. Real processes: a Kafka broker and
 * a Flink JobManager and TaskManager started from Maven jars, on ports apart from the defaults.
 */
class LocalStackIT {

    private static final Map<String, String> ENV = Scripts.env();
    private static final String UI = "http://127.0.0.1:" + ENV.get("UI_PORT");
    private static final String BOOTSTRAP = "127.0.0.1:" + ENV.get("KAFKA_PORT");
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String[] JOB_OPTIONS = {"--models", "bike", "--batch.size", "50", "--store.interval", "500"};

    /** An earlier run stopped half-way (a killed build) may have left its stack: start from nothing. */
    @BeforeAll
    static void fresh() throws Exception {
        Scripts.run(ENV, "down", "--wipe");
    }

    @AfterAll
    static void down() throws Exception {
        Scripts.run(ENV, "down", "--wipe");
    }

    @Test
    void upSubmitReplaySavepointRestoreReplayDown() throws Exception {
        // misuse before the stack is up
        assertMisuse(Scripts.run(ENV, "status"), "the stack is not up");
        assertMisuse(Scripts.run(ENV, "up", "--fast"), "unknown option '--fast'");
        assertMisuse(Scripts.run(ENV, "restore"), "missing the savepoint path");

        Scripts.Result up = Scripts.run(ENV, "up");
        assertEquals(0, up.exit, up.toString());
        Scripts.Result again = Scripts.run(ENV, "up");
        assertEquals(0, again.exit, again.toString());
        assertTrue(again.err.contains("already up"), again.err);
        assertMisuse(Scripts.run(ENV, "submit", "--batch.size", "0"), "batch.size: '0' must be in 1..1000000");

        Scripts.Result submit = Scripts.run(ENV, "submit", JOB_OPTIONS);
        assertEquals(0, submit.exit, submit.toString());
        String firstJob = submit.lastLine();
        assertMisuse(Scripts.run(ENV, "submit", JOB_OPTIONS), "already running");

        replay(0, 6000);
        ClusterMetrics rest = new ClusterMetrics(UI);
        Await.until(
                "6000 examples trained",
                TIMEOUT,
                () -> Scripts.metric(rest, firstJob, "model.bike.examplesTrained") == 6000);
        Await.until("600 predictions", TIMEOUT, () -> countRecords("predictions") == 600);
        Scripts.Result status = Scripts.run(ENV, "status");
        assertEquals(0, status.exit, status.toString());
        assertTrue(status.out.contains("bike"), status.out);

        // the trainer publishes its version gauge on a deferred refresh, so the version is read
        // again at each try: once training has stopped, gauge and store agree on the last one
        double[] current = {-1};
        Await.until("the current version in the model store", TIMEOUT, () -> {
            try {
                current[0] = Scripts.metric(rest, firstJob, "model.bike.modelVersion");
                return Scripts.run(ENV, "models", "list").out.matches("(?s).*\\bbike +" + (long) current[0] + " .*");
            } catch (Exception e) {
                return false;
            }
        });
        double versionBefore = current[0];
        assertTrue(versionBefore > 1, "version " + versionBefore);
        Scripts.Result show = Scripts.run(
                ENV,
                "models",
                "show",
                "bike",
                String.valueOf((long) versionBefore),
                "--names-from",
                "src/data/bike_sharing/hour.csv",
                "--format",
                "bike-sharing",
                "--top",
                "3");
        assertEquals(0, show.exit, show.toString());
        assertTrue(show.out.contains("largest weights:") && show.out.contains("hour="), show.out);

        Scripts.Result savepoint = Scripts.run(ENV, "savepoint", "--stop");
        assertEquals(0, savepoint.exit, savepoint.toString());
        String path = savepoint.lastLine();
        assertTrue(Files.isDirectory(Path.of(path.replaceFirst("^file:", ""))), path);

        // events written while the job is down: a restore replays them, a skip-to restore does not
        replay(6000, 1000);
        // rescaled on the way back, as a user would: submitted at 2, restored at 1, rolled back at 4
        Scripts.Result restore = Scripts.run(ENV, "restore", concat(path, concat("-p", concat("1", JOB_OPTIONS))));
        assertEquals(0, restore.exit, restore.toString());
        String secondJob = restore.lastLine();
        assertNotEquals(firstJob, secondJob);
        Await.until(
                "the 1000 events since the savepoint trained",
                TIMEOUT,
                () -> Scripts.metric(rest, secondJob, "model.bike.examplesTrained") == 7000,
                () -> "examplesTrained=" + Scripts.metric(rest, secondJob, "model.bike.examplesTrained"));
        assertEquals(1, trainerParallelism(rest, secondJob));
        double versionReplayed = Scripts.metric(rest, secondJob, "model.bike.modelVersion");
        assertTrue(versionReplayed > versionBefore, versionBefore + " then " + versionReplayed);

        String[] skipArgs = concat(path, concat("--skip-to", concat("now", concat("-p", concat("4", JOB_OPTIONS)))));
        Scripts.Result skip = Scripts.run(ENV, "rollback", skipArgs);
        assertEquals(0, skip.exit, skip.toString());
        String thirdJob = skip.lastLine();
        Await.until(
                "the skipping job counts its skipped events",
                TIMEOUT,
                () -> Scripts.metric(rest, thirdJob, "deserializer.recordsSkipped") == 1000,
                () -> "recordsSkipped=" + Scripts.metric(rest, thirdJob, "deserializer.recordsSkipped"));
        assertEquals(
                6000, Scripts.metric(rest, thirdJob, "model.bike.examplesTrained"), "back at the savepoint's model");
        assertEquals(4, trainerParallelism(rest, thirdJob));
        double versionRolledBack = Scripts.metric(rest, thirdJob, "model.bike.modelVersion");
        assertTrue(
                versionRolledBack > versionReplayed,
                "the savepoint's model continues as a new version, " + versionRolledBack
                        + ", after the newest stored one, " + versionReplayed);
        replay(7000, 3000);
        Await.until(
                "the new events trained, not the skipped ones",
                TIMEOUT,
                () -> Scripts.metric(rest, thirdJob, "model.bike.examplesTrained") == 9000,
                () -> "examplesTrained=" + Scripts.metric(rest, thirdJob, "model.bike.examplesTrained"));
        double versionAfter = Scripts.metric(rest, thirdJob, "model.bike.modelVersion");
        assertTrue(
                versionAfter >= versionRolledBack + 60,
                "3000 new events in batches of at most 50: " + versionRolledBack + " then " + versionAfter);

        List<String> pids = stackPids();
        Scripts.Result down = Scripts.run(ENV, "down");
        assertEquals(0, down.exit, down.toString());
        for (String pid : pids) {
            assertFalse(
                    ProcessHandle.of(Long.parseLong(pid))
                            .map(ProcessHandle::isAlive)
                            .orElse(false),
                    "process " + pid + " of the stack is still alive");
        }
        assertFalse(
                ProcessHandle.allProcesses().anyMatch(p -> p.info()
                        .commandLine()
                        .map(c -> c.contains(ENV.get("STACK_DIR")))
                        .orElse(false)),
                "a process of the stack is left");
        assertMisuse(Scripts.run(ENV, "savepoint"), "the stack is not up");
        System.out.printf(
                "IT stack: version %.0f at the savepoint, %.0f after a replaying restore, %.0f after a"
                        + " skipping rollback and 3000 new events%n",
                versionBefore, versionReplayed, versionAfter);
    }

    @Test
    void benchmarksRunOnATinyInput() throws Exception {
        Scripts.Result bench = Scripts.run(
                ENV, "bench-throughput", "--events", "3000", "--requests", "1000", "--runs", "1", "--parallelism", "1");
        assertEquals(0, bench.exit, bench.toString());
        assertPositiveRows(
                bench,
                "1",
                "pass-through, labeled (events/s)",
                "learning, labeled (events/s)",
                "pass-through, requests (events/s)",
                "pass-through across an exchange, requests (events/s)",
                "learning, requests (events/s)",
                "checkpoint size (MB)",
                "ratio learning, labeled / pass-through, labeled",
                "ratio learning, requests / pass-through, requests",
                "ratio learning, requests / pass-through across an exchange, requests");
        // 1,000 requests can all be served before the trainer counts its first example, so on this
        // input the rate alongside may be 0; the row must be there
        assertTrue(
                Pattern.compile(
                                "\\| learning, requests: model.ctr.examplesTrained alongside \\(events/s\\) \\| 1 \\| 1 \\|"
                                        + " [0-9.]+ \\|")
                        .matcher(bench.out)
                        .find(),
                "the row of examples trained alongside the requests in\n" + bench.out);
        Scripts.Result e2e = Scripts.run(
                ENV,
                "bench-e2e",
                "--runs",
                "1",
                "--batch-sizes",
                "16",
                "-p",
                "1",
                "--seconds",
                "3",
                "--request-rate",
                "200",
                "--train-rate",
                "500",
                "--warmup",
                "3");
        assertEquals(0, e2e.exit, e2e.toString());
        for (String measure : List.of("kafka p50 (ms)", "through p99 (ms)", "inside p999 (ms)", "freshness p50 (ms)")) {
            assertTrue(
                    Pattern.compile("\\| " + Pattern.quote(measure) + " \\| 16 \\| 1 \\| [0-9.]+ \\|")
                            .matcher(e2e.out)
                            .find(),
                    measure + " in\n" + e2e.out);
        }
        assertTrue(e2e.out.contains("| request -> prediction through Kafka and the job |"), e2e.out);
        // wipes the stack before each of its two jobs, so it runs last
        Scripts.Result first = Scripts.run(ENV, "bench-first-events", "--wipe", "--runs", "1");
        assertEquals(0, first.exit, first.toString());
        assertPositiveRows(
                first,
                "[0-9]+", // the default parallelism of flink-conf
                "pass-through, first events (s)",
                "learning, first events (s)",
                "ratio learning, first events / pass-through, first events");
        Scripts.Result idle =
                Scripts.run(ENV, "bench-idle", "--wipe", "--runs", "1", "--seconds", "3", "--settle", "0");
        assertEquals(0, idle.exit, idle.toString());
        assertPositiveRows(
                idle,
                "[0-9]+",
                "TaskManager CPU over 3 s idle, all threads (ms)",
                "TaskManager CPU over 3 s idle, flusher threads (ms)");
        Scripts.Result down = Scripts.run(ENV, "down");
        assertEquals(0, down.exit, down.toString());
    }

    /** Each measure has a row of one run at the parallelism (a pattern) with a positive median in the script's table. */
    private static void assertPositiveRows(Scripts.Result bench, String parallelism, String... measures) {
        for (String measure : measures) {
            assertTrue(
                    Pattern.compile("\\| " + Pattern.quote(measure) + " \\| " + parallelism
                                    + " \\| 1 \\| [0-9.]*[1-9][0-9.]* \\|")
                            .matcher(bench.out)
                            .find(),
                    measure + " with a positive value in\n" + bench.out);
        }
    }

    private static int trainerParallelism(ClusterMetrics rest, String job) throws Exception {
        for (JsonNode vertex : rest.get("/jobs/" + job).path("vertices")) {
            if (vertex.path("name").asText().startsWith(Operators.TRAINER_NAME)) {
                return vertex.path("parallelism").asInt();
            }
        }
        throw new AssertionError("job " + job + " has no trainer");
    }

    private static void replay(int skip, int limit) throws Exception {
        Scripts.Result r =
                Scripts.run(ENV, "replay", Scripts.bikeReplay(skip, limit, "--requests-every", "10", "--rate", "0"));
        assertEquals(0, r.exit, r.toString());
    }

    private static void assertMisuse(Scripts.Result r, String message) {
        assertNotEquals(0, r.exit, r.toString());
        assertTrue(r.err.contains(message), "expected '" + message + "' in " + r);
    }

    private static long countRecords(String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", BOOTSTRAP);
        p.put("group.id", "count-" + UUID.randomUUID());
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .collect(Collectors.toList());
            return c.endOffsets(parts).values().stream()
                            .mapToLong(Long::longValue)
                            .sum()
                    - c.beginningOffsets(parts).values().stream()
                            .mapToLong(Long::longValue)
                            .sum();
        }
    }

    private static List<String> stackPids() throws IOException {
        Path dir = Path.of(ENV.get("STACK_DIR"), "pid");
        try (var files = Files.list(dir)) {
            return files.map(f -> {
                        try {
                            return Files.readString(f).strip();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .collect(Collectors.toList());
        }
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
