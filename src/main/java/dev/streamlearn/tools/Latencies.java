package dev.streamlearn.tools;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Round trips in ms, sent to received; {@link #insideJob} the same answers from the request's
 * record timestamp to the answer's, {@link #afterJob} from the answer's record timestamp to its
 * receipt (Kafka's hop out of the job).
 */
final class Latencies {
    private double[] values = new double[1024];
    private int n;
    final Latencies insideJob;
    final Latencies afterJob;

    Latencies(boolean withParts) {
        insideJob = withParts ? new Latencies(false) : null;
        afterJob = withParts ? new Latencies(false) : null;
    }

    void add(double millis, double insideMillis, double afterMillis) {
        add(millis);
        insideJob.add(insideMillis);
        afterJob.add(afterMillis);
    }

    private void add(double millis) {
        if (n == values.length) {
            values = Arrays.copyOf(values, n * 2);
        }
        values[n++] = millis;
    }

    /** Prints the table's line of p50, p99 and p999 under {@code title}; returns the rows of {@code name}'s measures. */
    List<String> print(PrintWriter out, String title, String name, BiFunction<String, Double, String> row) {
        double[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        double p50 = percentile(sorted, 0.50);
        double p99 = percentile(sorted, 0.99);
        double p999 = percentile(sorted, 0.999);
        out.printf("| %s | %.1f ms | %.1f ms | %.1f ms | %d |%n", title, p50, p99, p999, n);
        return List.of(
                row.apply(name + " p50 (ms)", p50),
                row.apply(name + " p99 (ms)", p99),
                row.apply(name + " p999 (ms)", p999));
    }

    /** The value at quantile {@code q} of {@code sorted} (ascending); NaN for none. */
    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }
}
