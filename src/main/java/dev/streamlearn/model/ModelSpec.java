package dev.streamlearn.model;

import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.options.Option;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that defines how one model learns, fixed when the job starts: one value of each of
 * {@link ModelOptions}. Built with {@link #builder}, or by the job from its options.
 */
public final class ModelSpec implements Serializable {

    private static final long serialVersionUID = 4L;

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

    /** What a model with challengers serves. */
    public enum Serving {
        /** A blend of the learners that transform features as the champion does, weighted by their recent losses. */
        BLEND,
        /** The champion alone. */
        CHAMPION;

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
    // the values that were set, not defaulted: what a challenger starts from (its own optimizer's defaults apply)
    private final Map<String, Object> given;
    private final String learnerName;
    private final String overridesText;
    // whether the model forecasts a time series: its automatic challengers differ
    private final boolean series;
    private final List<Challenger> challengers;

    // read per example: kept beside the map
    private final Loss loss;
    private final OptimizerKind optimizer;
    private final int hashBits;

    private ModelSpec(
            String id,
            Map<String, Object> values,
            Map<String, Object> given,
            String learnerName,
            String overridesText,
            boolean series,
            List<Challenger> challengers) {
        this.id = id;
        this.values = Collections.unmodifiableMap(values);
        this.given = Collections.unmodifiableMap(given);
        this.learnerName = learnerName;
        this.overridesText = overridesText;
        this.series = series;
        this.challengers = List.copyOf(challengers);
        this.loss = get(ModelOptions.LOSS);
        this.optimizer = get(ModelOptions.OPTIMIZER);
        this.hashBits = get(ModelOptions.HASH_BITS);
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder that starts from this spec: what was set stays set, the rest keeps following its defaults. */
    public Builder toBuilder() {
        Builder b = new Builder(id);
        b.values.putAll(given);
        b.series = series;
        return b;
    }

    /** Which of the model's learners this is: {@link Challenger#DEFAULT} for the model's own options, else a challenger's name. */
    public String learnerName() {
        return learnerName;
    }

    /** The model's challengers ({@code auto} resolved); none for a challenger's own spec. */
    public List<Challenger> challengers() {
        return challengers;
    }

    /** The model's learners: its own options first, then each challenger's. */
    public List<ModelSpec> learners() {
        List<ModelSpec> all = new ArrayList<>();
        all.add(this);
        for (Challenger c : challengers) {
            all.add(learner(c));
        }
        return all;
    }

    /**
     * The spec a challenger learns with: the model's options as set, with the challenger's on top;
     * what neither sets follows its default (a challenger that changes the optimizer gets that
     * optimizer's regularization unless it sets its own).
     */
    public ModelSpec learner(Challenger c) {
        Builder b = toBuilder();
        String optimizerText = c.overrides.get(ModelOptions.OPTIMIZER.key);
        if (optimizerText != null
                && ModelOptions.OPTIMIZER.parse(optimizerText, ModelOptions.OPTIMIZER.key) != optimizer) {
            // a rate or a regularization means something else to another optimizer: its own defaults apply
            for (Option<?> perOptimizer : List.of(ModelOptions.L1, ModelOptions.L2, ModelOptions.LEARNING_RATE)) {
                b.values.remove(perOptimizer.key);
            }
        }
        for (Map.Entry<String, String> o : c.overrides.entrySet()) {
            set(b, option(o.getKey()), o.getValue());
        }
        b.set(ModelOptions.CHALLENGERS, ChallengerList.NONE);
        b.learnerName = c.name;
        b.overridesText = c.overridesText();
        return b.build();
    }

    /** The challenger's settings as written ({@code key=value ...}); empty for the model's own learner. */
    public String learnerOverrides() {
        return overridesText;
    }

    /** Whether this learner learns exactly as another (every option but the challengers the same). */
    public boolean learnsAs(ModelSpec other) {
        for (Option<?> o : ModelOptions.ALL) {
            if (!o.equals(ModelOptions.CHALLENGERS) && !Objects.equals(values.get(o.key), other.values.get(o.key))) {
                return false;
            }
        }
        return true;
    }

    private static <T> void set(Builder b, Option<T> option, String text) {
        b.set(option, option.parse(text, option.key));
    }

    private static Option<?> option(String key) {
        for (Option<?> o : ModelOptions.ALL) {
            if (o.key.equals(key)) {
                return o;
            }
        }
        throw new IllegalArgumentException("'" + key + "' is not an option of a model");
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

    /** The bits of the features' hash space ({@code hash.bits}): what every feature hasher of the model uses. */
    public int featureBits() {
        return hashBits;
    }

    /**
     * The bits of the model's coordinates: the features' space, and as large a space again for
     * the crosses when the model has any ({@link dev.streamlearn.features.FeatureHasher#crossIndex}).
     */
    public int hashBits() {
        return hasCrosses() ? hashBits + 1 : hashBits;
    }

    /** Whether the model forecasts a time series. */
    public boolean isSeries() {
        return series;
    }

    public boolean hasCrosses() {
        return !get(ModelOptions.CROSSES).isEmpty();
    }

    /** The first coordinate of the crosses' space; the bias when the model has no crosses. */
    public int firstCrossIndex() {
        return FeatureHasher.biasIndex(hashBits);
    }

    /** URI of a model file to start from when there is no state, or null. */
    public String initialModel() {
        String uri = get(ModelOptions.INITIAL_MODEL);
        return uri.isBlank() ? null : uri;
    }

    /** Weight vector length: 2^hashBits hashed coordinates (features, crosses) plus the bias. */
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
        private boolean series;
        private String learnerName = Challenger.DEFAULT;
        private String overridesText = "";

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

        /** The model forecasts a time series (its automatic challengers are chosen for one). */
        public Builder series(boolean forecastsSeries) {
            this.series = forecastsSeries;
            return this;
        }

        /**
         * The spec. Its challengers are those set, or for {@code auto} the built-in set, leaving out
         * any that would learn exactly as the model itself.
         */
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
            ChallengerList list = (ChallengerList) all.get(ModelOptions.CHALLENGERS.key);
            ModelSpec spec =
                    new ModelSpec(id, all, new LinkedHashMap<>(values), learnerName, overridesText, series, List.of());
            List<Challenger> challengers = new ArrayList<>();
            for (Challenger c : list.resolve(spec)) {
                if (!list.isAuto() || !spec.learner(c).learnsAs(spec)) {
                    challengers.add(c);
                }
            }
            return challengers.isEmpty()
                    ? spec
                    : new ModelSpec(
                            id, all, new LinkedHashMap<>(values), learnerName, overridesText, series, challengers);
        }
    }
}
