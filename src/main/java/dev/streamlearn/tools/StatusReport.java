package dev.streamlearn.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.records.DeadLetterReason;
import dev.streamlearn.training.ModelMetric;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** What scripts/status prints of a job: the full report, and the one-line progress of --watch. */
final class StatusReport {

    private StatusReport() {}

    private static final List<String> MODEL_METRICS = modelMetrics();
    // RocksDB's native metrics of the entity state (state.backend.rocksdb.metrics.* in flink-conf)

    private static List<String> modelMetrics() {
        List<String> names = new ArrayList<>(ModelMetric.names());
        names.add(MetricNames.PREDICTIONS_SERVED);
        return names;
    }

    /** One progress line of {@code job}, submitted at {@code startedMillis}. */
    static String line(ClusterMetrics rest, String job, long startedMillis) throws IOException, InterruptedException {
        JsonNode overview = rest.get("/jobs/" + job);
        ClusterMetrics.MetricIds ids = rest.metricIds(job, overview);
        List<String> models = models(ids);
        Map<String, Double> m = rest.sums(ids, suffixes(models));
        StringBuilder b = new StringBuilder();
        // seconds since the job was submitted, so the time to the first events can be read off
        b.append(String.format("%4ds | ", Math.max(0, (System.currentTimeMillis() - startedMillis) / 1000)));
        b.append(String.format("events in %7.0f", m.getOrDefault(MetricNames.recordsIn("labeled"), 0.0)));
        for (String model : models) {
            String p = MetricNames.ofModel(model, "");
            b.append(String.format(
                    " | %s v%.0f trained %.0f",
                    model,
                    m.getOrDefault(p + MetricNames.MODEL_VERSION, 0.0),
                    m.getOrDefault(p + MetricNames.EXAMPLES_TRAINED, 0.0)));
            if (m.containsKey(p + MetricNames.LOG_LOSS)) {
                b.append(String.format(
                        " logloss %.4f auc %.3f",
                        m.get(p + MetricNames.LOG_LOSS), m.getOrDefault(p + MetricNames.AUC, Double.NaN)));
            } else if (m.containsKey(p + MetricNames.RMSE)) {
                b.append(String.format(
                        " mae %.4g rmse %.4g",
                        m.getOrDefault(p + MetricNames.MAE, Double.NaN), m.get(p + MetricNames.RMSE)));
            }
        }
        b.append(String.format(" | predictions %.0f | dead letters %.0f", served(m), deadLetters(m)));
        int tasks = overview.path("vertices").size();
        int running = overview.path("status-counts").path("RUNNING").asInt();
        if (running < tasks) {
            b.append(String.format(" | %d of %d tasks run", running, tasks));
        }
        return b.toString();
    }

    /** The cluster's TaskManagers and their slots, from the REST API's overview. */
    static String taskManagers(JsonNode clusterOverview) {
        return String.format(
                "TaskManagers: %d, slots %d (%d free)",
                clusterOverview.path("taskmanagers").asInt(),
                clusterOverview.path("slots-total").asInt(),
                clusterOverview.path("slots-available").asInt());
    }

