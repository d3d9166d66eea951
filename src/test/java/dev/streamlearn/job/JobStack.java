package dev.streamlearn.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.datasets.BikeSharingEvents;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.ingest.EventParser;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.records.Example;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.EmbeddedKafka;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.FlinkConf;
import dev.streamlearn.testing.JobMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.util.MiniClusterWithClientResource;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One KRaft Kafka broker and one Flink MiniCluster (the repository's flink-conf: RocksDB, checkpoints; metrics in
 * memory) for every job scenario in the test JVM: the first scenario that asks starts them, JUnit stops them when the
 * run ends. Each scenario keeps to its own topics (a prefix), its own state folder and its own job, so scenarios do
 * not see each other. The shared input is the UCI bike-sharing hours as a binary "busy hour" task.
 */
final class JobStack implements AutoCloseable {

    static final String MODEL = "bike";
    static final Duration TIMEOUT = Duration.ofMinutes(3);
    static final int TASK_MANAGERS = 2;
    static final int SLOTS_PER_TASK_MANAGER = 2;
    /** Where the MiniCluster's Prometheus reporter listens: the first free port of the range. */
    static final String PROMETHEUS_PORTS = "19249-19269";

    private static final String[] JOB_TOPICS = {
        "labeled", "requests", "control", "predictions", "dead-letter", "model-log", "outcomes"
    };

    final EmbeddedKafka kafka;
    final InMemoryReporter reporter;
    final List<DatasetEvent> bike;
    private final MiniClusterWithClientResource flink;
    private final Path dir;

    private JobStack(Path dir, EmbeddedKafka kafka, InMemoryReporter reporter, MiniClusterWithClientResource flink)
            throws IOException {
        this.dir = dir;
        this.kafka = kafka;
        this.reporter = reporter;
        this.flink = flink;
        this.bike = BikeSharingEvents.read(
                MODEL, Path.of("src/data/bike_sharing/hour.csv"), BikeSharingEvents.Label.BUSY_HOUR);
    }

    private static JobStack start() throws Exception {
        Path dir = Files.createTempDirectory("job-stack");
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
        InMemoryReporter reporter = InMemoryReporter.create();
        Configuration conf = reporter.addToConfiguration(new Configuration());
        // Prometheus' reporter as the containers run it (PrometheusMetricsIT scrapes it); it binds
        // every interface, with no option for a host: for the test run only, on a port of this range
        conf.set(
                ConfigOptions.key("metrics.reporter.prom.factory.class")
                        .stringType()
                        .noDefaultValue(),
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.set(ConfigOptions.key("metrics.reporter.prom.port").stringType().noDefaultValue(), PROMETHEUS_PORTS);
        // the REST API's metrics as fresh as flink-conf makes them on a cluster (the gateway and the tools read them)
        conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(1));
        MiniClusterWithClientResource flink =
                new MiniClusterWithClientResource(new MiniClusterResourceConfiguration.Builder()
                        .setConfiguration(conf)
                        // two TaskManagers: a job's tasks (a trainer and its inference, a broadcast's
                        // receivers) may be placed on either, as on a cluster
                        .setNumberTaskManagers(TASK_MANAGERS)
                        .setNumberSlotsPerTaskManager(SLOTS_PER_TASK_MANAGER)
                        .build());
        flink.before(); // also makes getExecutionEnvironment() submit to this cluster
        return new JobStack(dir, kafka, reporter, flink);
    }

