package dev.streamlearn.training;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.metrics.MetricNames;
import java.util.ArrayList;
import java.util.List;

/**
 * The metrics of each learner of a model with challengers ({@code model.<id>.learner.<name>.<metric>}):
 * which is the champion, what each learnt and how well it scores, and how it stood against the
 * champion at the last check. The one list of them.
 */
@SuppressWarnings("ImmutableEnumChecker") // the readers are stateless lambdas
public enum LearnerMetric {
    CHAMPION(MetricNames.CHAMPION, null, true, (c, k) -> c.championIndex() == k ? 1 : 0),
    BLEND_WEIGHT(MetricNames.BLEND_WEIGHT, null, false, Contest::servedWeight),
    EXAMPLES_LEARNT(
            MetricNames.EXAMPLES_LEARNT, null, true, (c, k) -> c.contenders().get(k).examplesLearnt),
    PAUSED(MetricNames.PAUSED, null, true, (c, k) -> c.contenders().get(k).paused ? 1 : 0),
    LOG_LOSS(MetricNames.LOG_LOSS, Loss.LOGISTIC, false, (c, k) -> c.contenders()
            .get(k)
            .scores
            .windowLoss()),
    /** Sorts the window: refreshed with the model's AUC. */
    AUC(MetricNames.AUC, Loss.LOGISTIC, false, (c, k) -> c.contenders()
            .get(k)
            .scores
            .windowAuc()),
    MAE(MetricNames.MAE, Loss.SQUARED, false, (c, k) -> c.contenders()
            .get(k)
            .scores
            .windowMae()),
    RMSE(MetricNames.RMSE, Loss.SQUARED, false, (c, k) -> c.contenders()
            .get(k)
            .scores
            .windowRmse()),
    IMPROVEMENT(MetricNames.IMPROVEMENT, null, false, (c, k) -> {
        Standing v = c.comparison(k);
        return v == null ? Double.NaN : v.relativeImprovement;
    }),
    IMPROVEMENT_STD_ERRORS(MetricNames.IMPROVEMENT_STD_ERRORS, null, false, (c, k) -> {
        Standing v = c.comparison(k);
        return v == null ? Double.NaN : v.standardErrors;
    });

    /** How a learner's value is read. */
    @FunctionalInterface
    interface Reader {
        double read(Contest contest, int learner);
    }

    private final String metricName;
    private final Loss only;
    private final boolean count;
    private final Reader reader;

    LearnerMetric(String metricName, Loss only, boolean count, Reader reader) {
        this.metricName = metricName;
        this.only = only;
        this.count = count;
        this.reader = reader;
    }

    public String metricName() {
        return metricName;
    }

    public boolean isCount() {
        return count;
    }

    double read(Contest contest, int learner) {
        return reader.read(contest, learner);
    }

    /** The learner metrics of a model with this loss. */
    public static List<LearnerMetric> of(Loss loss) {
        List<LearnerMetric> out = new ArrayList<>();
        for (LearnerMetric m : values()) {
            if (m.only == null || m.only == loss) {
                out.add(m);
            }
        }
        return out;
    }
}
