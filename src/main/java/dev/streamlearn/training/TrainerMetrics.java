package dev.streamlearn.training;

import dev.streamlearn.metrics.PrequentialMetrics;
import dev.streamlearn.model.Loss;
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
    private long aucRefreshedAt = -AUC_REFRESH_MILLIS;

    TrainerMetrics(MetricGroup group, ModelTrainer trainer) {
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
        }
        publish(trainer, Long.MIN_VALUE);
    }

    void publish(ModelTrainer trainer, long nowMillis) {
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
        if (trainer.spec().loss == Loss.LOGISTIC && nowMillis - aucRefreshedAt >= AUC_REFRESH_MILLIS) {
            auc = m.windowAuc();
            aucRefreshedAt = nowMillis;
        }
    }
}
