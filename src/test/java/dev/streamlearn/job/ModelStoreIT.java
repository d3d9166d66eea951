package dev.streamlearn.job;

import static dev.streamlearn.job.JobStack.MODEL;
import static dev.streamlearn.job.JobStack.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.model.ModelFile;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.JobMetrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The model store: only checkpoint-committed versions, thinned by retention, each file self-contained. */
@ExtendWith(JobStack.Shared.class)
class ModelStoreIT {

    private static final int KEEP_LAST = 4;
    private static final int KEEP_EVERY = 40;

    private final JobStack stack;

    ModelStoreIT(JobStack stack) {
        this.stack = stack;
    }

    @Test
    void keepsOnlyCommittedVersionsAfterRetentionEachNamingTheInputItWasTrainedThrough() throws Exception {
        List<DatasetEvent> bike = stack.bike;
        Path storeDir = stack.dir("store");
        JobConfig config = stack.config(
                "store-",
                "--store.path",
                storeDir.toUri().toString(),
                "--store.interval",
                "0",
                "--store.keep-last",
                Integer.toString(KEEP_LAST),
                "--store.keep-every",
                Integer.toString(KEEP_EVERY));
        ModelStore store = config.store();
        try (JobStack.Running running = stack.run("store", config)) {
            JobMetrics metrics = running.metrics;
            stack.kafka.send(config.topic(Topic.LABELED), Events.json(bike));
            Await.until(
                    "all trained",
                    TIMEOUT,
                    () -> metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.EXAMPLES_TRAINED)) == bike.size());
            // the last examples may still be in an open batch, which the batch timer makes a version
            Await.until(
                    "the store holds the current version, trained through every event",
                    TIMEOUT,
                    () -> JobStack.trainedThrough(
                                    store, metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION)))
                            == bike.size());
            long finalVersion = metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION));

            // each stored version has a committed "stored" line in the model log: its checkpoint completed
            List<Long> inStore = JobStack.storedVersions(store, MODEL);
            List<Long> logged = stack
                    .kafka
                    .readAll(config.topic(Topic.MODEL_LOG), Integer.MAX_VALUE, Duration.ofSeconds(5), true)
                    .stream()
                    .map(Events::parse)
                    .filter(e -> e.has("path"))
                    .map(e -> e.get("version").asLong())
                    .collect(Collectors.toList());
            assertTrue(logged.containsAll(inStore), "stored " + inStore + " but committed " + logged);

            // retention: the newest KEEP_LAST, and the oldest of each block of KEEP_EVERY versions
            assertTrue(inStore.size() <= KEEP_LAST + (finalVersion / KEEP_EVERY + 1), "retention: " + inStore);
            List<Long> newest = inStore.subList(inStore.size() - KEEP_LAST, inStore.size());
            for (long v : inStore) {
                long oldestOfBlock = inStore.stream()
                        .filter(o -> o / KEEP_EVERY == v / KEEP_EVERY)
                        .min(Long::compare)
                        .orElseThrow();
                assertTrue(
                        newest.contains(v) || oldestOfBlock == v, "v" + v + " should have been removed by retention");
            }

            // the final version names the input it was trained through: every labeled event, once
            StoredModel finalModel = store.read(MODEL, finalVersion);
            assertEquals(
                    bike.size(),
                    Arrays.stream(finalModel.offsetsThrough).map(o -> o + 1).sum(),
                    Arrays.toString(finalModel.offsetsThrough));

            // a stored file round-trips bit for bit, and loads with no Flink on the class path
            Path file = storeDir.resolve(MODEL).resolve(ModelFile.fileName(finalVersion));
            byte[] bytes = Files.readAllBytes(file);
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            ModelFile.write(ModelFile.read(new ByteArrayInputStream(bytes)), again);
            assertArrayEquals(bytes, again.toByteArray(), "round trip changed the file");
            Process plain = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "-cp",
                            "target/classes",
                            ModelFile.class.getName(),
                            file.toString())
                    .redirectErrorStream(true)
                    .start();
            String printed = new String(plain.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, plain.waitFor(), printed);
            assertTrue(printed.startsWith("model bike version " + finalVersion), printed);
            System.out.printf("IT store: final v%d, store %s%n", finalVersion, inStore);
        }
    }
}
