package dev.streamlearn.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.datasets.ClickStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The three steps of scripts/bench-throughput that are not Flink's command line: fill the bench
 * topics with a generated click stream, measure how fast a running job gets through them (from
 * its REST metrics), and summarize the runs as min/median/max with ratios taken within each run.
 */
@Command(
        name = "scripts/bench-throughput",
        mixinStandardHelpOptions = true,
        subcommands = {
            ThroughputBench.Preload.class,
            ThroughputBench.Measure.class,
            ThroughputBench.FirstEvents.class,
            ThroughputBench.Report.class
        },
        description = "Steps of the throughput benchmark (the script runs them; see scripts/bench-throughput --help).")
public final class ThroughputBench implements Callable<Integer> {

    public static void main(String[] args) {
        Tool.exit(new ThroughputBench(), args);
    }

    @Override
    public Integer call() {
        throw new IllegalArgumentException("name a step: preload, measure, first-events or report");
    }

    @Command(
            name = "preload",
            mixinStandardHelpOptions = true,
            description = "Recreates the bench topics and fills them.")
    static final class Preload implements Callable<Integer> {
        @Mixin
        KafkaClientOptions kafka;

        @Option(names = "--labeled-topic", required = true, paramLabel = "TOPIC")
        String labeledTopic;

        @Option(names = "--requests-topic", required = true, paramLabel = "TOPIC")
        String requestsTopic;

        @Option(
                names = "--empty-topic",
                required = true,
                paramLabel = "TOPIC",
                description = "A topic left empty, for the inputs a run does not use.")
        String emptyTopic;

        @Option(names = "--events", required = true, paramLabel = "N")
        int events;

        @Option(names = "--requests", required = true, paramLabel = "N")
        int requests;

        @Option(names = "--partitions", defaultValue = "4", paramLabel = "N")
        int partitions;

        @Option(names = "--model", defaultValue = "ctr", paramLabel = "ID")
        String model;

        @Override
        public Integer call() throws Exception {
            try (Admin admin = Admin.create(kafka.properties())) {
                recreate(admin, List.of(labeledTopic, requestsTopic, emptyTopic));
                ClickStream.Spec spec = new ClickStream.Spec();
                spec.model = model;
                ClickStream stream = new ClickStream(spec);
                long start = System.nanoTime();
                send(labeledTopic, events, i -> stream.next().json);
                ClickStream requestStream = new ClickStream(spec);
                send(requestsTopic, requests, i -> requestStream.next().asRequest("bench-" + i));
                check(admin, labeledTopic, events);
                check(admin, requestsTopic, requests);
                System.err.printf(
                        "Preloaded %d labeled events and %d requests in %.0f s%n",
                        events, requests, (System.nanoTime() - start) / 1e9);
            }
            return 0;
        }

