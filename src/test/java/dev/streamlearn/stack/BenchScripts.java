package dev.streamlearn.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The benchmark scripts on a tiny input, as the last step of {@link LocalStackIT}, on its stack:
 * on two cores a second stack beside it made each take twice as long or more (LocalStackIT 497 s
 * in the build against 221 s alone). Every script finishes and prints a row with a positive median
 * for each of its measures. The gateway's runs against the
 * job and gateway that {@code scripts/submit} starts.
 */
final class BenchScripts {

    private BenchScripts() {}

    /** On a stack that is up, with one TaskManager and no job running; the last two wipe it. */
    static void runEach(Map<String, String> env) throws Exception {
        Scripts.Result bench = Scripts.run(
                env, "bench-throughput", "--events", "3000", "--requests", "1000", "--runs", "1", "--parallelism", "1");
        assertEquals(0, bench.exit, bench.toString());
        assertPositiveRows(
                bench,
                "1",
                "pass-through, labeled (events/s)",
                "learning, labeled (events/s)",
                "learning, one learner, labeled (events/s)",
                "pass-through, requests (events/s)",
                "pass-through across an exchange, requests (events/s)",
                "learning, requests (events/s)",
                "checkpoint size (MB)",
                "ratio learning, labeled / pass-through, labeled",
                "ratio learning, one learner, labeled / pass-through, labeled",
                "ratio learning, requests / pass-through, requests",
                "ratio learning, requests / pass-through across an exchange, requests");
        // 1,000 requests can all be served before the trainer counts its first example, so on this
        // input the rate alongside may be 0; the row must be there
        assertTrue(
                Pattern.compile(
                                "\\| learning, requests: model.ctr.examplesTrained alongside \\(events/s\\) \\| 1 \\| 1 \\|"
                                        + " [0-9.]+ \\|")
                        .matcher(bench.out)
                        .find(),
                "the row of examples trained alongside the requests in\n" + bench.out);
        Scripts.Result e2e = Scripts.run(
                env,
                "bench-e2e",
                "--runs",
                "1",
                "--batch-sizes",
                "16",
                "-p",
                "1",
                "--seconds",
                "3",
                "--request-rate",
                "200",
                "--train-rate",
                "500",
                "--warmup",
                "3");
        assertEquals(0, e2e.exit, e2e.toString());
        for (String measure : List.of(
                "kafka p50 (ms)",
                "through p99 (ms)",
                "warm-up through p99 (ms)",
                "inside p999 (ms)",
                "freshness p50 (ms)")) {
            assertTrue(
                    Pattern.compile("\\| " + Pattern.quote(measure) + " \\| 16 \\| 1 \\| [0-9.]+ \\|")
                            .matcher(e2e.out)
                            .find(),
                    measure + " in\n" + e2e.out);
        }
        assertTrue(e2e.out.contains("| request -> prediction through Kafka and the job |"), e2e.out);
        Scripts.Result models = Scripts.run(
                env, "bench-models", "--models", "3", "--active", "100", "--features-per-event", "10", "-p", "1");
        assertEquals(0, models.exit, models.toString());
        // 3 models of 100 coordinates, 10 events each: all trained, each answered with a learnt version, no restart
        assertTrue(
                Pattern.compile("\\| 3 \\| 100 \\| 30 \\| [0-9]+ \\| 3 \\| 0 \\| [0-9]*[1-9][0-9]* \\| [0-9]+ \\|")
                        .matcher(models.out)
                        .find(),
                models.out);
        // a load on loopback through the gateway the submission starts, against the Kafka path in the same run
        Scripts.Result submit = Scripts.run(env, "submit", "--models", "ctr");
        assertEquals(0, submit.exit, submit.toString());
        Scripts.Result gateway =
                Scripts.run(env, "bench-gateway", "--rate", "300", "--seconds", "2", "--rounds", "1", "--warmup", "1");
        assertEquals(0, gateway.exit, gateway.toString());
        for (String path : List.of("Kafka (requests -> predictions)", "gateway (HTTP infer)")) {
            assertTrue(
                    Pattern.compile("\\| 1 \\| " + Pattern.quote(path)
                                    + " \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| 600 \\|")
                            .matcher(gateway.out)
                            .find(),
                    "600 answers through " + path + " in\n" + gateway.out);
        }
        assertTrue(gateway.out.contains("gateway - Kafka, median of 1 rounds"), gateway.out);
        // each wipes the stack before its jobs, so they run last
        Scripts.Result first = Scripts.run(env, "bench-first-events", "--wipe", "--runs", "1");
        assertEquals(0, first.exit, first.toString());
        assertPositiveRows(
                first,
                "[0-9]+", // the default parallelism of flink-conf
                "pass-through, first events (s)",
                "learning, first events (s)",
                "ratio learning, first events / pass-through, first events");
        Scripts.Result idle =
                Scripts.run(env, "bench-idle", "--wipe", "--runs", "1", "--seconds", "3", "--settle", "0");
        assertEquals(0, idle.exit, idle.toString());
        assertPositiveRows(
                idle,
                "[0-9]+",
                "TaskManager CPU over 3 s idle, all threads (ms)",
                "TaskManager CPU over 3 s idle, flusher threads (ms)");
    }

    /** Each measure has a row of one run at the parallelism (a pattern) with a positive median in the script's table. */
    private static void assertPositiveRows(Scripts.Result bench, String parallelism, String... measures) {
        for (String measure : measures) {
            assertTrue(
                    Pattern.compile("\\| " + Pattern.quote(measure) + " \\| " + parallelism
                                    + " \\| 1 \\| [0-9.]*[1-9][0-9.]* \\|")
                            .matcher(bench.out)
                            .find(),
                    measure + " with a positive value in\n" + bench.out);
        }
    }
}
