package dev.streamlearn.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The running job's state, per-model metrics and checkpoint statistics, read from the cluster's REST API. */
@Command(
        name = "scripts/status",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "The running job: state, each model's version and metrics, checkpoints, the latest savepoint.")
public final class Status implements Callable<Integer> {

    @Option(
            names = "--url",
            paramLabel = "URL",
            defaultValue = "${env:" + LocalStack.REST_ENV + "}",
            description = "The Flink REST address (default: the local stack's, when run through scripts/).")
    String url;

    @Option(names = "--job", paramLabel = "ID", description = "The job id (default: the running job).")
    String job;

    @Option(
            names = "--watch",
            paramLabel = "SECONDS",
            defaultValue = "0",
            description = "Print one progress line every SECONDS until interrupted.")
    int watch;

    @Option(
            names = "--wait-running",
            paramLabel = "SECONDS",
            defaultValue = "0",
            description = "First wait up to SECONDS until every task of the job (without --job: of the job submitted"
                    + " next, if none runs) runs, saying what it waits for; fails if they do not. Without --watch,"
                    + " only waits.")
    int waitRunning;

    public static void main(String[] args) {
        Tool.exit(new Status(), args);
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        ClusterMetrics rest = new ClusterMetrics(LocalStack.required(url, "--url URL", "the Flink REST address"));
        String id;
        long started; // the job's submission, for the progress lines
        try {
            id = job;
            if (id == null) {
                List<String> active = rest.activeJobs();
                long deadline = System.nanoTime() + waitRunning * 1_000_000_000L;
                if (active.isEmpty() && waitRunning > 0) {
                    out.println("waiting for a job to be submitted ...");
                    while (active.isEmpty() && System.nanoTime() < deadline) {
                        Thread.sleep(250);
                        active = rest.activeJobs();
                    }
                }
                if (active.isEmpty()) {
                    System.err.println("status: the cluster at " + url + " runs no job (submit one with scripts/submit,"
                            + " or restore the last one with scripts/restore --latest)");
                    return 3;
                }
                id = active.get(0);
            }
            if (waitRunning > 0) {
                if (!awaitRunning(rest, id, out, watch > 0)) {
                    return 4;
                }
                if (watch <= 0) {
                    return 0; // only the wait was asked for
                }
            }
            String problem = problem(rest, id);
            if (problem != null) {
                out.println(problem);
                if (watch <= 0) {
                    return 4;
                }
            }
            started = rest.get("/jobs/" + id).path("start-time").asLong();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot reach Flink at " + url + " (is the stack up? scripts/up)");
        }
        if (watch <= 0) {
            StatusReport.printFull(rest, id, out);
            return 0;
        }
        // the beat falls half a second after each whole second since the submission, so lines that
        // take a little longer than others still show one second each
        long period = watch * 1000L;
        long anchor = started + 500;
        while (true) {
            try {
                out.println(StatusReport.line(rest, id, started));
            } catch (IOException e) {
                out.println("(metrics not available: " + e.getMessage() + ")");
            }
            long now = System.currentTimeMillis();
            Thread.sleep(nextBeat(anchor, now, period) - now);
        }
    }

    /**
     * The first beat after {@code now} of a fixed beat through {@code anchor}: a line that took long
     * to gather does not push the next ones back, and one that took longer than a period skips the
     * beats it missed rather than being followed at once.
     */
    static long nextBeat(long anchor, long now, long period) {
        return anchor + period * (Math.floorDiv(now - anchor, period) + 1);
    }

    /**
     * Waits until every task of {@code job} runs (with {@code sourcesSuffice}: until its sources run,
     * so progress shows while sinks still open); false (having said why) after {@link #waitRunning}
     * seconds.
     */
    private boolean awaitRunning(ClusterMetrics rest, String job, PrintStream out, boolean sourcesSuffice)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + waitRunning * 1_000_000_000L;
        String said = null;
        while (true) {
            JsonNode overview = rest.get("/jobs/" + job);
            String problem = problem(rest, job, overview);
            if (problem == null) {
                if (said != null) {
                    out.println("every task of job " + job + " runs");
                }
                return true;
            }
            if (sourcesSuffice && sourcesRun(overview)) {
                out.println("the sources of job " + job + " run; the lines say which tasks still start");
                return true;
            }
            if (System.nanoTime() > deadline) {
                out.println("gave up after " + waitRunning + " s: " + problem);
                return false;
            }
            if (!problem.equals(said)) {
                out.println("waiting for every task to run (deploying, opening state): " + problem);
                said = problem;
            }
            Thread.sleep(500); // a cluster that deploys a job is busy: ask twice a second
        }
    }

    /**
     * What keeps the job from running, or null when every task runs: a state other than RUNNING,
     * or tasks waiting for slots (how a lost TaskManager shows: the job restarted and waits), with
     * the last failure.
     */
    static String problem(ClusterMetrics rest, String job) throws IOException, InterruptedException {
        return problem(rest, job, rest.get("/jobs/" + job));
    }

    private static String problem(ClusterMetrics rest, String job, JsonNode overview)
            throws IOException, InterruptedException {
        String state = overview.path("state").asText();
        int tasks = overview.path("vertices").size();
        int running = overview.path("status-counts").path("RUNNING").asInt();
        if ("RUNNING".equals(state) && running == tasks) {
            return null;
        }
        StringBuilder b = new StringBuilder("job " + job + " is " + state);
        if ("RUNNING".equals(state)) {
            b.append(", but only ").append(running).append(" of ").append(tasks).append(" tasks run");
        }
        String failure = rest.lastException(job);
        if (failure != null) {
            b.append("; last failure: ").append(failure);
        }
        if (rest.get("/taskmanagers").path("taskmanagers").isEmpty()) {
            b.append("\nno TaskManager is registered: scripts/up starts a new one, and the job restarts from its last"
                    + " checkpoint");
        }
        return b.toString();
    }

    /** Whether the job runs and every subtask of its sources does: events are read and parsed. */
    static boolean sourcesRun(JsonNode overview) {
        if (!"RUNNING".equals(overview.path("state").asText())) {
            return false;
        }
        for (JsonNode vertex : overview.path("vertices")) {
            if (vertex.path("name").asText().startsWith("Source:")
                    && vertex.path("tasks").path("RUNNING").asInt()
                            < vertex.path("parallelism").asInt()) {
                return false;
            }
        }
        return true;
    }
}
