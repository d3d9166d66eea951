package dev.streamlearn.job;

import static dev.streamlearn.job.JobStack.MODEL;
import static dev.streamlearn.job.JobStack.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.ingest.SourceRecord;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.CollectingSink;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.JobMetrics;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A failure after a checkpoint: the job restarts from it and trains every event exactly once into the model. */
@ExtendWith(JobStack.Shared.class)
class RecoveryIT {

    private final JobStack stack;

    RecoveryIT(JobStack stack) {
        this.stack = stack;
    }

    @Test
    void recoversFromAFailureWithoutLosingOrRepeatingTraining() throws Exception {
        List<DatasetEvent> bike = stack.bike;
        JobConfig config = stack.config(
                "recover-", "--store.path", stack.dir("recover-store").toUri().toString(), "--store.interval", "0");
        StreamExecutionEnvironment env = stack.env("recover");
        JobTopology.Sources in = LearningJob.kafkaSources(env, config);
        DataStream<SourceRecord> labeled = in.labeled()
                .map(new FailOnceAfterCheckpoint())
                .returns(SourceRecord.class)
                .uid("test-failure-injection")
                .name("failure injection");
        JobTopology.Outputs outputs =
                JobTopology.build(config, in.withLabeled(labeled), LearningJob.kafkaSinks(config));
        CollectingSink<ModelUpdate> updates = new CollectingSink<>("recover-updates");
        outputs.modelUpdates().sinkTo(updates).uid("test-collect-updates").name("collect updates");
        FailOnceAfterCheckpoint.reset();
        JobClient job = env.executeAsync("recovery-it");
        JobMetrics metrics = stack.metrics(job);
        String trained = MetricNames.ofModel(MODEL, MetricNames.EXAMPLES_TRAINED);
        try {
            int half = bike.size() / 2;
            stack.kafka.send(config.topic(Topic.LABELED), Events.json(bike.subList(0, half)));
            Await.until("first half trained", TIMEOUT, () -> metrics.longValue(trained) == half);
            // the last of them may still be in an open batch, which the batch timer makes a version later
            ModelStore store = config.store();
            String version = MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION);
            Await.until(
                    "the store holds the current version, trained through the first half",
                    TIMEOUT,
                    () -> JobStack.trainedThrough(store, metrics.longValue(version)) == half);
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

            stack.kafka.send(config.topic(Topic.LABELED), Events.json(bike.subList(half, bike.size())));
            Await.until(
                    "all trained after recovery",
                    TIMEOUT,
                    () -> metrics.longValue(trained) == bike.size(),
                    () -> "examplesTrained=" + metrics.longValue(trained));
            assertTrue(FailOnceAfterCheckpoint.FAILED.get(), "the failure was injected");
            assertTrue(metrics.longValue("numRestarts") >= 1, "the job restarted");

            List<ModelUpdate> all = updates.collected();
            // the first update after the restart is a full one, based on the version of the checkpoint it
            // restored: the one after the first half, or a later one that completed before the failure
            // (the other subtask of the failing map may pass records of the second half until then)
            int restart = indexOfFirstFullAfter(all, versionAtCheckpoint);
            assertTrue(restart > 0, "a full update after v" + versionAtCheckpoint + " (a restore) in " + all.size());
            ModelUpdate firstAfterRestore = all.get(restart);
            assertEquals(firstAfterRestore.baseVersion + 1, firstAfterRestore.version);
            assertTrue(
                    all.subList(0, restart).stream().anyMatch(u -> u.version == firstAfterRestore.baseVersion),
                    "the restored v" + firstAfterRestore.baseVersion + " is one the job had made before the failure");
            JobStack.awaitOneVersionPerBatch(metrics);
            long finalVersion = metrics.longValue(version);
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

    /** Where the first full update at or after {@code version} is in {@code updates}; -1 when there is none. */
    private static int indexOfFirstFullAfter(List<ModelUpdate> updates, long version) {
        for (int i = 0; i < updates.size(); i++) {
            if (updates.get(i).full && updates.get(i).baseVersion >= version) {
                return i;
            }
        }
        return -1;
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