    static void printFull(ClusterMetrics rest, String job, PrintStream out) throws IOException, InterruptedException {
        JsonNode overview = rest.get("/jobs/" + job);
        out.printf(
                "job %s %s %s, running for %s%n",
                overview.path("name").asText(),
                job,
                overview.path("state").asText(),
                duration(overview.path("duration").asLong()));
        out.println(taskManagers(rest.get("/overview")));
        ClusterMetrics.MetricIds ids = rest.freshMetricIds(job, overview);
        List<String> models = models(ids);
        List<String> wantedList = new ArrayList<>(List.of(suffixes(models)));
        wantedList.addAll(LearnerBoard.suffixes(ids, models));
        String[] wanted = wantedList.toArray(new String[0]);
        Map<String, Double> m = rest.sums(ids, wanted);
        out.printf(
                "%-12s %8s %10s %8s %7s %9s %9s %7s %9s %10s %10s%n",
                "model",
                "version",
                "trained",
                "batches",
                MetricNames.FROZEN,
                MetricNames.LOG_LOSS,
                MetricNames.ACCURACY,
                MetricNames.AUC,
                MetricNames.MAE,
                MetricNames.RMSE,
                "served");
        for (String model : models) {
            String p = MetricNames.ofModel(model, "");
            out.printf(
                    "%-12s %8.0f %10.0f %8.0f %7s %9s %9s %7s %9s %10s %10.0f%n",
                    model,
                    m.getOrDefault(p + MetricNames.MODEL_VERSION, 0.0),
                    m.getOrDefault(p + MetricNames.EXAMPLES_TRAINED, 0.0),
                    m.getOrDefault(p + MetricNames.BATCHES_APPLIED, 0.0),
                    m.getOrDefault(p + MetricNames.FROZEN, 0.0) > 0 ? "yes" : "no",
                    fmt(m, p + MetricNames.LOG_LOSS, "%.4f"),
                    fmt(m, p + MetricNames.ACCURACY, "%.3f"),
                    fmt(m, p + MetricNames.AUC, "%.3f"),
                    fmt(m, p + MetricNames.MAE, "%.4g"),
                    fmt(m, p + MetricNames.RMSE, "%.4g"),
                    m.getOrDefault(p + MetricNames.PREDICTIONS_SERVED, 0.0));
        }
        for (String model : models) {
            String p = MetricNames.ofModel(model, "");
            LearnerBoard.print(out, model, LearnerBoard.learners(ids, model), m);
            out.println(guard(model, m));
            double continuedAfter = m.getOrDefault(p + ModelMetric.CONTINUED_AFTER_VERSION.metricName(), -1.0);
            if (continuedAfter >= 0) {
                out.printf(
                        "%s versions continue after v%.0f, which the model store held when the model started or was"
                                + " restored (scripts/control log: the 'start' line)%n",
                        model, continuedAfter);
            }
            if (m.getOrDefault(p + ModelMetric.SERVED_EXAMPLES.metricName(), 0.0) > 0) {
                out.printf(
                        "%s served scores of %.0f joined impressions (windowed): log loss %s, AUC %s, MAE %s, RMSE %s%n",
                        model,
                        m.get(p + ModelMetric.SERVED_EXAMPLES.metricName()),
                        fmt(m, p + MetricNames.SERVED_LOG_LOSS, "%.4f"),
                        fmt(m, p + MetricNames.SERVED_AUC, "%.3f"),
                        fmt(m, p + MetricNames.SERVED_MAE, "%.4g"),
                        fmt(m, p + MetricNames.SERVED_RMSE, "%.4g"));
            }
            if (m.containsKey(p + MetricNames.FORECAST_MAE)) {
                out.printf(
                        "%s forecasts (series scale, windowed): MAE %s RMSE %s MAPE %s; seasonal naive: MAE %s RMSE %s"
                                + " MAPE %s%n",
                        model,
                        fmt(m, p + MetricNames.FORECAST_MAE, "%.4g"),
                        fmt(m, p + MetricNames.FORECAST_RMSE, "%.4g"),
                        fmt(m, p + MetricNames.FORECAST_MAPE, "%.3f"),
                        fmt(m, p + MetricNames.NAIVE_MAE, "%.4g"),
                        fmt(m, p + MetricNames.NAIVE_RMSE, "%.4g"),
                        fmt(m, p + MetricNames.NAIVE_MAPE, "%.3f"));
            }
        }
        if (m.getOrDefault(MetricNames.STORE_VERSIONS_REFUSED, 0.0) > 0) {
            out.printf(
                    "model store: %.0f versions NOT published because the store already held a file under their"
                            + " number (set aside in _refused/; scripts/logs taskmanager says which)%n",
                    m.get(MetricNames.STORE_VERSIONS_REFUSED));
        }
        out.printf(
                "labeled events in %.0f, series points in %.0f, requests in %.0f, dead letters %.0f, delta gaps %.0f%n",
                m.getOrDefault(MetricNames.recordsIn("labeled"), 0.0),
                m.getOrDefault(MetricNames.recordsIn("series"), 0.0),
                m.getOrDefault(MetricNames.recordsIn("requests"), 0.0),
                deadLetters(m),
                m.getOrDefault(MetricNames.DELTA_GAPS, 0.0));
        String reasons = deadLetterReasons(m);
        if (!reasons.isEmpty()) {
            out.printf("dead letters by reason: %s (scripts/dead-letters prints them)%n", reasons);
        }
        if (m.getOrDefault(MetricNames.IMPRESSIONS_LOGGED, 0.0) + m.getOrDefault(MetricNames.OUTCOMES_UNKNOWN, 0.0)
                > 0) {
            out.printf(
                    "impressions logged %.0f, pending %.0f, joined to an outcome %.0f, closed as negatives %.0f,"
                            + " duplicate %.0f; outcomes late %.0f, unknown %.0f, duplicate %.0f, refused %.0f%n",
                    m.getOrDefault(MetricNames.IMPRESSIONS_LOGGED, 0.0),
                    m.getOrDefault(MetricNames.IMPRESSIONS_PENDING, 0.0),
                    m.getOrDefault(MetricNames.IMPRESSIONS_JOINED, 0.0),
                    m.getOrDefault(MetricNames.IMPRESSIONS_EXPIRED, 0.0),
                    m.getOrDefault(MetricNames.IMPRESSIONS_DUPLICATE, 0.0),
                    m.getOrDefault(MetricNames.OUTCOMES_LATE, 0.0),
                    m.getOrDefault(MetricNames.OUTCOMES_UNKNOWN, 0.0),
                    m.getOrDefault(MetricNames.OUTCOMES_DUPLICATE, 0.0),
                    m.getOrDefault(MetricNames.OUTCOMES_REFUSED, 0.0));
        }
        if (m.getOrDefault(MetricNames.ENTITY_LABELS_COUNTED, 0.0) > 0) {
            out.printf(
                    "entity features: labels counted %.0f, entities made %.0f, entities kept about %.0f (%s, RocksDB's"
                            + " estimates)%n",
                    m.getOrDefault(MetricNames.ENTITY_LABELS_COUNTED, 0.0),
                    m.getOrDefault(MetricNames.ENTITIES_NEW, 0.0),
                    m.getOrDefault(MetricNames.ENTITIES_KEPT, 0.0),
                    bytes(m.getOrDefault(MetricNames.ENTITY_BYTES, 0.0).longValue()));
        }
        JsonNode cp = rest.get("/jobs/" + job + "/checkpoints");
        JsonNode counts = cp.path("counts");
        out.printf(
                "checkpoints: %d completed, %d failed, %d in progress",
                counts.path("completed").asLong(),
                counts.path("failed").asLong(),
                counts.path("in_progress").asLong());
        JsonNode failed = cp.path("latest").path("failed");
        if (!failed.isMissingNode() && !failed.isNull()) {
            out.printf(" (the last failed, #%d: %s)", failed.path("id").asLong(), failureReason(failed));
        } else if (counts.path("failed").asLong() > 0) {
            // a checkpoint that could not start (its tasks were still starting) leaves only a count
            out.print(" (a checkpoint could not start, as happens while tasks still start; scripts/logs jobmanager"
                    + " says why)");
        }
        JsonNode last = cp.path("latest").path("completed");
        if (!last.isMissingNode() && !last.isNull()) {
            out.printf(
                    "; last #%d, %s, %d ms%n",
                    last.path("id").asLong(),
                    bytes(last.path("checkpointed_size")
                            .asLong(last.path("state_size").asLong())),
                    last.path("end_to_end_duration").asLong());
        } else {
            out.println();
        }
        JsonNode savepoint = cp.path("latest").path("savepoint");
        if (!savepoint.isMissingNode() && !savepoint.isNull()) {
            out.println("latest savepoint: " + savepoint.path("external_path").asText());
        }
        JsonNode restored = cp.path("latest").path("restored");
        if (!restored.isMissingNode() && !restored.isNull()) {
            out.println("restored from: " + restored.path("external_path").asText());
        }
    }

