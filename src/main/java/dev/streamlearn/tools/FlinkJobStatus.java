package dev.streamlearn.tools;

import dev.streamlearn.gateway.JobStatus;
import dev.streamlearn.metrics.MetricNames;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The job's state as Flink's REST API tells it, for the gateway's readiness and metadata: asked
 * at most once a second however often the gateway is asked.
 */
final class FlinkJobStatus implements JobStatus {

    private static final long FRESH_NANOS = 1_000_000_000L;

    private final ClusterMetrics rest;
    private final List<String> models;
    private long askedAt = Long.MIN_VALUE;
    private boolean running;
    private Map<String, Double> served = Map.of();

    FlinkJobStatus(String restUrl, List<String> models) {
        this.rest = new ClusterMetrics(restUrl);
        this.models = models;
    }

    @Override
    public synchronized boolean running() {
        refresh();
        return running;
    }

    @Override
    public synchronized OptionalLong servedVersion(String model) {
        refresh();
        Double v = served.get(MetricNames.ofModel(model, MetricNames.SERVED_VERSION));
        return v == null ? OptionalLong.empty() : OptionalLong.of(v.longValue());
    }

    private void refresh() {
        long now = System.nanoTime();
        if (askedAt != Long.MIN_VALUE && now - askedAt < FRESH_NANOS) {
            return;
        }
        askedAt = now;
        try {
            List<String> jobs = rest.runningJobs();
            running = !jobs.isEmpty();
            served = running
                    ? rest.minima(
                            jobs.get(0),
                            models.stream()
                                    .map(m -> MetricNames.ofModel(m, MetricNames.SERVED_VERSION))
                                    .toArray(String[]::new))
                    : Map.of();
        } catch (IOException e) {
            running = false;
            served = Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