    @Override
    public void close() throws Exception {
        try (EmbeddedKafka k = kafka) {
            flink.after();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A folder of the scenario's own under the stack's temporary folder. */
    Path dir(String name) {
        return dir.resolve(name);
    }

    ClusterClient<?> client() {
        return flink.getClusterClient();
    }

    /** The cluster's REST API, the one the web UI reads. */
    URI restAddress() {
        return flink.getRestAddress();
    }

    /** The job's options on topics of its own ({@code prefix} + the default name), learning {@link #MODEL}. */
    JobConfig config(String prefix, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--kafka.bootstrap-servers",
                kafka.bootstrapServers(),
                "--kafka.group-id",
                prefix + "job",
                "--models",
                MODEL,
                "--batch.size",
                "50",
                "--batch.millis",
                "100",
                "--update.full-every",
                "20"));
        args.addAll(topics(prefix, JOB_TOPICS));
        // the scenario's own options replace these defaults, as a restore's replace the last submission's
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.size(); i += 2) {
            options.put(args.get(i).substring(2), args.get(i + 1));
        }
        for (int i = 0; i + 1 < extra.length; i += 2) {
            options.put(extra[i].substring(2), extra[i + 1]);
        }
        return JobConfig.fromMap(options);
    }

    /** Creates {@code prefix + name} for each name with two partitions; returns the options that point the job at them. */
    List<String> topics(String prefix, String... names) throws Exception {
        List<String> args = new ArrayList<>();
        for (String name : names) {
            kafka.createTopics(2, prefix + name);
            args.add("--topic." + name);
            args.add(prefix + name);
        }
        return args;
    }

    /** An environment on the shared cluster, checkpointing every 300 ms into the scenario's folder. */
    StreamExecutionEnvironment env(String name) {
        return env(FlinkConf.load(dir(name), Duration.ofMillis(300)));
    }

    StreamExecutionEnvironment env(Configuration conf) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    /** Waits until the job runs; a job that fails on the way (a state it cannot restore) fails the test with why. */
    static void awaitRunning(JobClient job) {
        Await.until("the job running", TIMEOUT, () -> {
            JobStatus status = job.getJobStatus().join();
            if (status.isGloballyTerminalState()) {
                Throwable why;
                try {
                    job.getJobExecutionResult().join();
                    why = null;
                } catch (CompletionException e) {
                    why = e.getCause();
                }
                throw new AssertionError("the job ended " + status + " instead of running", why);
            }
            return status == JobStatus.RUNNING;
        });
    }

    /**
     * Stops the job with a canonical savepoint into the scenario folder {@code dirName} and returns its path. It first
     * waits for every task to run: Flink refuses a savepoint while any task is not running, as after a task's restart.
     * A job that restarted on the way is reported with its last failure, so a test log says why.
     */
    String stopWithSavepoint(JobClient job, String dirName) throws Exception {
        Await.until(
                "every task of the job running",
                TIMEOUT,
                () -> notRunning(job).isEmpty(),
                () -> "not running: " + notRunning(job));
        AccessExecutionGraph graph =
                flink.getMiniCluster().getExecutionGraph(job.getJobID()).get();
        if (graph.getFailureInfo() != null) {
            System.out.println("IT note: the job restarted before its savepoint, last failure: "
                    + graph.getFailureInfo().getExceptionAsString());
        }
        return client().stopWithSavepoint(
                        job.getJobID(), false, dir(dirName).toUri().toString(), SavepointFormatType.CANONICAL)
                .get();
    }

    /** The TaskManagers the subtasks of the job's vertex named {@code vertexName} are placed on, one per placed subtask. */
    List<String> placement(JobClient job, String vertexName) {
        List<String> where = new ArrayList<>();
        for (AccessExecutionVertex task :
                flink.getMiniCluster().getExecutionGraph(job.getJobID()).join().getAllExecutionVertices()) {
            if (task.getTaskNameWithSubtaskIndex().startsWith(vertexName)
                    && task.getCurrentAssignedResourceLocation() != null) {
                where.add(task.getCurrentAssignedResourceLocation()
                        .getResourceID()
                        .toString());
            }
        }
        return where;
    }

    private List<String> notRunning(JobClient job) {
        List<String> tasks = new ArrayList<>();
        for (AccessExecutionVertex task :
                flink.getMiniCluster().getExecutionGraph(job.getJobID()).join().getAllExecutionVertices()) {
            if (task.getExecutionState() != ExecutionState.RUNNING) {
                tasks.add(task.getTaskNameWithSubtaskIndex() + " " + task.getExecutionState());
            }
        }
        return tasks;
    }

    /** Cancels a job that has not ended by itself, so a failure of the job is not hidden by its cancel. */
    static void cancelIfRunning(JobClient job) throws Exception {
        if (!job.getJobStatus().get().isGloballyTerminalState()) {
            job.cancel().get();
        }
    }

    /** Sends one request and returns the job's prediction for it, found by its id. */
    JsonNode predict(JobConfig config, DatasetEvent event, String id) {
        kafka.send(config.topic(Topic.REQUESTS), List.of(event.asRequest(id)));
        List<JsonNode> found = new ArrayList<>();
        Await.until("the prediction for " + id, TIMEOUT, () -> {
            found.clear();
            kafka.readAll(config.topic(Topic.PREDICTIONS), Integer.MAX_VALUE, Duration.ofMillis(300)).stream()
                    .map(Events::parse)
                    .filter(p -> p.get("id").asText().equals(id))
                    .forEach(found::add);
            return !found.isEmpty();
        });
        return found.get(0);
    }

    JobMetrics metrics(JobClient job) {
        return new JobMetrics(reporter, job.getJobID());
    }

    /** A job of a scenario, on the shared cluster; closing it cancels it unless it ended by itself. */
    static final class Running implements AutoCloseable {
        final JobClient job;
        final JobMetrics metrics;

        Running(JobClient job, JobMetrics metrics) {
            this.job = job;
            this.metrics = metrics;
        }

        /** A model's metric ({@code model.<id>.<name>}) summed over the subtasks. */
        long model(String modelId, String name) {
            return metrics.longValue(dev.streamlearn.metrics.MetricNames.ofModel(modelId, name));
        }

        @Override
        public void close() throws Exception {
            cancelIfRunning(job);
        }
    }

    /** Runs the job as {@code flink run} would, from Kafka to Kafka, in the scenario's folder {@code name}. */
    Running run(String name, JobConfig config) throws Exception {
        return run(name, config, 2);
    }

    Running run(String name, JobConfig config, int parallelism) throws Exception {
        StreamExecutionEnvironment env = env(name);
        env.setParallelism(parallelism);
        LearningJob.attachToKafka(env, config);
        JobClient job = env.executeAsync(name);
        return new Running(job, metrics(job));
    }

    List<JsonNode> readPredictions(JobConfig config, int expected) {
        List<String> raw = kafka.readAll(config.topic(Topic.PREDICTIONS), expected, TIMEOUT);
        assertEquals(expected, raw.size(), "predictions in the topic");
        return raw.stream().map(Events::parse).collect(Collectors.toList());
    }

    /** {@code count} prediction requests for bike hours spread over the year, ids {@code q<wave>-<i>}. */
    List<String> requests(int wave, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(bike.get((i * 97) % bike.size()).asRequest("q" + wave + "-" + i));
        }
        return out;
    }

    /** The events as the job's parser makes them examples. */
    static List<Example> examples(JobConfig config, List<DatasetEvent> events) {
        EventParser parser = new EventParser(config.models(), config.inputLimits(), "t");
        return events.stream().map(e -> parser.parseLabeled(e.json).value()).collect(Collectors.toList());
    }

    /**
     * How many events of {@link #MODEL}'s topic (read from its start) the stored {@code version}
     * was trained through, or -1 while it is not in the store. The version a metric shows when the
     * last example is counted may not hold it yet: that example can still be in an open batch,
     * which the batch timer makes a version later.
     */
    static long trainedThrough(ModelStore store, long version) {
        try {
            if (!storedVersions(store, MODEL).contains(version)) {
                return -1;
            }
            return Arrays.stream(store.read(MODEL, version).offsetsThrough)
                    .map(o -> o + 1)
                    .sum();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Waits until {@link #MODEL}'s version equals its applied batches. The two metrics are read apart and
     * the last, partial batch becomes a version on its timer after its examples count as trained, so they
     * agree once that has happened; a version lost or repeated keeps them apart until the timeout.
     */
    static void awaitOneVersionPerBatch(JobMetrics metrics) {
        String version = MetricNames.ofModel(MODEL, MetricNames.MODEL_VERSION);
        String batches = MetricNames.ofModel(MODEL, MetricNames.BATCHES_APPLIED);
        Await.until(
                "one version per applied batch, none lost or repeated in the model's state",
                TIMEOUT,
                () -> metrics.longValue(version) == metrics.longValue(batches),
                () -> "version " + metrics.longValue(version) + ", batches " + metrics.longValue(batches));
    }

    static List<Long> storedVersions(ModelStore store, String model) {
        try {
            return store.versions(model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Gives a scenario's constructor the shared stack. */
    static final class Shared implements ParameterResolver {
        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(JobStack.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == JobStack.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            // the root context's store outlives every test class and closes what it holds at the end of the run
            return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(JobStack.class, k -> {
                try {
                    return start();
                } catch (Exception e) {
                    throw new IllegalStateException("could not start the shared Kafka broker and Flink cluster", e);
                }
            });
        }
    }
}
