package dev.streamlearn.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.job.Operators;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.testing.Await;
import dev.streamlearn.tools.ClusterMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The life of a model on the local stack, through the scripts a user runs, on one stack of real
 * processes (a Kafka broker, a Flink JobManager and TaskManager from Maven jars, on ports apart
 * from the defaults): up, submit, replay a real dataset, status and the model store, stop with a
 * savepoint, restore rescaled, roll back skipping data (a wrong option stopping nothing), submit
 * anew against the kept store, processes killed and healed by {@code scripts/up} at once, down and
 * up again, down; the HTTP gateway started with the job and by {@code up}; last, every benchmark
 * script ({@link BenchScripts}). Each step starts where the one before left the stack.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {

    /**
     * The stack's environment as a user's, with the gateway: it starts with the first submission
     * and again with {@code up} after {@code down}, where the steps below check it.
     */
    private static final Map<String, String> WITH_GATEWAY = Scripts.env();
    /** The same without the gateway, for the other steps: each of its starts is a JVM on two busy cores. */
    private static final Map<String, String> ENV = new HashMap<>(WITH_GATEWAY);

    static {
        ENV.put("STREAMLEARN_GATEWAY", "off");
    }

    private static final String UI = "http://127.0.0.1:" + ENV.get("UI_PORT");
    private static final String GATEWAY = "http://127.0.0.1:" + ENV.get("GATEWAY_PORT");
    private static final String BOOTSTRAP = "127.0.0.1:" + ENV.get("KAFKA_PORT");
    private static final Path STACK = Path.of(ENV.get("STACK_DIR"));
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String TRAINED = MetricNames.ofModel("bike", MetricNames.EXAMPLES_TRAINED);
    private static final String VERSION = MetricNames.ofModel("bike", MetricNames.MODEL_VERSION);
    private static final String[] JOB_OPTIONS = {"--models", "bike", "--batch.size", "50", "--store.interval", "500"};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final ClusterMetrics REST = new ClusterMetrics(UI);
    /** The bike-sharing rows replayed so far: each step replays the rows after them. */
    private static int replayed;
    /** The job the previous step left running. */
    private static String job;

    /** An earlier run stopped half-way (a killed build) may have left its stack: start from nothing. */
    @BeforeAll
    static void fresh() throws Exception {
        Scripts.run(ENV, "down", "--wipe");
    }

    @AfterAll
    static void down() throws Exception {
        Scripts.run(ENV, "down"); // its logs stay in target/e2e-stack/log for a failure's diagnosis
    }

    @Test
    @Order(1)
    void upIsTheOneCommandAndOptionsAreCheckedBeforeAnythingIsSubmitted() throws Exception {
        assertMisuse(Scripts.run(ENV, "status"), "the stack is not up");
        assertMisuse(Scripts.run(ENV, "up", "--fast"), "unknown option '--fast'");
        assertMisuse(Scripts.run(ENV, "restore"), "missing the savepoint path");

        Scripts.Result up = Scripts.run(ENV, "up");
        assertEquals(0, up.exit, up.toString());
        Scripts.Result again = Scripts.run(ENV, "up");
        assertEquals(0, again.exit, again.toString());
        assertTrue(again.err.contains("already up"), again.err);

        Scripts.Result badSize =
                Scripts.run(ENV, "submit", "--batch.size", "0", "--kafka.bootstrap-servers", "127.0.0.1:1");
        assertMisuse(badSize, "batch.size: '0' must be in 1..1000000");
        assertTrue(badSize.err.contains("warning: no Kafka broker of 127.0.0.1:1 answers from here"), badSize.err);
        assertMisuse(
                Scripts.run(ENV, "submit", "--topic.labeled", "labeled-evnets"),
                "submit: topic.labeled 'labeled-evnets' does not exist on " + BOOTSTRAP);
        Scripts.Result noValue = Scripts.run(ENV, "submit", "--models");
        assertMisuse(noValue, "submit: invalid configuration: models: needs a value (--models VALUE)");
        assertEquals(1, noValue.err.strip().lines().count(), "one line, no stack trace: " + noValue.err);
        assertFalse(Files.exists(STACK.resolve("last-job.options")), "nothing saved for a restore");
        assertTrue(REST.activeJobs().isEmpty(), "nothing submitted");
        // a command with no job to answer it is not sent, to be carried out by whichever job starts next
        assertMisuse(Scripts.run(ENV, "control", "freeze", "bike"), "control: no job runs on the stack");
    }

    @Test
    @Order(2)
    void aJobLearnsAndServesAndTheToolsShowIt() throws Exception {
        Scripts.Result submit = Scripts.run(WITH_GATEWAY, "submit", JOB_OPTIONS);
        assertEquals(0, submit.exit, submit.toString());
        job = submit.lastLine();
        assertTrue(submit.err.contains("Gateway on " + GATEWAY), "the submission starts the gateway: " + submit.err);
        assertMisuse(Scripts.run(ENV, "submit", JOB_OPTIONS), "already running");
        // nothing is sent (--limit 0); the job learns no series, so its points would wait unread
        Scripts.Result points = Scripts.run(
                ENV,
                "replay",
                "--file",
                "src/data/nab_nyc_taxi/nyc_taxi.csv",
                "--format",
                "series",
                "--time",
                "timestamp",
                "--value",
                "value",
                "--limit",
                "0",
                "--quiet");
        assertEquals(0, points.exit, points.toString());
        assertTrue(points.err.contains("the job submitted last has no series.model"), points.err);

        replay(6000, "--requests-every", "10", "--rate", "0");
        awaitTrained(job, 6000);
        Await.until("600 predictions", TIMEOUT, () -> countRecords("predictions") == 600);
        Scripts.Result status = Scripts.run(ENV, "status");
        assertEquals(0, status.exit, status.toString());
        assertTrue(status.out.contains("bike guard: "), status.out);

        // the trainer publishes its version gauge on a deferred refresh, so the version is read
        // again at each try: once training has stopped, gauge and store agree on the last one
        double[] current = {-1};
        Await.until("the current version in the model store", TIMEOUT, () -> {
            try {
                current[0] = Scripts.metric(REST, job, VERSION);
                return Scripts.run(ENV, "models", "list").out.matches("(?s).*\\bbike +" + (long) current[0] + " .*");
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue(current[0] > 1, "version " + current[0]);
        Await.until("the gateway ready for bike", TIMEOUT, () -> httpStatus(GATEWAY + "/v2/models/bike/ready") == 200);
        // from a copy of the tools jar of its own, which a build of target/ does not rewrite under it
        String gatewayPid =
                Files.readString(STACK.resolve("pid").resolve("gateway.pid")).strip();
        String gatewayCommand =
                Files.readString(Path.of("/proc", gatewayPid, "cmdline")).replace('\0', ' ');
        assertTrue(
                gatewayCommand.contains(" -cp " + STACK.resolve("run").resolve("gateway.jar") + ":"), gatewayCommand);
        // stopped by hand, the gateway lets its port go; the next steps run without it (up starts it again below)
        Scripts.Result stopGateway = Scripts.run(ENV, "gateway", "--stop");
        assertEquals(0, stopGateway.exit, stopGateway.toString());
        assertEquals(-1, httpStatus(GATEWAY + "/v2/health/live"), "nothing answers on the gateway's port");
        Scripts.Result show = Scripts.run(
                ENV,
                "models",
                "show",
                "bike",
                String.valueOf((long) current[0]),
                "--names-from",
                "src/data/bike_sharing/hour.csv",
                "--format",
                "bike-sharing",
                "--top",
                "3");
        assertEquals(0, show.exit, show.toString());
        assertTrue(show.out.contains("largest weights:") && show.out.contains("hour="), show.out);
    }

    @Test
    @Order(3)
    void aSavepointRestoresRescaledAndARollbackSkipsTheDataWrittenSince() throws Exception {
        double versionBefore = read(job, VERSION);
        String path = savepointStop();
        assertTrue(Files.isDirectory(Path.of(path.replaceFirst("^file:", ""))), path);

        // events written while the job is down: a restore replays them, a skip-to restore does not
        replay(1000, "--rate", "0");
        // rescaled on the way back, as a user would: submitted at 2, restored at 1, rolled back at 4
        Scripts.Result restore = Scripts.run(ENV, "restore", concat(path, concat("-p", concat("1", JOB_OPTIONS))));
        assertEquals(0, restore.exit, restore.toString());
        String restored = restore.lastLine();
        assertNotEquals(job, restored);
        awaitTrained(restored, 7000);
        assertEquals(1, trainerParallelism(restored));
        double versionReplayed = read(restored, VERSION);
        assertTrue(versionReplayed > versionBefore, versionBefore + " then " + versionReplayed);

        // a wrong option ends a rollback before it stops the running job
        assertMisuse(
                Scripts.run(ENV, "rollback", path, "--skip-to", "yesterday"),
                "rollback: invalid configuration: labeled.skip-before: 'yesterday' is none of now");
        assertEquals(List.of(restored), REST.activeJobs(), "the running job runs on");
        String[] skipArgs = concat(path, concat("--skip-to", concat("now", concat("-p", concat("4", JOB_OPTIONS)))));
        Scripts.Result skip = Scripts.run(ENV, "rollback", skipArgs);
        assertEquals(0, skip.exit, skip.toString());
        job = skip.lastLine();
        Await.until(
                "the skipping job counts its skipped events",
                TIMEOUT,
                () -> Scripts.metric(REST, job, MetricNames.LABELED_SKIPPED) == 1000,
                () -> "recordsSkipped=" + Scripts.metric(REST, job, MetricNames.LABELED_SKIPPED));
        assertEquals(6000, read(job, TRAINED), "back at the savepoint's model");
        assertEquals(4, trainerParallelism(job));
        double versionRolledBack = read(job, VERSION);
        assertTrue(
                versionRolledBack > versionReplayed,
                "the savepoint's model continues as a new version, " + versionRolledBack
                        + ", after the newest stored one, " + versionReplayed);
        replay(3000, "--rate", "0");
        awaitTrained(job, 9000);
        // asked until it holds: one read of the REST metrics may fail (-1) or come from an older fetch
        Await.until(
                "3000 new events in batches of at most 50: at least 60 versions after v" + (long) versionRolledBack,
                TIMEOUT,
                () -> Scripts.metric(REST, job, VERSION) >= versionRolledBack + 60,
                () -> VERSION + "=" + Scripts.metric(REST, job, VERSION));
        assertVersionsUnique();
    }

    @Test
    @Order(4)
    void aJobSubmittedAnewContinuesAfterTheVersionsTheStoreHolds() throws Exception {
        savepointStop();
        long newestStored = newestStoredVersion();
        Scripts.Result submit = Scripts.run(ENV, "submit", JOB_OPTIONS); // a new job, not a restore
        assertEquals(0, submit.exit, submit.toString());
        job = submit.lastLine();
        replay(300, "--rate", "0");
        // from the group's committed offsets, which may lag the stopped job's last events
        awaitTrainedAtLeast(job, 300);
        awaitStored(v -> v > newestStored);
        JsonNode start = modelLog().stream()
                .filter(l -> l.path("event").asText().equals("start"))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no start line in the model log"));
        // after the store's newest, or after a version a checkpoint of the stopped job may still publish
        long continuedAfter = start.path("parentVersion").asLong();
        assertTrue(continuedAfter >= newestStored, start.toString());
        assertTrue(start.path("version").asLong() > continuedAfter, start.toString());
        Scripts.Result status = Scripts.run(ENV, "status");
        assertTrue(status.out.contains("bike versions continue after v" + continuedAfter), status.out);
        assertVersionsUnique();
    }

    @Test
    @Order(5)
    void killedProcessesAreHealedByUpAtOnceWithoutLosingOrRepeatingAnEvent() throws Exception {
        // a cluster of two TaskManagers: the job's (the first) killed during a replay, the job runs again on
        // the other before anything is healed; then the other killed, where the job runs by then, followed at
        // once by scripts/up
        Scripts.Result two = Scripts.run(ENV, "up", "--taskmanagers", "2");
        assertEquals(0, two.exit, two.toString());
        assertTrue(two.err.contains("Starting a new TaskManager, taskmanager-2"), two.err);
        awaitEveryTaskRuns();
        assertTrue(lastStatus().contains("TaskManagers: 2, slots 8"), lastStatus());
        double before = read(job, TRAINED);
        long versionBeforeKills = (long) read(job, VERSION);
        long jobManager = pid("jobmanager");
        long kafka = pid("kafka");
        List<String> taskManagers = List.of("taskmanager", "taskmanager-2");
        for (int kill = 0; kill < taskManagers.size(); kill++) {
            double seen = read(job, TRAINED);
            Process replay = replayInBackground(1000, 250);
            Await.until("events flowing", TIMEOUT, () -> Scripts.metric(REST, job, TRAINED) > seen);
            String victim = taskManagers.get(kill);
            Set<String> listedBefore = taskManagerIds();
            killNow(pid(victim));
            if (kill == 0) {
                Await.until(
                        "the JobManager lists one TaskManager",
                        TIMEOUT,
                        () -> taskManagerIds().size() == 1);
                awaitEveryTaskRuns();
                assertTrue(lastStatus().contains("TaskManagers: 1, slots 4"), "every task runs again on it");
            }
            Scripts.Result heal = Scripts.run(ENV, "up");
            assertEquals(0, heal.exit, heal.toString());
            assertTrue(heal.err.contains("Starting a new TaskManager, " + victim + " "), heal.err);
            assertEquals(jobManager, pid("jobmanager"), "the JobManager was left running");
            assertEquals(kafka, pid("kafka"), "the broker was left running");
            // the tasks deployed on the killed TaskManager look running until the JobManager misses its
            // heartbeats; only once it lets it go (and lists the new one) does running mean running
            Await.until("the JobManager lists the new TaskManager in place of the killed one", TIMEOUT, () -> {
                Set<String> listed = taskManagerIds();
                return listed.size() == taskManagers.size()
                        && listed.stream()
                                        .filter(id -> !listedBefore.contains(id))
                                        .count()
                                == 1;
            });
            awaitEveryTaskRuns();
            assertEquals(0, replay.waitFor(), Files.readString(Path.of("target", "e2e-replay-bg.out")));
        }
        double sent = before + 1000 * taskManagers.size();
        awaitTrained(job, sent);
        assertVersionsUnique();
        // predictions continue, with versions after those before the kills
        long newerBefore = servedAfter(versionBeforeKills);
        long served = countRecords("predictions");
        replay(200, "--requests-every", "10", "--rate", "0");
        sent += 200;
        awaitTrained(job, sent);
        Await.until("20 more predictions", TIMEOUT, () -> countRecords("predictions") == served + 20);
        assertEquals(newerBefore + 20, servedAfter(versionBeforeKills), "each served by a version after the kills");

        // the broker killed during a replay and started again by up at once: the replay waits for it
        Process throughRestart = replayInBackground(1500, 250);
        double beforeKafkaKill = sent;
        Await.until("events flowing", TIMEOUT, () -> Scripts.metric(REST, job, TRAINED) > beforeKafkaKill);
        killNow(pid("kafka"));
        Scripts.Result kafkaBack = Scripts.run(ENV, "up");
        assertEquals(0, kafkaBack.exit, kafkaBack.toString());
        assertTrue(kafkaBack.err.contains("Starting Kafka"), kafkaBack.err);
        assertEquals(0, throughRestart.waitFor(), Files.readString(Path.of("target", "e2e-replay-bg.out")));
        sent += 1500;
        awaitTrained(job, sent);

        // the JobManager killed: its job is gone (no HA); up starts a cluster, restore --latest brings the job back
        killNow(pid("jobmanager"));
        Scripts.Result clusterBack = Scripts.run(ENV, "up");
        assertEquals(0, clusterBack.exit, clusterBack.toString());
        assertTrue(clusterBack.err.contains("No job runs: scripts/restore --latest"), clusterBack.err);
        Scripts.Result none = Scripts.run(ENV, "status");
        assertEquals(3, none.exit, none.toString());
        assertTrue(none.err.contains("scripts/restore --latest"), none.err);
        Scripts.Result restore = Scripts.run(ENV, "restore", "--latest");
        assertEquals(0, restore.exit, restore.toString());
        job = restore.lastLine();
        replay(500, "--rate", "0");
        awaitTrained(job, sent + 500);
        assertVersionsUnique();
    }

    @Test
    @Order(6)
    void downAndUpAgainKeepTheStoreAndItsVersions() throws Exception {
        long newestStored = newestStoredVersion();
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

        Scripts.Result one = Scripts.run(WITH_GATEWAY, "up", "--taskmanagers", "1");
        assertEquals(0, one.exit, one.toString());
        assertTrue(one.err.contains(", 1 TaskManager(s)"), one.err);
        assertTrue(
                one.err.contains("Gateway on " + GATEWAY),
                "up starts the gateway of the job submitted last: " + one.err);
        assertEquals(200, httpStatus(GATEWAY + "/v2/health/live"), "the gateway answers");
        Scripts.Result submit = Scripts.run(ENV, "submit", JOB_OPTIONS);
        assertEquals(0, submit.exit, submit.toString());
        job = submit.lastLine();
        replay(300, "--rate", "0");
        awaitTrainedAtLeast(job, 300);
        awaitStored(v -> v > newestStored);
        assertVersionsUnique();
        assertFalse(Files.exists(STACK.resolve("models").resolve("_refused")), "no version was refused");
        savepointStop();
    }

    @Test
    @Order(7)
    void everyBenchmarkScriptRunsOnATinyInput() throws Exception {
        Scripts.Result one = Scripts.run(ENV, "up", "--taskmanagers", "1");
        assertEquals(0, one.exit, one.toString());
        BenchScripts.runEach(WITH_GATEWAY);
    }

    /** The status of a GET, -1 when nothing answers. */
    private static int httpStatus(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int trainerParallelism(String job) throws Exception {
        for (JsonNode vertex : REST.get("/jobs/" + job).path("vertices")) {
            if (vertex.path("name").asText().startsWith(Operators.TRAINER_NAME)) {
                return vertex.path("parallelism").asInt();
            }
        }
        throw new AssertionError("job " + job + " has no trainer");
    }

    private static void replay(int count, String... more) throws Exception {
        Scripts.Result r = Scripts.run(ENV, "replay", Scripts.bikeReplay(replayed, count, more));
        assertEquals(0, r.exit, r.toString());
        replayed += count;
    }

    private static Process replayInBackground(int count, int rate) throws IOException {
        Process p = Scripts.start(ENV, "replay", Scripts.bikeReplay(replayed, count, "--rate", String.valueOf(rate)));
        replayed += count;
        return p;
    }

    /**
     * A metric of the job, asked until the REST API answers with it: one read may fail (-1), or come before the
     * metric fetcher has seen a task that has just started.
     */
    private static double read(String job, String name) {
        double[] value = {-1};
        Await.until(name + " of job " + job + " read from the REST API", TIMEOUT, () -> {
            value[0] = Scripts.metric(REST, job, name);
            return value[0] >= 0;
        });
        return value[0];
    }

    private static void awaitTrained(String job, double examples) {
        Await.until(
                (long) examples + " examples trained",
                TIMEOUT,
                () -> Scripts.metric(REST, job, TRAINED) == examples,
                () -> TRAINED + "=" + Scripts.metric(REST, job, TRAINED));
    }

    private static void awaitTrainedAtLeast(String job, double examples) {
        Await.until(
                "at least " + (long) examples + " examples trained",
                TIMEOUT,
                () -> Scripts.metric(REST, job, TRAINED) >= examples,
                () -> TRAINED + "=" + Scripts.metric(REST, job, TRAINED));
    }

    private static String savepointStop() throws Exception {
        Scripts.Result savepoint = Scripts.run(ENV, "savepoint", "--stop");
        assertEquals(0, savepoint.exit, savepoint.toString());
        return savepoint.lastLine();
    }

    private static void assertMisuse(Scripts.Result r, String message) {
        assertNotEquals(0, r.exit, r.toString());
        assertTrue(r.err.contains(message), "expected '" + message + "' in " + r);
    }

    /** The stored versions of bike in the store, ascending. */
    private static NavigableSet<Long> storedVersions() throws IOException {
        TreeSet<Long> versions = new TreeSet<>();
        Path dir = STACK.resolve("models").resolve("bike");
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                files.map(f -> f.getFileName().toString())
                        .filter(n -> n.matches("v\\d{12}\\.model"))
                        .forEach(n -> versions.add(Long.parseLong(n.substring(1, 13))));
            }
        }
        return versions;
    }

    private static long newestStoredVersion() throws IOException {
        NavigableSet<Long> versions = storedVersions();
        assertFalse(versions.isEmpty(), "the store holds versions of bike");
        return versions.last();
    }

    private static void awaitStored(java.util.function.LongPredicate wanted) {
        Await.until("a version stored", TIMEOUT, () -> {
            try {
                return storedVersions().stream().anyMatch(wanted::test);
            } catch (IOException e) {
                return false;
            }
        });
    }

    /**
     * No version named two models: the model log holds at most one {@code stored} line per version,
     * and every version the store holds was stored once, as the model log says. A version file and
     * its line are published by two committers of the same checkpoint: the line may come a moment
     * after the file, so it is waited for.
     */
    private static void assertVersionsUnique() throws IOException {
        Map<Long, Integer> storedLines = new HashMap<>();
        NavigableSet<Long> stored = storedVersions();
        Await.until(
                "a stored line for each version in the store",
                TIMEOUT,
                () -> {
                    storedLines.clear();
                    try {
                        for (JsonNode line : modelLog()) {
                            if (line.path("event").asText().equals("stored")) {
                                storedLines.merge(line.path("version").asLong(), 1, Integer::sum);
                            }
                        }
                    } catch (IOException e) {
                        return false;
                    }
                    return stored.stream().allMatch(v -> v == 0 || storedLines.containsKey(v));
                },
                () -> "store " + stored + ", stored lines " + storedLines.keySet());
        storedLines.forEach((v, n) -> assertEquals(1, n, "stored lines of version " + v + ": " + storedLines));
    }

    /** The committed lines of the model log, in order. */
    private static List<JsonNode> modelLog() throws IOException {
        return readAll("model-log");
    }

    /** Every committed record of a topic, as JSON, partition after partition. */
    private static List<JsonNode> readAll(String topic) throws IOException {
        Properties p = consumer();
        p.put("isolation.level", "read_committed");
        List<JsonNode> lines = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .collect(Collectors.toList());
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> ends = c.endOffsets(parts);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (parts.stream().anyMatch(tp -> c.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    lines.add(JSON.readTree(r.value()));
                }
            }
        }
        return lines;
    }

    private static Properties consumer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", BOOTSTRAP);
        p.put("group.id", "e2e-" + UUID.randomUUID());
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        return p;
    }

    /** How many predictions in the topic were served by a version after {@code version}. */
    private static long servedAfter(long version) throws IOException {
        return readAll("predictions").stream()
                .filter(p -> p.get("modelVersion").asLong() > version)
                .count();
    }

    private static long countRecords(String topic) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumer())) {
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

    /**
     * Waits as a user does, in one process: {@code scripts/status --wait-running} returns once every
     * task of the job runs; then scripts/status reports it (exit 0).
     */
    private static void awaitEveryTaskRuns() throws Exception {
        Scripts.Result waited = Scripts.run(ENV, "status", "--wait-running", String.valueOf(TIMEOUT.toSeconds()));
        assertEquals(0, waited.exit, waited.toString());
        assertEquals(0, statusExit(), lastStatus());
    }

    /** The ids of the TaskManagers the JobManager lists (none when it does not answer). */
    private static Set<String> taskManagerIds() {
        Set<String> ids = new HashSet<>();
        try {
            REST.get("/taskmanagers")
                    .path("taskmanagers")
                    .forEach(t -> ids.add(t.path("id").asText()));
        } catch (IOException e) {
            return Set.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        }
        return ids;
    }

    /** scripts/status's exit: 0 every task runs, 3 no job, 4 the job does not run fully. */
    private static int statusExit() {
        try {
            return Scripts.run(ENV, "status").exit;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String lastStatus() {
        try {
            return "\nlast status: " + Files.readString(Scripts.output(ENV, "status", "out"))
                    + Files.readString(Scripts.output(ENV, "status", "err"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static long pid(String process) throws IOException {
        return Long.parseLong(
                Files.readString(STACK.resolve("pid").resolve(process + ".pid")).strip());
    }

    /** kill -9, and no waiting: what comes next runs while the process may still be going away. */
    private static void killNow(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    private static List<String> stackPids() throws IOException {
        try (var files = Files.list(STACK.resolve("pid"))) {
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
