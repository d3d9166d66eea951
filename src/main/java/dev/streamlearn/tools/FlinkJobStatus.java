package dev.streamlearn.tools;

import dev.streamlearn.gateway.JobStatus;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.training.ModelMetric;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The job's state as Flink's REST API tells it, for the gateway's readiness, metadata and model
 * page: asked at most once a second however often the gateway is asked. The listing of the
 * job's metrics, which costs the JobManager far more than reading values, is made again only
 * every {@link #RELIST_NANOS} (a challenger's metrics appear with it), for another job, or while
 * a model's metrics are missing from it.
 */
public final class FlinkJobStatus implements JobStatus {

    private static final long FRESH_NANOS = 1_000_000_000L;
    private static final long RELIST_NANOS = 10_000_000_000L;

    private final ClusterMetrics rest;
    private final List<String> models;
    private long askedAt = Long.MIN_VALUE;
    private boolean running;
    private Map<String, Double> served = Map.of();
    private Map<String, Map<String, Double>> figures = Map.of();
    private ClusterMetrics.MetricIds ids;
    private long listedAt;

    public FlinkJobStatus(String restUrl, List<String> models) {
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

    @Override
    public synchronized Map<String, Double> figures(String model) {
        refresh();
        return figures.getOrDefault(model, Map.of());
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
            if (!running) {
                served = Map.of();
                figures = Map.of();
                return;
            }
            if (ids == null || !ids.jobId().equals(jobs.get(0)) || now - listedAt >= RELIST_NANOS) {
                ids = rest.metricIds(jobs.get(0));
                listedAt = now;
            }
            served = rest.minima(
                    ids,
                    models.stream()
                            .map(m -> MetricNames.ofModel(m, MetricNames.SERVED_VERSION))
                            .toArray(String[]::new));
            figures = byModel(rest.sums(ids, trainerMetrics()));
            if (served.size() < models.size() || figures.values().stream().anyMatch(Map::isEmpty)) {
                ids = null; // a subtask's metrics not listed yet: list again at the next refresh
            }
        } catch (IOException e) {
            running = false;
            served = Map.of();
            figures = Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private String[] trainerMetrics() {
        List<String> names = new ArrayList<>();
        for (String model : models) {
            for (String name : ModelMetric.names()) {
                names.add(MetricNames.ofModel(model, name));
            }
        }
        names.addAll(LearnerBoard.suffixes(ids, models));
        return names.toArray(String[]::new);
    }

    /** The figures of each model, named within its group ({@code logLoss}, {@code learner.forget.auc}). */
    private Map<String, Map<String, Double>> byModel(Map<String, Double> sums) {
        Map<String, Map<String, Double>> out = new HashMap<>();
        for (String model : models) {
            String prefix = MetricNames.ofModel(model, "");
            Map<String, Double> own = new HashMap<>();
            sums.forEach((name, value) -> {
                if (name.startsWith(prefix)) {
                    own.put(name.substring(prefix.length()), value);
                }
            });
            out.put(model, own);
        }
        return out;
    }
}
