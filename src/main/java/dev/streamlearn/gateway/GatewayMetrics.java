package dev.streamlearn.gateway;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's metrics in Prometheus' text format: requests by endpoint and status, rows
 * predicted, timeouts, and a histogram of infer latency (received to answered).
 */
final class GatewayMetrics {

    static final String PREFIX = "streamlearn_gateway_";
    private static final double[] BUCKETS_SECONDS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
    };
    private static final int[] STATUSES = {200, 400, 404, 405, 413, 500, 503, 504};
    private static final String[] ENDPOINTS = {"infer", "metadata", "ready", "health"};

    private final LongAdder[][] requests = new LongAdder[ENDPOINTS.length][STATUSES.length];
    private final LongAdder rows = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final AtomicLongArray latencyBuckets = new AtomicLongArray(BUCKETS_SECONDS.length + 1);
    private final LongAdder latencyNanos = new LongAdder();

    GatewayMetrics() {
        for (LongAdder[] byStatus : requests) {
            for (int s = 0; s < byStatus.length; s++) {
                byStatus[s] = new LongAdder();
            }
        }
    }

    void answered(String endpoint, int status) {
        int e = indexOf(ENDPOINTS, endpoint);
        for (int s = 0; s < STATUSES.length; s++) {
            if (STATUSES[s] == status) {
                requests[e][s].increment();
                return;
            }
        }
        throw new IllegalArgumentException("a status the gateway does not answer with: " + status);
    }

    void inferred(int rowCount, long nanos) {
        rows.add(rowCount);
        latencyNanos.add(nanos);
        double seconds = nanos / 1e9;
        int b = 0;
        while (b < BUCKETS_SECONDS.length && seconds > BUCKETS_SECONDS[b]) {
            b++;
        }
        latencyBuckets.incrementAndGet(b);
    }

    void timedOut() {
        timeouts.increment();
    }

    /** The exposition, for {@code GET /metrics}. */
    String text(int pending) {
        StringBuilder out = new StringBuilder();
        out.append("# HELP ").append(PREFIX).append("requests_total HTTP requests answered, by endpoint and status.\n");
        out.append("# TYPE ").append(PREFIX).append("requests_total counter\n");
        for (int e = 0; e < ENDPOINTS.length; e++) {
            for (int s = 0; s < STATUSES.length; s++) {
                out.append(String.format(
                        Locale.ROOT,
                        "%srequests_total{endpoint=\"%s\",code=\"%d\"} %d%n",
                        PREFIX,
                        ENDPOINTS[e],
                        STATUSES[s],
                        requests[e][s].sum()));
            }
        }
        counter(out, "rows_total", "Rows predicted (one prediction request each).", rows.sum());
        counter(out, "timeouts_total", "Infer requests answered 504: no prediction in time.", timeouts.sum());
        out.append("# HELP ").append(PREFIX).append("pending Prediction requests sent and not yet answered.\n");
        out.append("# TYPE ").append(PREFIX).append("pending gauge\n");
        out.append(PREFIX).append("pending ").append(pending).append('\n');
        out.append("# HELP ").append(PREFIX).append("infer_seconds Infer latency, received to answered (200 only).\n");
        out.append("# TYPE ").append(PREFIX).append("infer_seconds histogram\n");
        long cumulative = 0;
        for (int b = 0; b <= BUCKETS_SECONDS.length; b++) {
            cumulative += latencyBuckets.get(b);
            String le = b < BUCKETS_SECONDS.length ? Double.toString(BUCKETS_SECONDS[b]) : "+Inf";
            out.append(PREFIX)
                    .append("infer_seconds_bucket{le=\"")
                    .append(le)
                    .append("\"} ")
                    .append(cumulative)
                    .append('\n');
        }
        out.append(PREFIX).append("infer_seconds_count ").append(cumulative).append('\n');
        out.append(PREFIX)
                .append("infer_seconds_sum ")
                .append(String.format(Locale.ROOT, "%.6f", latencyNanos.sum() / 1e9))
                .append('\n');
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ")
                .append(PREFIX)
                .append(name)
                .append(' ')
                .append(help)
                .append('\n');
        out.append("# TYPE ").append(PREFIX).append(name).append(" counter\n");
        out.append(PREFIX).append(name).append(' ').append(value).append('\n');
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no such endpoint: " + name);
    }
}
