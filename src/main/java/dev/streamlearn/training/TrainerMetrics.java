package dev.streamlearn.training;

import dev.streamlearn.metrics.MetricNames;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * One model's gauges ({@link ModelMetric}), and each of its learners' when it has challengers
 * ({@link LearnerMetric}). Values are published by the task thread after each
 * batch into a volatile array, so the metric reporter thread never reads the trainer's arrays
 * while they change. AUC sorts the window, so it is refreshed at most once a second.
 */
@SuppressWarnings({
    "EnumOrdinal", // a metric's slot in the published array is its position among ModelMetric's
    "NonAtomicVolatileUpdate" // one writer, the task thread; the reporter only reads
})
final class TrainerMetrics {

    private static final long AUC_REFRESH_MILLIS = 1000;

    private final List<ModelMetric> metrics;
    // one slot per ModelMetric, written by the task thread, read by the reporter: each a single double write
    private final double[] values = new double[ModelMetric.values().length];
    private final List<LearnerMetric> learnerMetrics;
    // per learner, one slot per LearnerMetric
    private final double[][] learnerValues;
    private volatile long published;
    private long aucRefreshedAtMillis = -AUC_REFRESH_MILLIS;
    /** Examples seen when the AUC was last computed, so an unchanged window is not sorted again. */
    private long aucRefreshedAt = -1;

    /** A squared-loss model gets the series metrics too: whether it will see a series is not known up front. */
    TrainerMetrics(MetricGroup group, ModelTrainer trainer) {
        this.metrics = ModelMetric.of(trainer.spec().loss(), true);
        this.learnerMetrics = LearnerMetric.of(trainer.spec().loss());
        Contest contest = trainer.contest();
        this.learnerValues =
                new double[contest.hasChallengers() ? contest.contenders().size() : 0][LearnerMetric.values().length];
        Arrays.fill(values, Double.NaN);
        for (double[] v : learnerValues) {
            Arrays.fill(v, Double.NaN);
        }
        // values first: a reporter may read a gauge the moment it is registered
        publish(trainer, 0L); // also computes the AUC of a restored window
        for (ModelMetric m : metrics) {
            register(group, m.metricName(), m.isCount(), values, m.ordinal());
        }
        for (int k = 0; k < learnerValues.length; k++) {
            MetricGroup learner = group.addGroup(
                    MetricNames.LEARNER_GROUP, contest.contenders().get(k).name());
            for (LearnerMetric m : learnerMetrics) {
                register(learner, m.metricName(), m.isCount(), learnerValues[k], m.ordinal());
            }
        }
    }

    /** A gauge of one published slot: a whole number for a count, else a double (NaN until published). */
    private void register(MetricGroup group, String name, boolean count, double[] slots, int at) {
        if (count) {
            group.gauge(name, (Gauge<Long>) () -> published >= 0 ? (long) slots[at] : 0L);
        } else {
            group.gauge(name, (Gauge<Double>) () -> published >= 0 ? slots[at] : Double.NaN);
        }
    }

    /**
     * Publishes the trainer's current values. Returns the time at which the AUC should be
     * refreshed when this call skipped it (it was refreshed less than a second ago), else -1,
     * so the caller can make sure the last batch before a pause is reflected.
     */
    long publish(ModelTrainer trainer, long nowMillis) {
        long refreshAt = -1;
        // both AUCs (prequential and served) sort their windows: refreshed together, when anything was scored
        long seen = trainer.metrics().seen() + trainer.servedMetrics().seen();
        boolean refreshAuc = false;
        if (aucRefreshedAt != seen) {
            if (nowMillis - aucRefreshedAtMillis < AUC_REFRESH_MILLIS) {
                refreshAt = aucRefreshedAtMillis + AUC_REFRESH_MILLIS;
            } else {
                refreshAuc = true;
                aucRefreshedAtMillis = nowMillis;
                aucRefreshedAt = seen;
            }
        }
        for (ModelMetric m : metrics) {
            if ((m == ModelMetric.AUC || m == ModelMetric.SERVED_AUC) && !refreshAuc) {
                continue;
            }
            values[m.ordinal()] = m.read(trainer);
        }
        for (int k = 0; k < learnerValues.length; k++) {
            for (LearnerMetric m : learnerMetrics) {
                if (m != LearnerMetric.AUC || refreshAuc) {
                    learnerValues[k][m.ordinal()] = m.read(trainer.contest(), k);
                }
            }
        }
        published++; // a volatile write after the values: the reporter thread sees them
        return refreshAt;
    }
}
