package dev.streamlearn.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.batch.BatchFit;
import dev.streamlearn.datasets.BikeSharingEvents;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.evaluation.PrequentialRun;
import dev.streamlearn.evaluation.Scores;
import dev.streamlearn.evaluation.Summary;
import dev.streamlearn.inference.ServedModel;
import dev.streamlearn.ingest.EventParser;
import dev.streamlearn.ingest.SourceRecord;
import dev.streamlearn.model.ModelFile;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.records.Example;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.CollectingSink;
import dev.streamlearn.testing.EmbeddedKafka;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.FlinkConf;
import dev.streamlearn.testing.JobMetrics;
import dev.streamlearn.tools.OfflineTrainer;
import dev.streamlearn.training.LinearScorer;
import dev.streamlearn.training.Scaling;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on a Flink MiniCluster (RocksDB, checkpoints) against a real KRaft Kafka broker,
 * fed with the UCI bike-sharing hours as a binary "busy hour" task.
 */
class LearningJobIT {

    static final String MODEL = "bike";
    static final Duration TIMEOUT = Duration.ofMinutes(3);
    static final InMemoryReporter REPORTER = InMemoryReporter.create();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    @TempDir
    static Path tmp;

    static EmbeddedKafka kafka;
    static List<DatasetEvent> bike;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start(tmp.resolve("kafka"));
        bike = BikeSharingEvents.read(
                MODEL, Path.of("src/data/bike_sharing/hour.csv"), BikeSharingEvents.Label.BUSY_HOUR);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    static JobConfig config(String prefix, String... extra) throws Exception {
        String[] topics = {"labeled", "requests", "control", "predictions", "dead-letter", "model-log"};
        for (String t : topics) {
            kafka.createTopics(2, prefix + t);
        }
        List<String> args = new ArrayList<>(List.of(
                "--kafka.bootstrap-servers",
                kafka.bootstrapServers(),
                "--kafka.group-id",
                prefix + "job",
                "--models",
                MODEL,
                "--topic.labeled",
                prefix + "labeled",
                "--topic.requests",
                prefix + "requests",
                "--topic.control",
                prefix + "control",
                "--topic.predictions",
                prefix + "predictions",
                "--topic.dead-letter",
                prefix + "dead-letter",
                "--topic.model-log",
                prefix + "model-log",
                "--batch.size",
                "50",
                "--batch.millis",
                "100",
                "--update.full-every",
                "20"));
        args.addAll(List.of(extra));
        return JobConfig.fromArgs(args.toArray(new String[0]));
    }