    /** The guard of one model in a line: its alarms, the last one, and whether the model learns. */
    @SuppressWarnings("EnumOrdinal") // the gauge carries the action's position, as MetricNames documents
    static String guard(String model, Map<String, Double> m) {
        String p = MetricNames.ofModel(model, "");
        long alarms =
                m.getOrDefault(p + ModelMetric.GUARD_ALARMS.metricName(), 0.0).longValue();
        boolean frozen = m.getOrDefault(p + ModelMetric.FROZEN.metricName(), 0.0) > 0;
        boolean episode = m.getOrDefault(p + ModelMetric.GUARD_EPISODE.metricName(), 0.0) > 0;
        StringBuilder b = new StringBuilder(model + " guard: ");
        if (alarms == 0) {
            b.append("no alarm");
        } else {
            long at = m.getOrDefault(p + ModelMetric.GUARD_LAST_ALARM_AT.metricName(), 0.0)
                    .longValue();
            int action = m.getOrDefault(p + ModelMetric.GUARD_LAST_ACTION.metricName(), 0.0)
                    .intValue();
            b.append(alarms)
                    .append(alarms == 1 ? " alarm" : " alarms")
                    .append("; the last at ")
                    .append(java.time.Instant.ofEpochMilli(at).truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                    .append(String.format(
                            ", loss %.2fx the reference, action %s",
                            m.getOrDefault(p + ModelMetric.GUARD_LAST_ALARM_RATIO.metricName(), Double.NaN),
                            ModelSpec.GuardAction.values()[
                                    Math.min(action, ModelSpec.GuardAction.values().length - 1)]));
            if (episode) {
                b.append(" (the episode goes on)");
            }
        }
        b.append(frozen ? "; learning is FROZEN (scripts/control resume " + model + ")" : "; learning");
        return b.toString();
    }

    /** Why a checkpoint failed, in a few words: Flink's stated reason when it gives one. */
    static String failureReason(JsonNode failed) {
        String message = failed.path("failure_message").asText("unknown");
        int at = message.lastIndexOf("Failure reason: ");
        String reason = at >= 0 ? message.substring(at + "Failure reason: ".length()) : message;
        reason = reason.strip();
        return reason.length() > 120 ? reason.substring(0, 117) + "..." : reason;
    }

    /** Model ids, from the names of the trainer's metrics. */
    static List<String> models(ClusterMetrics.MetricIds metrics) {
        TreeSet<String> ids = new TreeSet<>();
        for (String name : metrics.all()) {
            String prefix = MetricNames.MODEL_GROUP + ".";
            String suffix = "." + MetricNames.MODEL_VERSION;
            int at = name.indexOf(prefix);
            if (at >= 0 && name.endsWith(suffix)) {
                ids.add(name.substring(at + prefix.length(), name.length() - suffix.length()));
            }
        }
        return new ArrayList<>(ids);
    }

    private static String[] suffixes(List<String> models) {
        List<String> s = new ArrayList<>(List.of(
                MetricNames.recordsIn("labeled"),
                MetricNames.recordsIn("series"),
                MetricNames.recordsIn("requests"),
                MetricNames.DELTA_GAPS));
        s.addAll(MetricNames.JOIN_COUNTS);
        s.addAll(List.of(
                MetricNames.ENTITY_LABELS_COUNTED,
                MetricNames.ENTITIES_NEW,
                MetricNames.ENTITIES_KEPT,
                MetricNames.ENTITY_BYTES,
                MetricNames.STORE_VERSIONS_REFUSED));
        for (String model : models) {
            for (String metric : MODEL_METRICS) {
                s.add(MetricNames.ofModel(model, metric));
            }
        }
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            s.add(MetricNames.deadLetters(reason.code()));
        }
        return s.toArray(new String[0]);
    }

