package dev.streamlearn.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.datasets.BikeSharingEvents;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.CollectingSink;
import dev.streamlearn.testing.EmbeddedKafka;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.FlinkConf;
import dev.streamlearn.testing.JobMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
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

    private static final String MODEL = "bike";
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final InMemoryReporter REPORTER = InMemoryReporter.create();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    @TempDir
    static Path tmp;
    private static EmbeddedKafka kafka;
    private static List<DatasetEvent> bike;

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start(tmp.resolve("kafka"));
        bike = BikeSharingEvents.read(MODEL, Path.of("src/data/bike_sharing/hour.csv"),
                BikeSharingEvents.Label.BUSY_HOUR);
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static JobConfig config(String prefix) throws Exception {
        String[] topics = {"labeled", "requests", "control", "predictions", "dead-letter", "model-log"};
        for (String t : topics) {
            kafka.createTopics(2, prefix + t);
        }
        return JobConfig.fromArgs("--kafka.bootstrap-servers", kafka.bootstrapServers(),
                "--kafka.group-id", prefix + "job", "--models", MODEL,
                "--topic.labeled", prefix + "labeled", "--topic.requests", prefix + "requests",
                "--topic.control", prefix + "control", "--topic.predictions", prefix + "predictions",
                "--topic.dead-letter", prefix + "dead-letter", "--topic.model-log", prefix + "model-log",
                "--batch.size", "50", "--batch.millis", "100", "--update.full-every", "20");
    }

    private static StreamExecutionEnvironment env(String name) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                FlinkConf.load(tmp.resolve(name), Duration.ofMillis(300)));
        env.setParallelism(2);
        return env;
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

            Await.until("first half trained", TIMEOUT,
                    () -> metrics.longValue("model." + MODEL + ".examplesTrained") == half,
                    () -> "examplesTrained=" + metrics.longValue("model." + MODEL + ".examplesTrained"));
            List<String> wave1 = requests(0, 100);
            kafka.send(config.get(JobConfig.TOPIC_REQUESTS), wave1);
            List<JsonNode> predictions1 = readPredictions(config, wave1.size());
            long versionAfterFirstHalf = metrics.longValue("model." + MODEL + ".modelVersion");

            kafka.send(config.get(JobConfig.TOPIC_LABELED), Events.json(bike.subList(half, bike.size())));
            Await.until("all trained", TIMEOUT,
                    () -> metrics.longValue("model." + MODEL + ".examplesTrained") == bike.size());
            List<String> wave2 = requests(1, 100);
            kafka.send(config.get(JobConfig.TOPIC_REQUESTS), wave2);
            List<JsonNode> all = readPredictions(config, wave1.size() + wave2.size());
            List<JsonNode> predictions2 = all.stream().filter(p -> p.get("id").asText().startsWith("q1-"))
                    .collect(Collectors.toList());

            // predictions arrive for every request, tagged with growing versions
            assertEquals(wave1.size(), predictions1.size());
            assertEquals(wave2.size(), predictions2.size());
            long maxVersion1 = predictions1.stream().mapToLong(p -> p.get("modelVersion").asLong()).max().orElseThrow();
            long minVersion1 = predictions1.stream().mapToLong(p -> p.get("modelVersion").asLong()).min().orElseThrow();
            long minVersion2 = predictions2.stream().mapToLong(p -> p.get("modelVersion").asLong()).min().orElseThrow();
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
            assertEquals(metrics.longValue("model." + MODEL + ".batchesApplied"),
                    metrics.longValue("model." + MODEL + ".modelVersion"), "one version per applied batch");

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
            System.out.printf("IT learn: %d events, %d batches, version %d, logLossTotal %.4f vs base rate %.4f,"
                            + " auc %.3f, %d predictions, %d dead letters%n", bike.size(),
                    metrics.longValue("model." + MODEL + ".batchesApplied"),
                    metrics.longValue("model." + MODEL + ".modelVersion"), logLoss, baseRate,
                    metrics.sum("model." + MODEL + ".auc"), all.size(), dead.size());
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void recoversFromAFailureWithoutLosingOrRepeatingTraining() throws Exception {
        JobConfig config = config("recover-");
        StreamExecutionEnvironment env = env("recover");
        LearningJob.KafkaInputs in = LearningJob.readFromKafka(env, config);
        DataStream<String> labeled = in.labeled.map(new FailOnceAfterCheckpoint()).returns(Types.STRING)
                .uid("test-failure-injection").name("failure injection");
        JobTopology.Outputs outputs = JobTopology.build(config, labeled, in.requests, in.control);
        outputs.writeTo(LearningJob.sink(config, JobConfig.TOPIC_PREDICTIONS),
                LearningJob.sink(config, JobConfig.TOPIC_DEAD_LETTER), LearningJob.modelLogSink(config),
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
            // a checkpoint taken after the first half: the failure comes after it
            long checkpointsBefore = FailOnceAfterCheckpoint.COMPLETED.get();
            Await.until("a checkpoint after the first half", TIMEOUT,
                    () -> FailOnceAfterCheckpoint.COMPLETED.get() >= checkpointsBefore + 2);
            long versionAtCheckpoint = updates.collected().get(updates.collected().size() - 1).version;
            FailOnceAfterCheckpoint.ARMED.set(true);

            kafka.send(config.get(JobConfig.TOPIC_LABELED), Events.json(bike.subList(half, bike.size())));
            Await.until("all trained after recovery", TIMEOUT, () -> metrics.longValue(trained) == bike.size(),
                    () -> "examplesTrained=" + metrics.longValue(trained));
            assertTrue(FailOnceAfterCheckpoint.FAILED.get(), "the failure was injected");
            assertTrue(metrics.longValue("numRestarts") >= 1, "the job restarted");

            List<ModelUpdate> all = updates.collected();
            // the first update after the restart is a full one, based on the checkpointed version
            ModelUpdate firstAfterRestore = all.stream().filter(u -> u.full && u.version > 1)
                    .filter(u -> u.baseVersion == versionAtCheckpoint).findFirst().orElseThrow(
                            () -> new AssertionError("no full update based on v" + versionAtCheckpoint));
            assertEquals(versionAtCheckpoint + 1, firstAfterRestore.version);
            long finalVersion = metrics.longValue("model." + MODEL + ".modelVersion");
            assertEquals(finalVersion, metrics.longValue("model." + MODEL + ".batchesApplied"),
                    "one version per applied batch, none lost or repeated in the model's state");
            assertEquals(bike.size(), metrics.longValue(trained), "every labeled event trained exactly once");
            System.out.printf("IT recover: checkpointed v%d, restarts %d, final v%d, examplesTrained %d of %d%n",
                    versionAtCheckpoint, metrics.longValue("numRestarts"), finalVersion, metrics.longValue(trained),
                    bike.size());
        } finally {
            job.cancel().get();
        }
    }

    private static List<String> requests(int wave, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(bike.get((i * 97) % bike.size()).asRequest("q" + wave + "-" + i));
        }
        return out;
    }

    private static List<JsonNode> readPredictions(JobConfig config, int expected) {
        List<String> raw = kafka.readAll(config.get(JobConfig.TOPIC_PREDICTIONS), expected, TIMEOUT);
        assertEquals(expected, raw.size(), "predictions in the topic");
        return raw.stream().map(Events::parse).collect(Collectors.toList());
    }

    /** Throws once, on the first record after it is armed, so the job restarts from its last checkpoint. */
    static final class FailOnceAfterCheckpoint implements MapFunction<String, String>, CheckpointListener {
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
        public String map(String value) {
            if (ARMED.get() && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure");
            }
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            COMPLETED.incrementAndGet();
        }
    }
}
