package dev.streamlearn.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "measure",
        mixinStandardHelpOptions = true,
        description = "Waits until a running job's counter reaches the target and records its rate, over the"
                + " whole run and over the second half of the target.")
final class BenchMeasure implements Callable<Integer> {
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
    BenchRows rows;

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
        BenchRate rate = new BenchRate(System.nanoTime());
        BenchRate secondHalf = new BenchRate(System.nanoTime(), target / 2.0);
        BenchRate other = new BenchRate(System.nanoTime());
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
            out.add(rows.row("checkpoint size (MB)", latest.path("state_size").asDouble() / 1e6));
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
            String pid = Files.readString(e.getValue(), StandardCharsets.UTF_8).trim();
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