        private void recreate(Admin kafka, List<String> topics) throws Exception {
            try {
                kafka.deleteTopics(topics).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            for (int attempt = 0; ; attempt++) {
                try {
                    List<NewTopic> created = new ArrayList<>();
                    for (String t : topics) {
                        created.add(new NewTopic(t, t.equals(emptyTopic) ? 1 : partitions, (short) 1));
                    }
                    kafka.createTopics(created).all().get();
                    return;
                } catch (ExecutionException e) {
                    if (attempt == 50) {
                        throw e;
                    }
                    TimeUnit.MILLISECONDS.sleep(200); // a deleted topic is removed asynchronously
                }
            }
        }

        interface Record {
            String make(int i);
        }

        private void send(String topic, int n, Record record) throws InterruptedException {
            Properties p = kafka.properties();
            p.put("linger.ms", "20");
            p.put("batch.size", "262144");
            p.put("key.serializer", StringSerializer.class.getName());
            p.put("value.serializer", StringSerializer.class.getName());
            AtomicLong failed = new AtomicLong();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                for (int i = 0; i < n; i++) {
                    producer.send(new ProducerRecord<>(topic, record.make(i)), (m, e) -> {
                        if (e != null) {
                            failed.incrementAndGet();
                        }
                    });
                }
                producer.flush();
            }
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " of " + n + " records were not written to " + topic);
            }
        }

        private void check(Admin kafka, String topic, long expected) throws Exception {
            Map<TopicPartition, OffsetSpec> ends = new LinkedHashMap<>();
            for (int p = 0; p < partitions; p++) {
                ends.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            long total = 0;
            for (var e : kafka.listOffsets(ends).all().get().values()) {
                total += e.offset();
            }
            if (total != expected) {
                throw new IllegalStateException(topic + " holds " + total + " records, not " + expected);
            }
        }
    }

    @Command(
            name = "measure",
            mixinStandardHelpOptions = true,
            description = "Waits until a running job's counter reaches the target and records its rate, over the"
                    + " whole run and over the second half of the target.")
    static final class Measure implements Callable<Integer> {
        /**
         * The name's suffix of the rate over the second half of the target. A job's classes are new to
         * the TaskManager at each submission, and on two cores their compiles take a fifth of the
         * machine through the first seconds of a run of 2 million events: the whole run's rate is
         * mostly a start's, the second half's closer to what a running job sustains.
         */
        static final String SECOND_HALF = ", second half";

        /** How old the listing of the job's metrics may grow while the counter is polled (see {@link ClusterMetrics.Watch}). */
        static final Duration RELIST_METRICS_AFTER = Duration.ofSeconds(5);

        /**
         * The name of this process in the CPU rows: it polls the REST API ten times a second on the
         * same two cores, so its share is shown beside the job's rather than hidden in the machine's.
         */
        static final String POLLER = "measure (this poller)";

        @Option(names = "--url", required = true, paramLabel = "URL")
        String url;

        @Option(names = "--job", required = true, paramLabel = "ID")
        String job;

        @Option(
                names = "--counter",
                required = true,
                paramLabel = "SUFFIX",
                description = "The metric that counts the work (summed over subtasks).")
        String counter;

        @Option(names = "--target", required = true, paramLabel = "N")
        long target;

        @Option(names = "--timeout", defaultValue = "900", paramLabel = "SECONDS")
        int timeoutSeconds;

        @Mixin
        ResultRows rows;

        @Option(
                names = "--alongside",
                paramLabel = "SUFFIX",
                description = "Another counter whose rate over the same time is recorded too.")
        String alongside;

        @Option(
                names = "--checkpoints",
                description = "Also record the size and duration of the first checkpoint completed after the target.")
        boolean checkpoints;

        @Option(
                names = "--cpu-of",
                paramLabel = "NAME=PIDFILE",
                description = "A local process (its pid in PIDFILE) whose threads' CPU over the second half is"
                        + " recorded, per event and per group of threads; with the machine's.")
        Map<String, Path> cpuOf = new LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            ClusterMetrics rest = new ClusterMetrics(url);
            Rate rate = new Rate(System.nanoTime());
            Rate secondHalf = new Rate(System.nanoTime(), target / 2.0);
            Rate other = new Rate(System.nanoTime());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            ClusterMetrics.Watch watch = alongside == null
                    ? rest.watch(job, RELIST_METRICS_AFTER, counter)
                    : rest.watch(job, RELIST_METRICS_AFTER, counter, alongside);
            ThreadCpu cpu = cpuOf.isEmpty() ? null : new ThreadCpu(pidsWithThisProcess(cpuOf));
            long ticksPerSecond = cpu == null ? 0 : ThreadCpu.ticksPerSecond();
            ThreadCpu.Reading cpuAtHalf = null;
            double valueAtHalf = 0;
            double value = 0;
            while (value < target) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            rows.measure + ": " + (long) value + " of " + target + " after " + timeoutSeconds + " s");
                }
                TimeUnit.MILLISECONDS.sleep(100); // the REST metrics change once per fetch interval
                Map<String, Double> now = watch.sums();
                value = now.getOrDefault(counter, 0.0);
                long at = System.nanoTime();
                rate.sample(at, value);
                secondHalf.sample(at, value);
                if (alongside != null && rate.started()) {
                    other.sample(at, now.getOrDefault(alongside, 0.0));
                }
                if (cpu != null && cpuAtHalf == null && value >= target / 2.0 && value < target) {
                    cpuAtHalf = cpu.read();
                    valueAtHalf = value;
                }
            }
            String measure = rows.measure;
            List<String> out = new ArrayList<>();
            out.add(rows.row(measure + " (events/s)", rate.perSecond()));
            if (secondHalf.timed()) {
                out.add(rows.row(measure + SECOND_HALF + " (events/s)", secondHalf.perSecond()));
            }
            if (alongside != null) {
                out.add(rows.row(measure + ": " + alongside + " alongside (events/s)", other.perSecondOrZero()));
            }
            if (cpuAtHalf != null) {
                Map<String, Double> perEvent = cpuPerEvent(cpuAtHalf, cpu.read(), value - valueAtHalf, ticksPerSecond);
                perEvent.forEach((what, micros) ->
                        out.add(rows.row(measure + SECOND_HALF + ", CPU per event: " + what + " (us)", micros)));
            }
            if (checkpoints) {
                // the first checkpoint to complete after the target: it holds the model that learnt every event
                long completedAtTarget = completedCheckpoints(rest);
                while (completedCheckpoints(rest) == completedAtTarget) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                rows.measure + ": no checkpoint completed within " + timeoutSeconds + " s");
                    }
                    TimeUnit.MILLISECONDS.sleep(200);
                }
                JsonNode latest =
                        rest.get("/jobs/" + job + "/checkpoints").path("latest").path("completed");
                out.add(rows.row(
                        "checkpoint size (MB)", latest.path("state_size").asDouble() / 1e6));
                out.add(rows.row(
                        "checkpoint uploaded, incremental (MB)",
                        latest.path("checkpointed_size").asDouble() / 1e6));
                out.add(rows.row(
                        "checkpoint duration (ms)",
                        latest.path("end_to_end_duration").asDouble()));
            }
            rows.append(out);
            System.err.printf("%s at p=%d: %.0f events/s%n", measure, rows.parallelism, rate.perSecond());
            return 0;
        }

        /** Below this share of a process's CPU per event, a group of threads is counted with its other threads. */
        static final double LEAST_SHARE = 0.05;

        /**
         * Microseconds of CPU per event between two readings: the machine's busy time, and per
         * process all its threads (those that ended in between included) and each group of live
         * threads that took at least {@link #LEAST_SHARE} of them, largest first, then the rest as
         * "other threads".
         */
        static Map<String, Double> cpuPerEvent(
                ThreadCpu.Reading from, ThreadCpu.Reading to, double events, long ticksPerSecond) {
            double microsPerTick = 1e6 / ticksPerSecond / events;
            Map<String, Double> perEvent = new LinkedHashMap<>();
            perEvent.put("machine, all processes", (to.machineBusy() - from.machineBusy()) * microsPerTick);
            for (var process : to.byProcess().entrySet()) {
                Map<String, Long> before = from.byProcess().get(process.getKey());
                Map<String, Long> used = new LinkedHashMap<>();
                process.getValue().forEach((group, ticks) -> used.put(group, ticks - before.getOrDefault(group, 0L)));
                long all = to.processTicks().get(process.getKey())
                        - from.processTicks().get(process.getKey());
                perEvent.put(process.getKey() + ", all threads", all * microsPerTick);
                long listed = 0;
                for (var group : used.entrySet().stream()
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .toList()) {
                    if (group.getValue() < LEAST_SHARE * all || group.getValue() <= 0) {
                        break;
                    }
                    perEvent.put(process.getKey() + ", " + group.getKey(), group.getValue() * microsPerTick);
                    listed += group.getValue();
                }
                perEvent.put(process.getKey() + ", other threads", (all - listed) * microsPerTick);
            }
            return perEvent;
        }

        /** The processes whose CPU is read: those of the pid files, and this one as {@link #POLLER}. */
        private static Map<String, Long> pidsWithThisProcess(Map<String, Path> pidFiles) throws IOException {
            Map<String, Long> pids = new LinkedHashMap<>();
            for (var e : pidFiles.entrySet()) {
                String pid =
                        Files.readString(e.getValue(), StandardCharsets.UTF_8).trim();
                if (!pid.matches("\\d+")) {
                    throw new IllegalArgumentException("--cpu-of " + e.getKey() + ": no pid in " + e.getValue());
                }
                pids.put(e.getKey(), Long.parseLong(pid));
            }
            pids.put(POLLER, ProcessHandle.current().pid());
            return pids;
        }

        private long completedCheckpoints(ClusterMetrics rest) throws IOException, InterruptedException {
            return rest.get("/jobs/" + job + "/checkpoints")
                    .path("counts")
                    .path("completed")
                    .asLong();
        }
    }

    /** Where a step adds its rows (run, parallelism, measure with its unit, value), and what they are of. */
    static final class ResultRows {
        @Option(names = "--results", required = true, paramLabel = "FILE", description = "Where the rows are added.")
        Path results;

        @Option(names = "--run", required = true, paramLabel = "K")
        int run;

        @Option(names = "--parallelism", required = true, paramLabel = "P")
        int parallelism;

        @Option(names = "--measure", required = true, paramLabel = "NAME", description = "What the rows are of.")
        String measure;

        String row(String name, double value) {
            return run + "\t" + parallelism + "\t" + name + "\t" + value;
        }

        void append(List<String> rows) throws IOException {
            Files.write(results, rows, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    /**
     * A counter's rate between the first sample that saw work done and the first that saw the
     * target reached; the REST metrics move once per fetch interval, so only changes are samples.
     * A run that ends within one fetch interval (a smoke test's) is timed from the first poll,
     * start-up included.
     */
    static final class Rate {
        private final long pollingSinceNanos;
        private final double fromValue;
        private long firstNanos = -1;
        private double firstValue;
        private long lastNanos;
        private double lastValue;

        void sample(long nanos, double value) {
            if (value <= 0 || value < fromValue || value == lastValue) {
                return;
            }
            if (firstNanos < 0) {
                firstNanos = nanos;
                firstValue = value;
            }
            lastNanos = nanos;
            lastValue = value;
        }

        Rate(long pollingSinceNanos) {
            this(pollingSinceNanos, 0);
        }

        /** A rate over the counter's values from {@code fromValue} on: the part of a run past its start. */
        Rate(long pollingSinceNanos, double fromValue) {
            this.pollingSinceNanos = pollingSinceNanos;
            this.fromValue = fromValue;
        }

        /** Whether two samples apart in time saw the counter move, so the rate needs no start-up time. */
        boolean timed() {
            return started() && lastNanos > firstNanos;
        }

        boolean started() {
            return firstNanos >= 0;
        }

        /**
         * The rate of a counter sampled alongside another: 0 when it did not move while the other
         * did (a smoke run can serve every request within one metrics fetch interval).
         */
        double perSecondOrZero() {
            return started() ? perSecond() : 0.0;
        }

        double perSecond() {
            if (firstNanos < 0) {
                throw new IllegalStateException("the counter never moved");
            }
            if (lastNanos == firstNanos) {
                System.err.println("the run ended within one metrics fetch interval: timed from the first poll,"
                        + " start-up included (send more events for a figure)");
                return lastValue / ((lastNanos - pollingSinceNanos) / 1e9);
            }
            return (lastValue - firstValue) / ((lastNanos - firstNanos) / 1e9);
        }
    }

    @Command(
            name = "first-events",
            mixinStandardHelpOptions = true,
            description = "Waits for the next job to be submitted and records the seconds from its submission"
                    + " (its start-time) until its counter first shows events in the REST metrics.")
    static final class FirstEvents implements Callable<Integer> {
        @Option(names = "--url", required = true, paramLabel = "URL")
        String url;

        @Option(names = "--counter", required = true, paramLabel = "SUFFIX")
        String counter;

        @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS")
        int timeoutSeconds;

        @Mixin
        ResultRows rows;

        @Override
        public Integer call() throws Exception {
            ClusterMetrics rest = new ClusterMetrics(url);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            List<String> jobs = rest.activeJobs();
            while (jobs.isEmpty()) {
                check(deadline, "no job was submitted");
                TimeUnit.MILLISECONDS.sleep(100);
                jobs = rest.activeJobs();
            }
            String job = jobs.get(0);
            long submitted = rest.get("/jobs/" + job).path("start-time").asLong();
            while (true) {
                check(deadline, "job " + job + " showed no " + counter);
                try {
                    if (rest.sums(job, counter).getOrDefault(counter, 0.0) > 0) {
                        break;
                    }
                } catch (IOException e) {
                    // a vertex that is not deployed yet has no metrics to list: ask again
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            double seconds = (System.currentTimeMillis() - submitted) / 1000.0;
            rows.append(List.of(rows.row(rows.measure + " (s)", seconds)));
            System.err.printf("%s: first events %.1f s after the submission%n", rows.measure, seconds);
            return 0;
        }

        private void check(long deadline, String what) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(rows.measure + ": " + what + " within " + timeoutSeconds + " s");
            }
        }
    }

    @Command(
            name = "report",
            mixinStandardHelpOptions = true,
            description = "Min/median/max of each measure over the runs, and ratios of measures within each run.")
    static final class Report implements Callable<Integer> {
        @Option(names = "--results", required = true, paramLabel = "FILE")
        Path results;

        @Option(
                names = "--ratio",
                paramLabel = "A/B",
                description =
                        "Measure names (without their unit, ' (events/s)') whose ratio A/B is taken within each run.")
        List<String> ratios = new ArrayList<>();

        @Option(
                names = "--group",
                paramLabel = "TITLE",
                defaultValue = "parallelism",
                description = "What the rows' second column is (default ${DEFAULT-VALUE}).")
        String group;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            Map<String, Map<Integer, Double>> byMeasure = new LinkedHashMap<>();
            for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t");
                if (f.length != 4) {
                    throw new IllegalArgumentException("not a result row in " + results + ": " + line);
                }
                String key = f[2] + "\t" + f[1];
                byMeasure
                        .computeIfAbsent(key, k -> new LinkedHashMap<>())
                        .put(Integer.parseInt(f[0]), Double.parseDouble(f[3]));
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("| measure | " + group + " | runs | min | median | max |");
            out.println("|---|---|---|---|---|---|");
            for (var e : byMeasure.entrySet()) {
                String[] k = e.getKey().split("\t");
                printRow(out, k[0], k[1], e.getValue().values());
            }
            for (String ratio : ratios) {
                String[] ab = ratio.split("/", 2);
                if (ab.length != 2) {
                    throw new IllegalArgumentException("--ratio takes A/B, not " + ratio);
                }
                for (String parallelism : parallelisms(byMeasure)) {
                    Map<Integer, Double> a = measure(byMeasure, ab[0], parallelism);
                    Map<Integer, Double> b = measure(byMeasure, ab[1], parallelism);
                    if (a == null || b == null) {
                        continue;
                    }
                    List<Double> within = new ArrayList<>();
                    for (var run : a.entrySet()) {
                        Double base = b.get(run.getKey());
                        if (base != null) {
                            within.add(run.getValue() / base);
                        }
                    }
                    printRow(out, "ratio " + ab[0] + " / " + ab[1], parallelism, within);
                }
            }
            return 0;
        }

        /** The values of the measure named {@code name} with its unit ("name (events/s)", "name (s)"). */
        private static Map<Integer, Double> measure(
                Map<String, Map<Integer, Double>> byMeasure, String name, String parallelism) {
            for (var e : byMeasure.entrySet()) {
                String[] k = e.getKey().split("\t");
                if (k[0].startsWith(name + " (") && k[1].equals(parallelism)) {
                    return e.getValue();
                }
            }
            return null;
        }

        private static Set<String> parallelisms(Map<String, Map<Integer, Double>> byMeasure) {
            Set<String> ps = new TreeSet<>();
            for (String key : byMeasure.keySet()) {
                ps.add(key.split("\t")[1]);
            }
            return ps;
        }

        private static void printRow(PrintWriter out, String measure, String parallelism, Collection<Double> values) {
            double[] v =
                    values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (v.length == 0) {
                return;
            }
            String format = v[v.length - 1] < 10 ? "%.2f" : v[v.length - 1] < 100 ? "%.1f" : "%.0f";
            out.printf(
                    "| %s | %s | %d | " + format + " | " + format + " | " + format + " |%n",
                    measure,
                    parallelism,
                    v.length,
                    v[0],
                    median(v),
                    v[v.length - 1]);
        }

        static double median(double[] sorted) {
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
    }
}
