package dev.streamlearn.job;

import dev.streamlearn.ingest.InputLimits;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.options.InvalidConfigException;
import dev.streamlearn.options.Option;
import dev.streamlearn.options.OptionValues;
import dev.streamlearn.options.Settings;
import dev.streamlearn.outcomes.AttributionWindow;
import dev.streamlearn.series.SeriesSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The job's configuration, read from {@code --key value} arguments and validated before anything
 * runs. Each option is declared once beside what it configures ({@link KafkaOptions}, {@link
 * Topic}, {@link AttributionWindow}, {@link ModelStore}, {@link InputLimits}, {@link SeriesSpec},
 * {@link ModelOptions}); this class checks them together and hands out what the job is made of.
 */
public final class JobConfig implements OptionValues {

    /** Every option of the job, in the order of the README's configuration table. */
    public static final List<Option<?>> OPTIONS = concat(
            KafkaOptions.OPTIONS,
            Topic.options(),
            List.of(JobTopology.REQUEST_BUFFER_TIMEOUT),
            AttributionWindow.OPTIONS,
            ModelStore.OPTIONS,
            InputLimits.OPTIONS,
            SeriesSpec.OPTIONS,
            List.of(ModelOptions.MODELS),
            ModelOptions.ALL);

    private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final Settings settings;
    private final Map<String, ModelSpec> models;
    private final long labeledSkipBefore;
    private final SeriesSpec series;
    private final Properties kafkaClient;

    private JobConfig(
            Settings settings,
            Map<String, ModelSpec> models,
            long labeledSkipBefore,
            SeriesSpec series,
            Properties kafkaClient) {
        this.settings = settings;
        this.models = models;
        this.labeledSkipBefore = labeledSkipBefore;
        this.series = series;
        this.kafkaClient = kafkaClient;
    }

    /** Reads {@code --key value} arguments. */
    public static JobConfig fromArgs(String... args) {
        return parse(Settings.fromArgs(args), true);
    }

    public static JobConfig fromMap(Map<String, String> values) {
        return parse(Settings.of(values), true);
    }

    /**
     * The model and time-series settings of the given options, validated as the job validates
     * them, for tools that run the job's learning code without Kafka (the evaluation tool).
     */
    public static JobConfig withoutKafka(Map<String, String> values) {
        return parse(Settings.of(values), false);
    }

    private static JobConfig parse(Settings settings, boolean kafka) {
        List<String> modelIds = modelIds(settings);
        settings.checkKnown(OPTIONS, modelIds);
        for (Option<?> option : OPTIONS) {
            settings.get(option); // parsed and checked against its rule, whether given or not
        }
        if (kafka && settings.get(KafkaOptions.BOOTSTRAP_SERVERS) == null) {
            throw new InvalidConfigException(
                    KafkaOptions.BOOTSTRAP_SERVERS.key, "is required (host:port of a Kafka broker)");
        }
        Map<String, ModelSpec> models = new LinkedHashMap<>();
        for (String id : modelIds) {
            models.put(id, modelSpec(id, settings));
        }
        if (settings.has(ModelOptions.LEARNING_RATE)
                && models.values().stream().allMatch(m -> m.optimizer() == ModelSpec.OptimizerKind.FTRL)) {
            throw new InvalidConfigException(
                    ModelOptions.LEARNING_RATE.key, "is not used by ftrl (its rates are ftrl.alpha and ftrl.beta)");
        }
        return new JobConfig(
                settings,
                Collections.unmodifiableMap(models),
                KafkaOptions.skipBefore(settings.get(KafkaOptions.LABELED_SKIP_BEFORE)),
                seriesSpec(settings, models),
                kafkaClient(settings));
    }

    private static List<String> modelIds(Settings settings) {
        List<String> ids = settings.get(ModelOptions.MODELS);
        for (String id : ids) {
            if (!MODEL_ID.matcher(id).matches()) {
                throw new InvalidConfigException(
                        ModelOptions.MODELS.key,
                        "'" + id + "' is not a model id (1-64 of letters, digits, '_', '.', '-')");
            }
            if (ids.indexOf(id) != ids.lastIndexOf(id)) {
                throw new InvalidConfigException(ModelOptions.MODELS.key, "model '" + id + "' is listed twice");
            }
        }
        return ids;
    }

