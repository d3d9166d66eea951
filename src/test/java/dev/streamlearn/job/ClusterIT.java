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
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The job on every slot of the shared cluster's two TaskManagers (parallelism 4): model updates
 * are broadcast to the inference subtasks of both, and a savepoint rescales the job 4 → 2 → 4
 * with its model, its versions continuing and every inference subtask serving the newest.
 */
@ExtendWith(JobStack.Shared.class)
class ClusterIT {

    private static final int WIDE = JobStack.TASK_MANAGERS * JobStack.SLOTS_PER_TASK_MANAGER;
    private static final int PART = 2000;
    private static final String VERSION = MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION);
    private static final String TRAINED = MetricNames.ofModel(MODEL, MetricNames.EXAMPLES_TRAINED);
    private static final String SERVED_VERSION = MetricNames.ofModel(MODEL, MetricNames.SERVED_VERSION);

    private final JobStack stack;
    private final List<JobClient> submitted = new ArrayList<>();

    ClusterIT(JobStack stack) {
        this.stack = stack;
    }

    @Test
    void broadcastReachesEveryInferenceSubtaskOnBothTaskManagersAcrossRescales() throws Exception {
        JobConfig config = stack.config("cluster-");
        try {
            JobClient job = submit(config, WIDE, null);
            Await.until(
                    "inference placed on both TaskManagers",
                    TIMEOUT,
                    () -> stack.placement(job, Operators.INFERENCE_NAME).size() == WIDE,
                    () -> "placed: " + stack.placement(job, Operators.INFERENCE_NAME));
            assertEquals(
                    JobStack.TASK_MANAGERS,
                    new HashSet<>(stack.placement(job, Operators.INFERENCE_NAME)).size(),
                    "inference runs on both TaskManagers");
            long wide = train(job, config, 0, WIDE);

            String savepoint = stack.stopWithSavepoint(job, "cluster-savepoint-1");
            JobClient narrow = submit(config, WIDE / 2, savepoint);
            long versionNarrow = train(narrow, config, 1, WIDE / 2);
            assertTrue(
                    versionNarrow > wide,
                    "versions continue after the rescale to 2: " + wide + " then " + versionNarrow);

            String again = stack.stopWithSavepoint(narrow, "cluster-savepoint-2");
            JobClient wideAgain = submit(config, WIDE, again);
            long versionWide = train(wideAgain, config, 2, WIDE);
            assertTrue(versionWide > versionNarrow, "and after the rescale to 4: " + versionWide);
            JsonNode probe = stack.predict(config, stack.bike.get(321), "cluster-probe");
            assertEquals(
                    stack.metrics(wideAgain).longValue(VERSION),
                    probe.get("modelVersion").asLong(),
                    "served with the newest version");
        } finally {
            // the job takes every slot of the shared cluster: no test after this one could run beside it
            for (JobClient job : submitted) {
                JobStack.cancelIfRunning(job);
            }
        }
        Set<Long> versions = new HashSet<>();
        stack.kafka.readAll(config.topic(Topic.MODEL_LOG), Integer.MAX_VALUE, Duration.ofSeconds(2)).stream()
                .map(Events::parse)
                .filter(l -> l.get("event").asText().equals("stored"))
                .forEach(l -> assertTrue(versions.add(l.get("version").asLong()), "no version stored twice: " + l));
    }

    private JobClient submit(JobConfig config, int parallelism, String savepoint) throws Exception {
        Configuration conf = FlinkConf.load(stack.dir("cluster"), Duration.ofMillis(300));
        if (savepoint != null) {
            conf.setString("execution.state-recovery.path", savepoint);
        }
        StreamExecutionEnvironment env = stack.env(conf);
        env.setParallelism(parallelism);
        LearningJob.attachToKafka(env, config);
        JobClient job = env.executeAsync("cluster-it-p" + parallelism);
        submitted.add(job);
        JobStack.awaitRunning(job);
        return job;
    }

    /**
     * Trains the job on part {@code part} of the bike events; returns the version the trainer
     * reached, once every inference subtask serves it.
     */
    private long train(JobClient job, JobConfig config, int part, int inferenceSubtasks) {
        JobMetrics metrics = stack.metrics(job);
        List<String> events = Events.json(stack.bike.subList(part * PART, (part + 1) * PART));
        stack.kafka.send(config.topic(Topic.LABELED), events);
        Await.until(
                "part " + part + " trained",
                TIMEOUT,
                () -> metrics.longValue(TRAINED) == (part + 1L) * PART,
                () -> "trained " + metrics.longValue(TRAINED));
        // the trainer's version as of each poll: a batch closed by time or a promotion may still add one
        long[] version = {-1};
        Await.until(
                "every inference subtask serves the trainer's version",
                TIMEOUT,
                () -> {
                    version[0] = metrics.longValue(VERSION);
                    List<Double> served = metrics.values(SERVED_VERSION);
                    return served.size() == inferenceSubtasks && served.stream().allMatch(v -> v == version[0]);
                },
                () -> "trainer v" + version[0] + ", served versions " + metrics.values(SERVED_VERSION));
        return version[0];
    }
}
