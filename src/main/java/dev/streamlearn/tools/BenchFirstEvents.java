package dev.streamlearn.tools;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "first-events",
        mixinStandardHelpOptions = true,
        description = "Waits for the next job to be submitted and records the seconds from its submission"
                + " (its start-time) until its counter first shows events in the REST metrics.")
final class BenchFirstEvents implements Callable<Integer> {
    @Option(names = "--url", required = true, paramLabel = "URL")
    String url;

    @Option(names = "--counter", required = true, paramLabel = "SUFFIX")
    String counter;

    @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS")
    int timeoutSeconds;

    @Mixin
    BenchRows rows;

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
