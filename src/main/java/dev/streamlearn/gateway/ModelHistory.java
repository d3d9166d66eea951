package dev.streamlearn.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.metrics.MetricNames;
import java.util.List;
import java.util.Map;

/**
 * One model's learning curve as the gateway samples it: at each sample in which the model has
 * learnt more examples, the time, the examples, the version and its windowed quality. The
 * oldest samples give way beyond {@link #CAPACITY}.
 */
final class ModelHistory {

    /** An hour of samples taken every second (the page open), ten hours of samples ten seconds apart. */
    static final int CAPACITY = 3600;

    /** The series kept besides the time, named as the model's metrics; NaN where a model has none. */
    static final List<String> SERIES = List.of(
            MetricNames.EXAMPLES_TRAINED,
            MetricNames.MODEL_VERSION,
            MetricNames.LOG_LOSS,
            MetricNames.AUC,
            MetricNames.MAE,
            MetricNames.RMSE,
            MetricNames.SERVED_LOG_LOSS,
            MetricNames.SERVED_AUC);

    private final long[] millis = new long[CAPACITY];
    private final double[][] values = new double[SERIES.size()][CAPACITY];
    private int next;
    private int size;

    /** Adds a sample when the model has learnt since the last one (or none was taken); true when it did. */
    synchronized boolean sample(long nowMillis, Map<String, Double> figures) {
        Double examples = figures.get(MetricNames.EXAMPLES_TRAINED);
        if (examples == null || (size > 0 && examples == values[0][(next + CAPACITY - 1) % CAPACITY])) {
            return false;
        }
        millis[next] = nowMillis;
        for (int s = 0; s < SERIES.size(); s++) {
            Double v = figures.get(SERIES.get(s));
            values[s][next] = v == null ? Double.NaN : v;
        }
        next = (next + 1) % CAPACITY;
        size = Math.min(size + 1, CAPACITY);
        return true;
    }

    synchronized int size() {
        return size;
    }

    /** The samples, oldest first: {@code millis} and one array per series (null where a value is NaN). */
    synchronized ObjectNode toJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        int first = (next - size + CAPACITY) % CAPACITY;
        var t = out.putArray("millis");
        for (int i = 0; i < size; i++) {
            t.add(millis[(first + i) % CAPACITY]);
        }
        for (int s = 0; s < SERIES.size(); s++) {
            var a = out.putArray(SERIES.get(s));
            for (int i = 0; i < size; i++) {
                double v = values[s][(first + i) % CAPACITY];
                if (Double.isFinite(v)) {
                    a.add(v);
                } else {
                    a.addNull();
                }
            }
        }
        return out;
    }
}
