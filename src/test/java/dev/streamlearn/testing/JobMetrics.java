package dev.streamlearn.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;

/** Reads a running job's metrics from the in-memory reporter, summed over subtasks. */
public final class JobMetrics {

    private final InMemoryReporter reporter;
    private final JobID job;

    public JobMetrics(InMemoryReporter reporter, JobID job) {
        this.reporter = reporter;
        this.job = job;
    }

    /** Sum of every gauge or counter whose identifier ends with {@code suffix}; NaN when none exists yet. */
    public double sum(String suffix) {
        Map<String, Metric> found = reporter.findMetrics(job, Pattern.quote(suffix) + "$");
        if (found.isEmpty()) {
            return Double.NaN;
        }
        double total = 0;
        for (Metric m : found.values()) {
            total += value(m);
        }
        return total;
    }

    /** The value of every gauge or counter whose identifier ends with {@code suffix}, one per subtask. */
    public List<Double> values(String suffix) {
        List<Double> out = new ArrayList<>();
        for (Metric m : reporter.findMetrics(job, Pattern.quote(suffix) + "$").values()) {
            out.add(value(m));
        }
        return out;
    }

    /** Of every histogram whose identifier ends with {@code suffix}: the values counted, and the largest. */
    public HistogramSummary histogram(String suffix) {
        long count = 0;
        long max = Long.MIN_VALUE;
        for (Metric m : reporter.findMetrics(job, Pattern.quote(suffix) + "$").values()) {
            Histogram h = (Histogram) m;
            count += h.getCount();
            if (h.getStatistics().size() > 0) {
                max = Math.max(max, h.getStatistics().getMax());
            }
        }
        return new HistogramSummary(count, max);
    }

    /** How many values a histogram counted, and the largest it holds (Long.MIN_VALUE: none). */
    public record HistogramSummary(long count, long max) {}

    public long longValue(String suffix) {
        double v = sum(suffix);
        return Double.isNaN(v) ? -1 : (long) v;
    }

    private static double value(Metric m) {
        if (m instanceof Counter) {
            return ((Counter) m).getCount();
        }
        if (m instanceof Gauge) {
            Object v = ((Gauge<?>) m).getValue();
            return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
        }
        throw new IllegalArgumentException("not a counter or gauge: " + m);
    }
}
