package dev.streamlearn.training;

import dev.streamlearn.metrics.PrequentialMetrics;
import dev.streamlearn.metrics.Loss;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * One model's gauges. Values are published by the task thread after each batch into volatile
 * fields, so the metric reporter thread never reads the trainer's arrays while they change.
 * AUC sorts the window, so it is refreshed at most once a second.
 */
final class TrainerMetrics {

    private static final long AUC_REFRESH_MILLIS = 1000;

    private volatile long version;
    private volatile long examplesTrained;
    private volatile long batchesApplied;
    private volatile boolean frozen;
    private volatile double windowLoss = Double.NaN;
    private volatile double totalLoss = Double.NaN;
    private volatile double accuracy = Double.NaN;
    private volatile double auc = Double.NaN;
    private volatile double mae = Double.NaN;
    private volatile double rmse = Double.NaN;
    private final double[] forecast = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
    private long aucRefreshedAtMillis = -AUC_REFRESH_MILLIS;
    /** Examples seen when the AUC was last computed, so an unchanged window is not sorted again. */
    private long aucRefreshedAt = -1;

    TrainerMetrics(MetricGroup group, ModelTrainer trainer) {
        // values first: a reporter may read a gauge the moment it is registered
        publish(trainer, 0L); // also computes the AUC of a restored window
        group.gauge("modelVersion", (Gauge<Long>) () -> version);
        group.gauge("examplesTrained", (Gauge<Long>) () -> examplesTrained);
        group.gauge("batchesApplied", (Gauge<Long>) () -> batchesApplied);
        group.gauge("frozen", (Gauge<Integer>) () -> frozen ? 1 : 0);
        if (trainer.spec().loss == Loss.LOGISTIC) {
            group.gauge("logLoss", (Gauge<Double>) () -> windowLoss);
            group.gauge("logLossTotal", (Gauge<Double>) () -> totalLoss);
            group.gauge("accuracy", (Gauge<Double>) () -> accuracy);
            group.gauge("auc", (Gauge<Double>) () -> auc);
        } else {
            group.gauge("mae", (Gauge<Double>) () -> mae);
            group.gauge("rmse", (Gauge<Double>) () -> rmse);
            String[] names = {"forecastMae", "forecastRmse", "forecastMape", "naiveMae", "naiveRmse", "naiveMape"};
            for (int i = 0; i < names.length; i++) {
                int at = i;
                group.gauge(names[i], (Gauge<Double>) () -> forecast[at]);
            }
        }
    }

    /**
     * Publishes the trainer's current values. Returns the time at which the AUC should be
     * refreshed when this call skipped it (it was refreshed less than a second ago), else -1,
     * so the caller can make sure the last batch before a pause is reflected.
     */
    long publish(ModelTrainer trainer, long nowMillis) {
        PrequentialMetrics m = trainer.metrics();
        version = trainer.version();
        examplesTrained = trainer.examplesTrained();
        batchesApplied = trainer.batchesApplied();
        frozen = trainer.frozen();
        windowLoss = m.windowLoss();
        totalLoss = m.totalLoss();
        accuracy = m.windowAccuracy();
        mae = m.windowMae();
        rmse = m.windowRmse();
        if (trainer.forecastMetrics().seen() > 0) {
            PrequentialMetrics f = trainer.forecastMetrics();
            PrequentialMetrics n = trainer.naiveMetrics();
            // the array's slots are read by the reporter thread; each is a single double write
            forecast[0] = f.windowMae();
            forecast[1] = f.windowRmse();
            forecast[2] = f.windowMape();
            forecast[3] = n.windowMae();
            forecast[4] = n.windowRmse();
            forecast[5] = n.windowMape();
        }
        if (trainer.spec().loss != Loss.LOGISTIC || aucRefreshedAt == m.seen()) {
            return -1;
        }
        if (nowMillis - aucRefreshedAtMillis >= AUC_REFRESH_MILLIS) {
            auc = m.windowAuc();
            aucRefreshedAtMillis = nowMillis;
            aucRefreshedAt = m.seen();
            return -1;
        }
        return aucRefreshedAtMillis + AUC_REFRESH_MILLIS;
    }
}