    static StreamExecutionEnvironment env(String name) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkConf.load(tmp.resolve(name), Duration.ofMillis(300)));
        env.setParallelism(2);
        return env;
    }

    @Test
    void theJobAndTheEvaluationToolScoreTheSameStreamAlike() throws Exception {
        kafka.createTopics(1, "same-labeled-one-partition"); // one partition: the trainer sees the file's order
        JobConfig config = config("same-", "--topic.labeled", "same-labeled-one-partition");
        StreamExecutionEnvironment env = env("same");
        LearningJob.attachToKafka(env, config);
        JobClient job = env.executeAsync("same-scores-it");
        JobMetrics metrics = new JobMetrics(REPORTER, job.getJobID());
        try {
            kafka.send(config.get(JobConfig.TOPIC_LABELED), Events.json(bike));
            Await.until(
                    "all trained",
                    TIMEOUT,
                    () -> metrics.longValue("model." + MODEL + ".examplesTrained") == bike.size());
            ModelSpec spec = config.models().get(MODEL);
            Scores tool = PrequentialRun.learn(spec, PrequentialRun.ofEvents(spec, Events.json(bike), 65536));
            double jobTotal = metrics.sum("model." + MODEL + ".logLossTotal");
            double toolTotal = Summary.of(tool).get("logLoss");
            int n = tool.size();
            double jobWindow = metrics.sum("model." + MODEL + ".logLoss");
            double toolWindow = Summary.of(tool, n - spec.metricsWindow, n).get("logLoss");
            assertEquals(toolTotal, jobTotal, 1e-12, "prequential log loss of the whole stream");
            assertEquals(toolWindow, jobWindow, 1e-9, "over the job's metrics window");
            System.out.printf(
                    "IT same scores: job %.6f, evaluate %.6f (whole stream); window %.6f vs %.6f%n",
                    jobTotal, toolTotal, jobWindow, toolWindow);
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void learnsFromARealDatasetServesGrowingVersionsAndDeadLettersBadRecords() throws Exception {
        JobConfig config = config("learn-");
        StreamExecutionEnvironment env = env("learn");
        LearningJob.attachToKafka(env, config);
        JobClient job = env.executeAsync("learning-job-it");
        JobMetrics metrics = new JobMetrics(REPORTER, job.getJobID());
        try {
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
            kafka.send(config.get(JobConfig.TOPIC_LABELED), firstHalf);
            kafka.send(config.get(JobConfig.TOPIC_REQUESTS), List.of("{\"id\":\"r-bad\",\"features\":{}}"));
            malformed.put("{\"id\":\"r-bad\",\"features\":{}}", "missing-field");

            Await.until(
                    "first half trained",
                    TIMEOUT,
                    () -> metrics.longValue("model." + MODEL + ".examplesTrained") == half,
                    () -> "examplesTrained=" + metrics.longValue("model." + MODEL + ".examplesTrained"));
            List<String> wave1 = requests(0, 100);
            kafka.send(config.get(JobConfig.TOPIC_REQUESTS), wave1);
            List<JsonNode> predictions1 = readPredictions(config, wave1.size());
            long versionAfterFirstHalf = metrics.longValue("model." + MODEL + ".modelVersion");

            kafka.send(config.get(JobConfig.TOPIC_LABELED), Events.json(bike.subList(half, bike.size())));
            Await.until(
                    "all trained",
                    TIMEOUT,
                    () -> metrics.longValue("model." + MODEL + ".examplesTrained") == bike.size());
            List<String> wave2 = requests(1, 100);
            kafka.send(config.get(JobConfig.TOPIC_REQUESTS), wave2);
            List<JsonNode> all = readPredictions(config, wave1.size() + wave2.size());
            List<JsonNode> predictions2 = all.stream()
                    .filter(p -> p.get("id").asText().startsWith("q1-"))
                    .collect(Collectors.toList());

            // predictions arrive for every request, tagged with growing versions
            assertEquals(wave1.size(), predictions1.size());
            assertEquals(wave2.size(), predictions2.size());
            long maxVersion1 = predictions1.stream()
                    .mapToLong(p -> p.get("modelVersion").asLong())
                    .max()
                    .orElseThrow();
            long minVersion1 = predictions1.stream()
                    .mapToLong(p -> p.get("modelVersion").asLong())
                    .min()
                    .orElseThrow();
            long minVersion2 = predictions2.stream()
                    .mapToLong(p -> p.get("modelVersion").asLong())
                    .min()
                    .orElseThrow();
            assertTrue(minVersion1 >= 1, "served after training started");
            assertTrue(maxVersion1 <= versionAfterFirstHalf);
            assertTrue(minVersion2 > maxVersion1, "versions grow: " + maxVersion1 + " then " + minVersion2);
            for (JsonNode p : all) {
                double score = p.get("score").asDouble();
                assertTrue(score > 0 && score < 1, "a probability: " + p);
                assertEquals(MODEL, p.get("model").asText());
            }

            // prequential quality: clearly better than always predicting the base rate
            double logLoss = metrics.sum("model." + MODEL + ".logLossTotal");
            double baseRate = Events.baseRateLogLoss(bike);
            assertTrue(logLoss < 0.7 * baseRate, "log loss " + logLoss + " vs base rate " + baseRate);
            assertTrue(metrics.sum("model." + MODEL + ".auc") > 0.9);
            assertEquals(
                    metrics.longValue("model." + MODEL + ".batchesApplied"),
                    metrics.longValue("model." + MODEL + ".modelVersion"),
                    "one version per applied batch");

            // every bad record is in the dead-letter topic with its reason, and counted
            List<String> dead = kafka.readAll(config.get(JobConfig.TOPIC_DEAD_LETTER), malformed.size(), TIMEOUT);
            Map<String, String> reasonByPayload = new HashMap<>();
            for (String d : dead) {
                JsonNode n = Events.parse(d);
                reasonByPayload.put(n.get("payload").asText(), n.get("reason").asText());
            }
            assertEquals(malformed, reasonByPayload);
            assertEquals(1, metrics.longValue("deadLetter.bad-label"));
            assertEquals(2, metrics.longValue("deadLetter.missing-field"));
            System.out.printf(
                    "IT learn: %d events, %d batches, version %d, logLossTotal %.4f vs base rate %.4f,"
                            + " auc %.3f, %d predictions, %d dead letters%n",
                    bike.size(),
                    metrics.longValue("model." + MODEL + ".batchesApplied"),
                    metrics.longValue("model." + MODEL + ".modelVersion"),
                    logLoss,
                    baseRate,
                    metrics.sum("model." + MODEL + ".auc"),
                    all.size(),
                    dead.size());
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void recoversFromAFailureWithoutLosingOrRepeatingTraining() throws Exception {
        JobConfig config = config("recover-");
        StreamExecutionEnvironment env = env("recover");
        LearningJob.KafkaInputs in = LearningJob.readFromKafka(env, config);
        DataStream<SourceRecord> labeled = in.labeled
                .map(new FailOnceAfterCheckpoint())
                .returns(SourceRecord.class)
                .uid("test-failure-injection")
                .name("failure injection");
        JobTopology.Outputs outputs = JobTopology.build(config, labeled, in.requests, in.control, in.series);
        outputs.writeTo(
                LearningJob.predictionSink(config),
                LearningJob.deadLetterSink(config),
                LearningJob.modelLogSink(config),
                LearningJob.storeSink(config));
        CollectingSink<ModelUpdate> updates = new CollectingSink<>("recover-updates");
        outputs.modelUpdates.sinkTo(updates).uid("test-collect-updates").name("collect updates");
        FailOnceAfterCheckpoint.reset();
        JobClient job = env.executeAsync("recovery-it");
        JobMetrics metrics = new JobMetrics(REPORTER, job.getJobID());
        String trained = "model." + MODEL + ".examplesTrained";
        try {
            int half = bike.size() / 2;
            kafka.send(config.get(JobConfig.TOPIC_LABELED), Events.json(bike.subList(0, half)));
            Await.until("first half trained", TIMEOUT, () -> metrics.longValue(trained) == half);
            // a checkpoint triggered after the first half was trained: checkpoint m+1 may have started before,
            // m+2 starts after m+1 completes, so after now (one checkpoint at a time)
            long completedNow = FailOnceAfterCheckpoint.COMPLETED.get();
            Await.until(
                    "a checkpoint after the first half",
                    TIMEOUT,
                    () -> FailOnceAfterCheckpoint.COMPLETED.get() >= completedNow + 2);
            long versionAtCheckpoint =
                    updates.collected().get(updates.collected().size() - 1).version;
            FailOnceAfterCheckpoint.ARMED.set(true);

            kafka.send(config.get(JobConfig.TOPIC_LABELED), Events.json(bike.subList(half, bike.size())));
            Await.until(
                    "all trained after recovery",
                    TIMEOUT,
                    () -> metrics.longValue(trained) == bike.size(),
                    () -> "examplesTrained=" + metrics.longValue(trained));
            assertTrue(FailOnceAfterCheckpoint.FAILED.get(), "the failure was injected");
            assertTrue(metrics.longValue("numRestarts") >= 1, "the job restarted");

            List<ModelUpdate> all = updates.collected();
            // the first update after the restart is a full one, based on the checkpointed version
            ModelUpdate firstAfterRestore = all.stream()
                    .filter(u -> u.full && u.version > 1)
                    .filter(u -> u.baseVersion == versionAtCheckpoint)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no full update based on v" + versionAtCheckpoint));
            assertEquals(versionAtCheckpoint + 1, firstAfterRestore.version);
            long finalVersion = metrics.longValue("model." + MODEL + ".modelVersion");
            assertEquals(
                    finalVersion,
                    metrics.longValue("model." + MODEL + ".batchesApplied"),
                    "one version per applied batch, none lost or repeated in the model's state");
            assertEquals(bike.size(), metrics.longValue(trained), "every labeled event trained exactly once");
            System.out.printf(
                    "IT recover: checkpointed v%d, restarts %d, final v%d, examplesTrained %d of %d%n",
                    versionAtCheckpoint,
                    metrics.longValue("numRestarts"),
                    finalVersion,
                    metrics.longValue(trained),
                    bike.size());
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void rollsBackByCommandWithinABoundedTimeAndKeepsOnlyCommittedVersionsInTheStore() throws Exception {
        Path storeDir = tmp.resolve("store");
        JobConfig config = config(
                "rollback-",
                "--store.path",
                storeDir.toUri().toString(),
                "--store.interval",
                "0",
                "--store.keep-last",
                "4",
                "--store.keep-every",
                "40",
                "--store.recent",
                "3");
        StreamExecutionEnvironment env = env("rollback");
        LearningJob.attachToKafka(env, config);
        JobClient job = env.executeAsync("rollback-it");
        JobMetrics metrics = new JobMetrics(REPORTER, job.getJobID());
        String trained = "model." + MODEL + ".examplesTrained";
        ModelStore store = config.store();
        try {
            int half = bike.size() / 2;
            kafka.send(config.get(JobConfig.TOPIC_LABELED), Events.json(bike.subList(0, half)));
            Await.until("first half trained", TIMEOUT, () -> metrics.longValue(trained) == half);
            long current = metrics.longValue("model." + MODEL + ".modelVersion");
            Await.until("the store holds the current version", TIMEOUT, () -> storedVersions(store)
                    .contains(current));
            List<Long> stored = storedVersions(store);
            long target = stored.get(0); // an old version, kept by keep-every, not among the recent ones
            assertTrue(target < current - 3, "target " + target + ", current " + current);
            StoredModel targetModel = store.read(MODEL, target);

            // a fixed request, and the score version `target` gives it
            DatasetEvent probe = bike.get(1234);
            Example probeVector = new EventParser(config.models(), 65536, "t")
                    .parseLabeled(probe.json)
                    .value();
            ModelSpec spec = config.models().get(MODEL);
            ServedModel asServed = ServedModel.of(targetModel);
            double expectedScore = LinearScorer.predict(
                    spec.loss,
                    asServed.weights(),
                    spec.biasIndex(),
                    asServed.scaler(Scaling.newScaler(spec)),
                    probeVector.features);

            // the command, then a probe request every 20 ms for 4 s: the first probe answered by the new
            // version bounds the time from command to serving it, to 20 ms
            long sentAt = System.nanoTime();
            kafka.send(
                    config.get(JobConfig.TOPIC_CONTROL),
                    List.of("{\"op\":\"rollback\",\"model\":\"bike\",\"version\":" + target + "}"));
            Map<String, Long> probeSentAt = new HashMap<>();
            for (int i = 0; i < 200; i++) {
                long due = sentAt + TimeUnit.MILLISECONDS.toNanos(20L * i);
                while (System.nanoTime() < due) {
                    Thread.onSpinWait(); // pacing the probes, not waiting for the job
                }
                probeSentAt.put("probe-" + i, System.nanoTime() - sentAt);
                kafka.send(config.get(JobConfig.TOPIC_REQUESTS), List.of(probe.asRequest("probe-" + i)));
            }
            List<JsonNode> probes =
                    kafka
                            .readAll(config.get(JobConfig.TOPIC_PREDICTIONS), Integer.MAX_VALUE, Duration.ofSeconds(3))
                            .stream()
                            .map(Events::parse)
                            .filter(p -> p.get("id").asText().startsWith("probe-"))
                            .sorted(java.util.Comparator.comparingLong(
                                    p -> probeSentAt.get(p.get("id").asText())))
                            .collect(Collectors.toList());
            assertEquals(200, probes.size());
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

            kafka.send(
                    config.get(JobConfig.TOPIC_CONTROL),
                    List.of(
                            "{\"op\":\"rollback\",\"model\":\"bike\",\"version\":" + (target + 1) + "}",
                            "{\"op\":\"rollback\",\"model\":\"nope\",\"version\":1}"));
            kafka.send(config.get(JobConfig.TOPIC_LABELED), Events.json(bike.subList(half, bike.size())));
            Await.until("all trained", TIMEOUT, () -> metrics.longValue(trained) == bike.size());
            long finalVersion = metrics.longValue("model." + MODEL + ".modelVersion");
            assertTrue(finalVersion > current + 1, "training continues after the rollback: v" + finalVersion);

            // the model log: the rollback with its parent, and both bad commands answered with a reason
            List<JsonNode> log = kafka
                    .readAll(config.get(JobConfig.TOPIC_MODEL_LOG), Integer.MAX_VALUE, Duration.ofSeconds(5), true)
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
            assertTrue(reasons.stream().anyMatch(r -> r.contains("version " + (target + 1) + " no longer exists")));
            assertTrue(reasons.stream().anyMatch(r -> r.startsWith("unknown-model")));

            // the store holds only versions whose checkpoint completed (each has a committed log line), after retention
            Await.until("the store holds the final version", TIMEOUT, () -> storedVersions(store)
                    .contains(finalVersion));
            List<Long> inStore = storedVersions(store);
            List<Long> logged = log.stream()
                    .filter(e -> e.has("path"))
                    .map(e -> e.get("version").asLong())
                    .collect(Collectors.toList());
            assertTrue(logged.containsAll(inStore), "stored " + inStore + " but committed " + logged);
            assertTrue(inStore.size() <= 4 + (finalVersion / 40 + 1), "retention: " + inStore);
            List<Long> newest = inStore.subList(inStore.size() - 4, inStore.size());
            for (long v : inStore) {
                assertTrue(
                        newest.contains(v)
                                || inStore.stream()
                                                .filter(o -> o / 40 == v / 40)
                                                .min(Long::compare)
                                                .orElseThrow()
                                        == v,
                        "v" + v + " should have been removed by retention");
            }

            // the final version names the input it was trained through: every labeled event, once
            StoredModel finalModel = store.read(MODEL, finalVersion);
            assertEquals(
                    bike.size(),
                    java.util.Arrays.stream(finalModel.offsetsThrough)
                            .map(o -> o + 1)
                            .sum(),
                    java.util.Arrays.toString(finalModel.offsetsThrough));

            // a stored file round-trips bit for bit, and loads with no Flink on the class path
            Path file = storeDir.resolve(MODEL).resolve(ModelFile.fileName(finalVersion));
            byte[] bytes = Files.readAllBytes(file);
            java.io.ByteArrayOutputStream again = new java.io.ByteArrayOutputStream();
            ModelFile.write(ModelFile.read(new java.io.ByteArrayInputStream(bytes)), again);
            assertTrue(java.util.Arrays.equals(bytes, again.toByteArray()), "round trip changed the file");
            Process plain = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            "target/classes",
                            "dev.streamlearn.model.ModelFile",
                            file.toString())
                    .redirectErrorStream(true)
                    .start();
            String printed = new String(plain.getInputStream().readAllBytes());
            assertEquals(0, plain.waitFor(), printed);
            assertTrue(printed.startsWith("model bike version " + finalVersion), printed);
            System.out.printf(
                    "IT rollback: rolled back v%d -> v%d (parent v%d), served in %.0f ms; store %s%n",
                    current, current + 1, target, rollbackMillis, inStore);
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void savepointRestoreContinuesVersionsWithIdenticalWeightsAndOptimizerState(
            @InjectClusterClient ClusterClient<?> client) throws Exception {
        Path storeDir = tmp.resolve("savepoint-store");
        JobConfig config =
                config("savepoint-", "--store.path", storeDir.toUri().toString(), "--store.interval", "3600000");
        StreamExecutionEnvironment env = env("savepoint");
        LearningJob.attachToKafka(env, config);
        JobClient job = env.executeAsync("savepoint-it");
        JobMetrics metrics = new JobMetrics(REPORTER, job.getJobID());
        String version = "model." + MODEL + ".modelVersion";
        int part = 5000;
        kafka.send(config.get(JobConfig.TOPIC_LABELED), Events.json(bike.subList(0, part)));
        Await.until(
                "first part trained", TIMEOUT, () -> metrics.longValue("model." + MODEL + ".examplesTrained") == part);
        // freeze writes the current version (weights and optimizer state) to the store
        kafka.send(config.get(JobConfig.TOPIC_CONTROL), List.of("{\"op\":\"freeze\",\"model\":\"bike\"}"));
        Await.until("frozen", TIMEOUT, () -> metrics.longValue("model." + MODEL + ".frozen") == 1);
        long atSavepoint = metrics.longValue(version);
        Path file = storeDir.resolve(MODEL).resolve(ModelFile.fileName(atSavepoint));
        String savepoint = client.stopWithSavepoint(
                        job.getJobID(),
                        false,
                        tmp.resolve("savepoints").toUri().toString(),
                        SavepointFormatType.CANONICAL)
                .get();
        assertTrue(Files.exists(file), "the freeze's version was committed by the savepoint");
        StoredModel beforeStop = ModelFile.read(new java.io.ByteArrayInputStream(Files.readAllBytes(file)));

        Configuration restoreConf = FlinkConf.load(tmp.resolve("savepoint"), Duration.ofMillis(300));
        restoreConf.setString("execution.state-recovery.path", savepoint);
        StreamExecutionEnvironment restoredEnv = StreamExecutionEnvironment.getExecutionEnvironment(restoreConf);
        restoredEnv.setParallelism(2);
        LearningJob.attachToKafka(restoredEnv, config);
        JobClient restored = restoredEnv.executeAsync("savepoint-it-restored");
        JobMetrics after = new JobMetrics(REPORTER, restored.getJobID());
        try {
            Await.until("the restored trainer reports", TIMEOUT, () -> after.longValue(version) >= 0);
            assertEquals(atSavepoint, after.longValue(version), "the version is the savepoint's");
            // resume writes the restored version again: it must be the same weights and optimizer state
            kafka.send(config.get(JobConfig.TOPIC_CONTROL), List.of("{\"op\":\"resume\",\"model\":\"bike\"}"));
            Await.until("resumed version stored", TIMEOUT, () -> {
                try {
                    return !ModelFile.read(new java.io.ByteArrayInputStream(Files.readAllBytes(file))).frozen;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            StoredModel afterRestore = ModelFile.read(new java.io.ByteArrayInputStream(Files.readAllBytes(file)));
            assertEquals(beforeStop.version, afterRestore.version);
            assertEquals(beforeStop.examplesTrained, afterRestore.examplesTrained);
            assertTrue(java.util.Arrays.equals(beforeStop.state.coords, afterRestore.state.coords));
            assertTrue(java.util.Arrays.equals(beforeStop.state.weights, afterRestore.state.weights), "weights differ");
            assertTrue(
                    java.util.Arrays.equals(beforeStop.state.optimizerState, afterRestore.state.optimizerState),
                    "optimizer state differs");
            assertEquals(beforeStop.state.optimizerSteps, afterRestore.state.optimizerSteps);
            assertTrue(
                    java.util.Arrays.equals(beforeStop.state.scale.means, afterRestore.state.scale.means),
                    "scaling differs");

            kafka.send(config.get(JobConfig.TOPIC_LABELED), Events.json(bike.subList(part, 2 * part)));
            Await.until(
                    "second part trained",
                    TIMEOUT,
                    () -> after.longValue("model." + MODEL + ".examplesTrained") == 2L * part);
            assertTrue(after.longValue(version) > atSavepoint, "versions continue after the restore");
            List<String> events = kafka.readAll(config.get(JobConfig.TOPIC_MODEL_LOG), 3, TIMEOUT, true).stream()
                    .map(Events::parse)
                    .map(e -> e.get("event").asText() + "@" + e.get("version").asLong())
                    .collect(Collectors.toList());
            assertEquals(
                    List.of("stored@1", "freeze@" + atSavepoint, "resume@" + atSavepoint),
                    events,
                    "the model log has each line once, across the stop and the restore");
            System.out.printf(
                    "IT savepoint: v%d at the savepoint, v%d after restore and %d more events%n",
                    atSavepoint, after.longValue(version), part);
        } finally {
            restored.cancel().get();
        }
    }

    @Test
    void startsFromASmileBatchModelAndServesItsScoresBeforeLearningOnline() throws Exception {
        Path storeDir = tmp.resolve("warm-store");
        StoredModel written = OfflineTrainer.run(
                "--file",
                "src/data/bike_sharing/hour.csv",
                "--format",
                "bike-sharing",
                "--model",
                MODEL,
                "--limit",
                "5000",
                "--hash.bits",
                "10",
                "--store",
                storeDir.toUri().toString());
        assertEquals(0, written.version);
        String initial =
                storeDir.resolve(MODEL).resolve(ModelFile.fileName(0)).toUri().toString();
        JobConfig config = config("warm-", "--model.bike.hash.bits", "10", "--model.bike.initial-model", initial);
        ModelSpec spec = config.models().get(MODEL);
        // the same fit, to ask Smile itself for its predictions
        BatchFit.Dataset dataset = BatchFit.Dataset.of(spec, examples(config, bike.subList(0, 5000)));
        BatchFit.Fitted smile = BatchFit.fit(spec, dataset, 0.1);
        assertTrue(
                java.util.Arrays.equals(smile.stored.state.weights, written.state.weights), "the fit is deterministic");

        StreamExecutionEnvironment env = env("warm");
        LearningJob.attachToKafka(env, config);
        JobClient job = env.executeAsync("warm-start-it");
        JobMetrics metrics = new JobMetrics(REPORTER, job.getJobID());
        try {
            EventParser parser = new EventParser(config.models(), 65536, "t");
            List<String> requests = new ArrayList<>();
            Map<String, Double> expected = new HashMap<>();
            for (int i = 5000; i < 5100; i++) {
                DatasetEvent e = bike.get(i);
                requests.add(e.asRequest("w-" + i));
                Example x = parser.parseLabeled(e.json).value();
                expected.put("w-" + i, smile.predict.applyAsDouble(dataset.row(x.features)));
            }
            kafka.send(config.get(JobConfig.TOPIC_REQUESTS), requests);
            List<JsonNode> predictions = readPredictions(config, requests.size());
            double worst = 0;
            for (JsonNode p : predictions) {
                assertEquals(0L, p.get("modelVersion").asLong(), "served as the initial version: " + p);
                worst = Math.max(
                        worst,
                        Math.abs(p.get("score").asDouble()
                                - expected.get(p.get("id").asText())));
            }
            assertTrue(worst <= 1e-6, "largest difference to Smile's own predictions: " + worst);

            kafka.send(config.get(JobConfig.TOPIC_LABELED), Events.json(bike.subList(5000, 7000)));
            Await.until(
                    "online updates on top of the batch model",
                    TIMEOUT,
                    () -> metrics.longValue("model." + MODEL + ".examplesTrained") == 2000);
            // batches of 50, or fewer when one closes by time
            assertTrue(
                    metrics.longValue("model." + MODEL + ".modelVersion") >= 2000 / 50,
                    "versions count on from the initial version 0");
            System.out.printf("IT warm start: 100 requests served at version 0, max |job - Smile| = %.2e%n", worst);
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void learnsAnAr2ProcessFromInterleavedSeriesOfDifferentScales() throws Exception {
        String p = "series-";
        for (String t : new String[] {
            "labeled", "requests", "control", "predictions", "dead-letter", "model-log", "points", "forecasts"
        }) {
            kafka.createTopics(2, p + t);
        }
        Path storeDir = tmp.resolve("series-store");
        JobConfig config = JobConfig.fromArgs(
                "--kafka.bootstrap-servers",
                kafka.bootstrapServers(),
                "--kafka.group-id",
                p + "job",
                "--topic.labeled",
                p + "labeled",
                "--topic.requests",
                p + "requests",
                "--topic.control",
                p + "control",
                "--topic.predictions",
                p + "predictions",
                "--topic.dead-letter",
                p + "dead-letter",
                "--topic.model-log",
                p + "model-log",
                "--topic.series",
                p + "points",
                "--topic.forecasts",
                p + "forecasts",
                "--models",
                "load",
                "--model.load.loss",
                "squared",
                "--model.load.optimizer",
                "adagrad",
                "--model.load.learning-rate",
                "0.05",
                "--model.load.l1",
                "0",
                "--model.load.l2",
                "0",
                "--series.model",
                "load",
                "--series.lags",
                "2",
                "--series.seasonal-lags",
                "none",
                "--series.calendar",
                "false",
                "--series.step",
                "1000",
                "--batch.size",
                "100",
                "--store.path",
                storeDir.toUri().toString(),
                "--store.interval",
                "0");
        // x_t - m = 0.6 (x_{t-1} - m) - 0.3 (x_{t-2} - m) + noise, three series on very different scales
        double a1 = 0.6;
        double a2 = -0.3;
        double[][] scales = {{100, 5}, {1000, 50}, {10, 0.5}};
        int perSeries = 8000;
        java.util.Random random = new java.util.Random(7);
        double[][] last = new double[3][2];
        List<String> points = new ArrayList<>();
        for (int t = 0; t < perSeries; t++) {
            for (int s = 0; s < 3; s++) {
                double next = a1 * last[s][0] + a2 * last[s][1] + random.nextGaussian();
                last[s][1] = last[s][0];
                last[s][0] = next;
                double value = scales[s][0] + scales[s][1] * next;
                points.add("{\"series\":\"s" + s + "\",\"ts\":" + (t * 1000L) + ",\"value\":" + value + "}");
            }
        }
        StreamExecutionEnvironment env = env("series");
        LearningJob.attachToKafka(env, config);
        JobClient job = env.executeAsync("series-it");
        JobMetrics metrics = new JobMetrics(REPORTER, job.getJobID());
        try {
            // keyed by series, as a producer must: Kafka keeps order per partition, and the job needs each series in
            // order
            kafka.sendKeyed(config.get(JobConfig.TOPIC_SERIES), points, r -> Events.parse(r)
                    .get("series")
                    .asText());
            int examples = 3 * (perSeries - 2); // the first two points of a series have no lags before them
            Await.until(
                    "all points trained",
                    Duration.ofMinutes(1),
                    () -> metrics.longValue("model.load.examplesTrained") == examples,
                    () -> "examplesTrained=" + metrics.longValue("model.load.examplesTrained"));
            long version = metrics.longValue("model.load.modelVersion");
            ModelStore store = config.store();
            Await.until("the final version stored", TIMEOUT, () -> {
                try {
                    return store.versions("load").contains(version);
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            StoredModel model = store.read("load", version);
            dev.streamlearn.features.FeatureHasher hasher = new dev.streamlearn.features.FeatureHasher(20);
            double w1 = weightAt(model, hasher.numericIndex("lag1"));
            double w2 = weightAt(model, hasher.numericIndex("lag2"));
            // tolerance: the estimation error of 24,000 noisy AR(2) steps plus the online learner's last steps
            assertEquals(a1, w1, 0.05, "lag-1 coefficient");
            assertEquals(a2, w2, 0.05, "lag-2 coefficient");

            int forecastsExpected = 3 * (perSeries - 1);
            List<JsonNode> forecasts =
                    kafka.readAll(config.get(JobConfig.TOPIC_FORECASTS), forecastsExpected, TIMEOUT).stream()
                            .map(Events::parse)
                            .collect(Collectors.toList());
            assertEquals(forecastsExpected, forecasts.size());
            long firstVersion = forecasts.stream()
                    .mapToLong(f -> f.get("modelVersion").asLong())
                    .min()
                    .orElseThrow();
            long lastVersion = forecasts.stream()
                    .mapToLong(f -> f.get("modelVersion").asLong())
                    .max()
                    .orElseThrow();
            assertTrue(
                    lastVersion > firstVersion + 100,
                    "forecasts carry growing versions: " + firstVersion + ".." + lastVersion);
            double meanS1 = forecasts.stream()
                    .filter(f -> f.get("series").asText().equals("s1"))
                    .mapToDouble(f -> f.get("forecast").asDouble())
                    .average()
                    .orElseThrow();
            assertEquals(1000, meanS1, 10, "forecasts are in the series' own scale");
            // prequential, in each series' own scale: the model beats the naive forecast (here the last value)
            double modelRmse = metrics.sum("model.load.forecastRmse");
            double naiveRmse = metrics.sum("model.load.naiveRmse");
            assertTrue(modelRmse < naiveRmse, "forecast RMSE " + modelRmse + " vs naive " + naiveRmse);
            System.out.printf(
                    "IT series: %d points, v%d, lag weights %.3f and %.3f (true %.1f, %.1f), %d forecasts"
                            + " with versions %d..%d, windowed RMSE %.3f vs naive %.3f, MAPE %.4f vs %.4f%n",
                    points.size(),
                    version,
                    w1,
                    w2,
                    a1,
                    a2,
                    forecasts.size(),
                    firstVersion,
                    lastVersion,
                    modelRmse,
                    naiveRmse,
                    metrics.sum("model.load.forecastMape"),
                    metrics.sum("model.load.naiveMape"));
        } finally {
            job.cancel().get();
        }
    }

    private static double weightAt(StoredModel m, int coordinate) {
        int at = java.util.Arrays.binarySearch(m.state.coords, coordinate);
        return at >= 0 ? m.state.weights[at] : 0.0;
    }

    /** The events as the job's parser makes them examples. */
    private static List<Example> examples(JobConfig config, List<DatasetEvent> events) {
        EventParser parser = new EventParser(config.models(), 65536, "t");
        return events.stream().map(e -> parser.parseLabeled(e.json).value()).collect(Collectors.toList());
    }

    private static List<Long> storedVersions(ModelStore store) {
        try {
            return store.versions(MODEL);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> requests(int wave, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(bike.get((i * 97) % bike.size()).asRequest("q" + wave + "-" + i));
        }
        return out;
    }

    static List<JsonNode> readPredictions(JobConfig config, int expected) {
        List<String> raw = kafka.readAll(config.get(JobConfig.TOPIC_PREDICTIONS), expected, TIMEOUT);
        assertEquals(expected, raw.size(), "predictions in the topic");
        return raw.stream().map(Events::parse).collect(Collectors.toList());
    }

    /** Throws once, on the first record after it is armed, so the job restarts from its last checkpoint. */
    static final class FailOnceAfterCheckpoint implements MapFunction<SourceRecord, SourceRecord>, CheckpointListener {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean ARMED = new AtomicBoolean();
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicLong COMPLETED = new AtomicLong();

        static void reset() {
            ARMED.set(false);
            FAILED.set(false);
            COMPLETED.set(0);
        }

        @Override
        public SourceRecord map(SourceRecord value) {
            if (ARMED.get() && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure");
            }
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            COMPLETED.accumulateAndGet(checkpointId, Math::max); // the newest completed checkpoint id
        }
    }
}