    private static double served(Map<String, Double> m) {
        return m.entrySet().stream()
                .filter(e -> e.getKey().endsWith(".predictionsServed"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }

    private static double deadLetters(Map<String, Double> m) {
        return deadLettersByReason(m).values().stream()
                .mapToDouble(Double::doubleValue)
                .sum();
    }

    /** Each reason of which there are dead letters, with their count ("2 bad-label, 1 unknown-model"); "" for none. */
    static String deadLetterReasons(Map<String, Double> m) {
        return deadLettersByReason(m).entrySet().stream()
                .map(e -> String.format("%.0f %s", e.getValue(), e.getKey()))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** The reasons of which there are dead letters, each with their count, by name. */
    private static Map<String, Double> deadLettersByReason(Map<String, Double> m) {
        String prefix = MetricNames.REASON_GROUP + ".";
        String suffix = "." + MetricNames.DEAD_LETTERS;
        Map<String, Double> byReason = new java.util.TreeMap<>();
        m.forEach((key, count) -> {
            if (key.startsWith(prefix) && key.endsWith(suffix) && count > 0) {
                byReason.put(key.substring(prefix.length(), key.length() - suffix.length()), count);
            }
        });
        return byReason;
    }

    private static String fmt(Map<String, Double> m, String key, String format) {
        Double v = m.get(key);
        return v == null ? "-" : String.format(format, v);
    }

    private static String duration(long millis) {
        long s = millis / 1000;
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60) : String.format("%dm%02ds", s / 60, s % 60);
    }

    private static String bytes(long b) {
        return b >= 1 << 20 ? String.format("%.1f MB", b / 1048576.0) : String.format("%.1f KB", b / 1024.0);
    }
}