    /** One model's spec: each of its options as set for it, else for every model, else the default. */
    private static ModelSpec modelSpec(String id, Settings settings) {
        ModelSpec.Builder b = ModelSpec.builder(id);
        for (Option<?> option : ModelOptions.ALL) {
            set(b, option, settings, id);
        }
        ModelSpec spec = b.series(id.equals(settings.get(SeriesSpec.MODEL))).build();
        String learningRateKey = Settings.modelKey(ModelOptions.LEARNING_RATE, id);
        if (spec.optimizer() == ModelSpec.OptimizerKind.FTRL && settings.asMap().containsKey(learningRateKey)) {
            throw new InvalidConfigException(
                    learningRateKey, "is not used by ftrl (its rates are ftrl.alpha and ftrl.beta)");
        }
        checkLearner(spec, Settings.modelKey(ModelOptions.OPTIMIZER, id), "");
        String challengersKey = settings.asMap().containsKey(Settings.modelKey(ModelOptions.CHALLENGERS, id))
                ? Settings.modelKey(ModelOptions.CHALLENGERS, id)
                : ModelOptions.CHALLENGERS.key;
        for (ModelSpec learner : spec.learners().subList(1, spec.learners().size())) {
            String challenger = "challenger '" + learner.learnerName() + "': ";
            if (learner.learnsAs(spec)) {
                throw new InvalidConfigException(
                        challengersKey, challenger + "its settings are the model's own: it would learn as the model");
            }
            checkLearner(learner, challengersKey, challenger);
        }
        return spec;
    }

    /** What one learner's options must keep together; {@code key} and {@code prefix} say where it was set. */
    private static void checkLearner(ModelSpec spec, String key, String prefix) {
        if (spec.optimizer() == ModelSpec.OptimizerKind.RLS) {
            if (spec.loss() != Loss.SQUARED) {
                throw new InvalidConfigException(
                        key,
                        prefix + "rls (recursive least squares) needs squared loss (--model." + spec.id
                                + ".loss squared)");
            }
            double l1 = spec.get(ModelOptions.L1);
            double l2 = spec.get(ModelOptions.L2);
            if (l1 > 0 || l2 <= 0) {
                throw new InvalidConfigException(
                        key, prefix + "rls takes l1 0 and an l2 above 0 (its ridge), got l1 " + l1 + ", l2 " + l2);
            }
        }
    }

    private static <T> void set(ModelSpec.Builder b, Option<T> option, Settings settings, String modelId) {
        T value = settings.get(option, modelId);
        if (value != null) {
            b.set(option, value);
        }
    }

    private static SeriesSpec seriesSpec(Settings settings, Map<String, ModelSpec> models) {
        String model = settings.get(SeriesSpec.MODEL);
        if (model.isEmpty()) {
            return null;
        }
        ModelSpec spec = models.get(model);
        if (spec == null) {
            throw new InvalidConfigException(
                    SeriesSpec.MODEL.key, "'" + model + "' is not listed in '" + ModelOptions.MODELS.key + "'");
        }
        if (spec.loss() != Loss.SQUARED) {
            throw new InvalidConfigException(
                    SeriesSpec.MODEL.key,
                    "model '" + model + "' must use squared loss (set --model." + model + ".loss squared)");
        }
        return SeriesSpec.from(settings, model);
    }

    private static Properties kafkaClient(Settings settings) {
        String file = settings.get(KafkaOptions.PROPERTIES_FILE);
        if (file.isBlank()) {
            return new Properties();
        }
        try {
            return KafkaClientProperties.load(Path.of(file));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(KafkaOptions.PROPERTIES_FILE.key, e.getMessage());
        }
    }

    private static List<Option<?>> concat(List<?>... lists) {
        List<Option<?>> all = new ArrayList<>();
        for (List<?> l : lists) {
            for (Object o : l) {
                all.add((Option<?>) o);
            }
        }
        return List.copyOf(all);
    }

    /** A job option's value. */
    @Override
    public <T> T get(Option<T> option) {
        return settings.get(option);
    }

    /** The name of one of the job's topics. */
    public String topic(Topic topic) {
        return settings.get(topic.option);
    }

    /** The options as given (for a tool that passes them on). */
    public Map<String, String> given() {
        return settings.asMap();
    }

    public Map<String, ModelSpec> models() {
        return models;
    }

    /** The time-series settings, or null when {@code series.model} is empty. */
    public SeriesSpec series() {
        return series;
    }

    /** How long impressions wait for their outcomes. */
    public AttributionWindow attributionWindow() {
        return AttributionWindow.from(settings);
    }

    /** Labeled events with an earlier Kafka timestamp are dropped; Long.MIN_VALUE: none. */
    public long labeledSkipBefore() {
        return labeledSkipBefore;
    }

    /** The model store, or null when {@code store.path} is empty. */
    public ModelStore store() {
        return ModelStore.from(settings);
    }

    /** What an input record may be, and how much of a rejected one a dead letter keeps. */
    public InputLimits inputLimits() {
        return InputLimits.from(settings);
    }

    /** The settings of {@code kafka.properties-file} (a copy; empty without one), for every Kafka client of the job. */
    public Properties kafkaClientProperties() {
        Properties copy = new Properties();
        copy.putAll(kafkaClient);
        return copy;
    }

    public DeliveryGuarantee deliveryGuarantee() {
        return settings.get(KafkaOptions.DELIVERY_GUARANTEE).flink;
    }
}
