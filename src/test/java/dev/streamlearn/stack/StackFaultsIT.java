package dev.streamlearn.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.testing.Await;
import dev.streamlearn.tools.ClusterMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Process faults on the local stack, healed with the scripts alone: a TaskManager killed three
 * times during a replay (scripts/up starts a new one, the job recovers from its checkpoint), the
 * Kafka broker killed and started again, the JobManager killed (scripts/up, then scripts/restore
 * --latest). The model trains every event exactly once through all of it.
 */
class StackFaultsIT {

    private static final Map<String, String> ENV = Scripts.env("faults-stack", 100);
    private static final String UI = "http://127.0.0.1:" + ENV.get("UI_PORT");
    private static final String BOOTSTRAP = "127.0.0.1:" + ENV.get("KAFKA_PORT");
    private static final Duration HEAL = Duration.ofSeconds(60);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String TRAINED = "model.bike.examplesTrained";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A stack left by an earlier run (its Kafka topics, checkpoints, models) would change what is counted here. */
    @BeforeAll
    static void fresh() throws Exception {
        Scripts.run(ENV, "down", "--wipe");
    }

    @AfterAll
    static void down() throws Exception {
        Scripts.run(ENV, "down"); // its logs stay in target/faults-stack/log for a failure's diagnosis
    }

    @Test
    void killedProcessesAreHealedByTheScriptsWithoutLosingOrRepeatingAnEvent() throws Exception {
        Scripts.Result up = Scripts.run(ENV, "up");
        assertEquals(0, up.exit, up.toString());
        Scripts.Result submit =
                Scripts.run(ENV, "submit", "--models", "bike", "--batch.size", "50", "--store.interval", "500");
        assertEquals(0, submit.exit, submit.toString());
        String job = submit.lastLine();
        ClusterMetrics rest = new ClusterMetrics(UI);

        // 9,000 events at 75 a second: two minutes, with the TaskManager killed three times along the way
        Process replay = replay(0, 9000, 75);
        List<Long> healSeconds = new ArrayList<>();
        for (int kill = 0; kill < 3; kill++) {
            Await.until("events flowing", TIMEOUT, () -> Scripts.metric(rest, job, TRAINED) > 0);
            long jobManager = pid("jobmanager");
            long kafka = pid("kafka");
            killHard(pid("taskmanager"));
            Await.until("the job notices", HEAL, () -> statusExit() == 4, StackFaultsIT::lastStatus);
            Scripts.Result status = Scripts.run(ENV, "status");
            assertTrue(status.out.contains("no TaskManager is registered"), status.toString());
            long start = System.nanoTime();
            Scripts.Result heal = Scripts.run(ENV, "up");
            assertEquals(0, heal.exit, heal.toString());
            assertTrue(heal.err.contains("Starting a new TaskManager"), heal.err);
            assertEquals(jobManager, pid("jobmanager"), "the JobManager was left running");
            assertEquals(kafka, pid("kafka"), "the broker was left running");
            Await.until("every task runs again", HEAL, () -> statusExit() == 0, StackFaultsIT::lastStatus);
            healSeconds.add(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
            Thread.sleep(
                    3000); // let some events through before the next kill: pacing the faults, not waiting on the job
        }
        assertEquals(0, replay.waitFor(), Files.readString(Path.of("target", "e2e-replay-bg.out")));
        Await.until(
                "9000 examples trained",
                TIMEOUT,
                () -> Scripts.metric(rest, job, TRAINED) == 9000,
                () -> TRAINED + "=" + Scripts.metric(rest, job, TRAINED));

        // the broker killed between replays: started again alone, the job keeps running
        killHard(pid("kafka"));
        Scripts.Result kafkaBack = Scripts.run(ENV, "up");
        assertEquals(0, kafkaBack.exit, kafkaBack.toString());
        assertTrue(kafkaBack.err.contains("Starting Kafka"), kafkaBack.err);
        assertEquals(0, replay(9000, 1000, 0).waitFor());
        Await.until(
                "10000 examples trained",
                TIMEOUT,
                () -> Scripts.metric(rest, job, TRAINED) == 10000,
                () -> TRAINED + "=" + Scripts.metric(rest, job, TRAINED));

        // the JobManager killed: its job is gone (no HA); up starts a cluster, restore --latest brings the job back
        killHard(pid("jobmanager"));
        Scripts.Result clusterBack = Scripts.run(ENV, "up");
        assertEquals(0, clusterBack.exit, clusterBack.toString());
        Scripts.Result none = Scripts.run(ENV, "status");
        assertEquals(3, none.exit, none.toString());
        assertTrue(none.err.contains("scripts/restore --latest"), none.err);
        Scripts.Result restore = Scripts.run(ENV, "restore", "--latest");
        assertEquals(0, restore.exit, restore.toString());
        String restored = restore.lastLine();
        assertEquals(0, replay(10000, 1000, 0).waitFor());
        Await.until(
                "every event once, across the faults and the restore",
                TIMEOUT,
                () -> Scripts.metric(rest, restored, TRAINED) == 11000,
                () -> TRAINED + "=" + Scripts.metric(rest, restored, TRAINED));

        List<Long> versions = committedStoredVersions();
        for (int i = 1; i < versions.size(); i++) {
            assertTrue(versions.get(i) > versions.get(i - 1), "versions never repeat: " + versions);
        }
        System.out.printf(
                "IT faults: 3 TaskManager kills healed by scripts/up in %s s, a broker kill and a JobManager kill"
                        + " (restore --latest); 11000 of 11000 events trained once; %d committed versions in order%n",
                healSeconds, versions.size());
    }

    private static String lastStatus() {
        try {
            return "\nlast status: " + Files.readString(Path.of("target", "e2e-status.out"))
                    + Files.readString(Path.of("target", "e2e-status.err"));
        } catch (IOException e) {
            return e.toString();
        }
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

    private static Process replay(int skip, int limit, int rate) throws IOException {
        return Scripts.start(ENV, "replay", Scripts.bikeReplay(skip, limit, "--rate", String.valueOf(rate)));
    }

    private static long pid(String process) throws IOException {
        return Long.parseLong(Files.readString(Path.of(ENV.get("STACK_DIR"), "pid", process + ".pid"))
                .strip());
    }

    private static void killHard(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        Await.until("process " + pid + " gone", HEAL, () -> ProcessHandle.of(pid)
                .map(p -> !p.isAlive())
                .orElse(true));
    }

    /** The versions of the committed "stored" lines of the model log, in log order. */
    private static List<Long> committedStoredVersions() throws IOException {
        Properties p = new Properties();
        p.put("bootstrap.servers", BOOTSTRAP);
        p.put("group.id", "faults-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        List<Long> versions = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of("model-log"));
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(5)) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    quietSince = System.nanoTime();
                    JsonNode line = JSON.readTree(r.value());
                    if ("stored".equals(line.path("event").asText())) {
                        versions.add(line.path("version").asLong());
                    }
                }
            }
        }
        return versions;
    }
}
