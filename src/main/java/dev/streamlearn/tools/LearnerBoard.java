package dev.streamlearn.tools;

import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.training.LearnerMetric;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The learners of a model with challengers, as {@code scripts/status} shows them: which is the
 * champion, how each scores, and how each stood against the champion at the last check.
 */
final class LearnerBoard {

    private LearnerBoard() {}

    /** The learners of a model, from the names of its metrics (none for a model without challengers). */
    static List<String> learners(ClusterMetrics.MetricIds ids, String model) {
        String prefix = MetricNames.ofModel(model, MetricNames.LEARNER_GROUP + ".");
        String suffix = "." + MetricNames.CHAMPION;
        TreeSet<String> names = new TreeSet<>();
        for (String name : ids.all()) {
            int at = name.indexOf(prefix);
            if (at >= 0 && name.endsWith(suffix)) {
                names.add(name.substring(at + prefix.length(), name.length() - suffix.length()));
            }
        }
        return new ArrayList<>(names);
    }

    /** The metrics to read for the learners of each model. */
    static List<String> suffixes(ClusterMetrics.MetricIds ids, List<String> models) {
        List<String> s = new ArrayList<>();
        for (String model : models) {
            for (String learner : learners(ids, model)) {
                for (LearnerMetric m : LearnerMetric.values()) {
                    s.add(MetricNames.ofLearner(model, learner, m.metricName()));
                }
            }
        }
        return s;
    }

    static void print(PrintStream out, String model, List<String> learners, Map<String, Double> m) {
        if (learners.isEmpty()) {
            return;
        }
        String p = MetricNames.ofModel(model, "");
        boolean pinned = m.getOrDefault(p + MetricNames.PINNED, 0.0) > 0;
        out.printf(
                "%s learners: %.0f promotion(s) so far, %s%n",
                model,
                m.getOrDefault(p + MetricNames.PROMOTIONS, 0.0),
                pinned
                        ? "PINNED (scripts/control unpin " + model + ")"
                        : "a challenger that beats the champion is promoted");
        out.printf(
                "  %-12s %-8s %6s %10s %6s %9s %7s %9s %10s %12s %11s%n",
                "learner",
                "role",
                "serves",
                "learnt",
                "paused",
                MetricNames.LOG_LOSS,
                MetricNames.AUC,
                MetricNames.MAE,
                MetricNames.RMSE,
                "vs champion",
                "std errors");
        for (String learner : learners) {
            String l = MetricNames.ofLearner(model, learner, "");
            boolean champion = m.getOrDefault(l + MetricNames.CHAMPION, 0.0) > 0;
            out.printf(
                    "  %-12s %-8s %6s %10.0f %6s %9s %7s %9s %10s %12s %11s%n",
                    learner,
                    champion ? "champion" : "",
                    format(m, l + MetricNames.BLEND_WEIGHT, "%.2f"),
                    m.getOrDefault(l + MetricNames.EXAMPLES_LEARNT, 0.0),
                    m.getOrDefault(l + MetricNames.PAUSED, 0.0) > 0 ? "yes" : "no",
                    format(m, l + MetricNames.LOG_LOSS, "%.4f"),
                    format(m, l + MetricNames.AUC, "%.3f"),
                    format(m, l + MetricNames.MAE, "%.4g"),
                    format(m, l + MetricNames.RMSE, "%.4g"),
                    champion ? "" : improvement(m.get(l + MetricNames.IMPROVEMENT)),
                    champion ? "" : format(m, l + MetricNames.IMPROVEMENT_STD_ERRORS, "%.1f"));
        }
    }

    /** A challenger's loss against the champion's: "12.5 % lower" or "3.0 % higher". */
    private static String improvement(Double fraction) {
        if (fraction == null || fraction.isNaN()) {
            return "-";
        }
        return String.format("%.1f %% %s", Math.abs(100 * fraction), fraction >= 0 ? "lower" : "higher");
    }

    private static String format(Map<String, Double> m, String key, String format) {
        Double v = m.get(key);
        return v == null || v.isNaN() ? "-" : String.format(format, v);
    }
}
