package dev.streamlearn.model;

import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.options.Option;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that defines how one model learns, fixed when the job starts: one value of each of
 * {@link ModelOptions}. Built with {@link #builder}, or by the job from its options.
 */
public final class ModelSpec implements Serializable {

    private static final long serialVersionUID = 3L;

    /**
     * The optimizers, each with the regularization and learning rate it starts from when none is
     * configured. FTRL's L1 and L2 weigh against the loss summed over the whole stream, so 1 is
     * mild; AdaGrad and SGD apply theirs at every step, where any fixed amount would dominate a
     * long stream: they start without. Recursive least squares is exact ridge regression; its L2 is
     * the ridge (on standardized features, 1 weighs as much as one example).
     */
    public enum OptimizerKind {
        FTRL(1.0, 1.0, Double.NaN),
        ADAGRAD(0.0, 0.0, 0.1),
        SGD(0.0, 0.0, 0.1),
        /** Recursive least squares (squared loss, few features): L2 is the ridge, one pseudo-example's worth. */
        RLS(0.0, 1.0, Double.NaN);

        public final double defaultL1;
        public final double defaultL2;
        /** AdaGrad's eta, SGD's initial rate; FTRL has alpha and beta instead. */
        public final double defaultLearningRate;

        OptimizerKind(double defaultL1, double defaultL2, double defaultLearningRate) {
            this.defaultL1 = defaultL1;
            this.defaultL2 = defaultL2;
            this.defaultLearningRate = defaultLearningRate;
        }

        /** The name in options and messages: {@code ftrl}, {@code adagrad}, ... */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the guard does when a model's prequential loss rises suddenly (see {@code LossShiftDetector}). */
    public enum GuardAction {
        /** Nothing is watched. */
        NONE,
        /** A line on the model log and a metric. */
        ALERT,
        /** Keep serving, stop learning until the loss is back (or the change persisted long enough to keep). */
        FREEZE,
        /** Back to the newest healthy version from before the rise, then as {@link #FREEZE}. */
        ROLLBACK;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public final String id;
    // one value of each model option (ModelOptions.ALL), by key: keys survive serialization, objects do not
    private final Map<String, Object> values;

    // read per example: kept beside the map
    private final Loss loss;
    private final OptimizerKind optimizer;
    private final int hashBits;

    private ModelSpec(String id, Map<String, Object> values) {
        this.id = id;
        this.values = Collections.unmodifiableMap(values);
        this.loss = get(ModelOptions.LOSS);
        this.optimizer = get(ModelOptions.OPTIMIZER);
        this.hashBits = get(ModelOptions.HASH_BITS);
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder that starts from this spec. */
    public Builder toBuilder() {
        Builder b = new Builder(id);
        b.values.putAll(values);
        return b;
    }

    /** The model's value of one of its options. */
    @SuppressWarnings("unchecked")
    public <T> T get(Option<T> option) {
        Object v = values.get(option.key);
        if (v == null && !values.containsKey(option.key)) {
            throw new IllegalArgumentException("'" + option.key + "' is not an option of a model");
        }
        return (T) v;
    }

    /** Every option's value as an option would be written, in the order of {@link ModelOptions#ALL}. */
    public Map<String, String> asText() {
        Map<String, String> text = new LinkedHashMap<>();
        for (Option<?> o : ModelOptions.ALL) {
            text.put(o.key, format(o));
        }
        return text;
    }

    private <T> String format(Option<T> option) {
        return option.type.format(get(option));
    }

    public Loss loss() {
        return loss;
    }

    public OptimizerKind optimizer() {
        return optimizer;
    }

    public int hashBits() {
        return hashBits;
    }

    /** URI of a model file to start from when there is no state, or null. */
    public String initialModel() {
        String uri = get(ModelOptions.INITIAL_MODEL);
        return uri.isBlank() ? null : uri;
    }

    /** Weight vector length: 2^hashBits hashed coordinates plus the bias. */
    public int dimension() {
        return FeatureHasher.dimension(hashBits());
    }

    /** The bias coordinate, after the hashed ones. */
    public int biasIndex() {
        return FeatureHasher.biasIndex(hashBits());
    }

    /** Whether every numeric feature is log-transformed. */
    public boolean logAllFeatures() {
        List<String> logFeatures = get(ModelOptions.SCALE_LOG);
        return logFeatures.size() == 1 && logFeatures.get(0).equals("*");
    }

    /** The per-update factor by which forgetting shrinks accumulated state; 1 without forgetting. */
    public double forgetDecay() {
        long halfLife = get(ModelOptions.FORGET_HALF_LIFE);
        return halfLife <= 0 ? 1.0 : Math.pow(0.5, 1.0 / halfLife);
    }

    /**
     * One model's settings; what is not set keeps its option's default, and the regularization and
     * rate the optimizer starts from.
     */
    public static final class Builder {
        private final String id;
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder(String id) {
            this.id = id;
        }

        /** Sets an option's value as it is: the job checks values against their rules as it reads them. */
        public <T> Builder set(Option<T> option, T value) {
            if (!ModelOptions.ALL.contains(option)) {
                throw new IllegalArgumentException("'" + option.key + "' is not an option of a model");
            }
            values.put(option.key, value);
            return this;
        }

        public ModelSpec build() {
            Map<String, Object> all = new LinkedHashMap<>();
            for (Option<?> o : ModelOptions.ALL) {
                all.put(o.key, values.containsKey(o.key) ? values.get(o.key) : o.defaultValue);
            }
            OptimizerKind optimizer = (OptimizerKind) all.get(ModelOptions.OPTIMIZER.key);
            if (all.get(ModelOptions.L1.key) == null) {
                all.put(ModelOptions.L1.key, optimizer.defaultL1);
            }
            if (all.get(ModelOptions.L2.key) == null) {
                all.put(ModelOptions.L2.key, optimizer.defaultL2);
            }
            if (all.get(ModelOptions.LEARNING_RATE.key) == null) {
                all.put(ModelOptions.LEARNING_RATE.key, optimizer.defaultLearningRate);
            }
            return new ModelSpec(id, all);
        }
    }
}
