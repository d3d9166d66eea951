package dev.streamlearn.job;

import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.series.SeriesSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.util.ParameterTool;

/**
 * The job's typed options, read from {@code --key value} arguments and validated before
 * anything runs. Model options can be set for one model as {@code model.<id>.<key>}.
 */
public final class JobConfig {

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions.key("kafka.bootstrap-servers")
            .stringType().noDefaultValue()
            .withDescription("Kafka brokers, host:port[,host:port]. Required.");
    public static final ConfigOption<String> GROUP_ID = ConfigOptions.key("kafka.group-id")
            .stringType().defaultValue("streamlearn")
            .withDescription("Consumer group of the job's Kafka sources (offsets are committed on checkpoints).");
    public static final ConfigOption<String> STARTING_OFFSETS = ConfigOptions.key("kafka.starting-offsets")
            .stringType().defaultValue("committed")
            .withDescription("Where sources start without a checkpoint: committed (the group's offsets, else earliest), earliest or latest.");
    public static final ConfigOption<String> TOPIC_LABELED = topic(Topic.LABELED);
    public static final ConfigOption<String> TOPIC_REQUESTS = topic(Topic.REQUESTS);
    public static final ConfigOption<String> TOPIC_CONTROL = topic(Topic.CONTROL);
    public static final ConfigOption<String> TOPIC_PREDICTIONS = topic(Topic.PREDICTIONS);
    public static final ConfigOption<String> TOPIC_DEAD_LETTER = topic(Topic.DEAD_LETTER);
    public static final ConfigOption<String> DELIVERY_GUARANTEE = ConfigOptions.key("sink.delivery-guarantee")
            .stringType().defaultValue("at-least-once")
            .withDescription("Kafka sinks: at-least-once (predictions visible at once), exactly-once (visible on checkpoint; readers need read_committed) or none.");
    public static final ConfigOption<String> TOPIC_MODEL_LOG = topic(Topic.MODEL_LOG);
    public static final ConfigOption<String> STORE_PATH = ConfigOptions.key("store.path")
            .stringType().defaultValue("").withDescription("Model store directory URI; empty: no store.");
    public static final ConfigOption<Integer> STORE_KEEP_LAST = ConfigOptions.key("store.keep-last")
            .intType().defaultValue(10).withDescription("Retention: the newest n stored versions of a model stay ...");
    public static final ConfigOption<Integer> STORE_KEEP_EVERY = ConfigOptions.key("store.keep-every")
            .intType().defaultValue(100).withDescription("... and, of older ones, the first of every block of n versions.");
    public static final ConfigOption<String> TOPIC_SERIES = topic(Topic.SERIES);
    public static final ConfigOption<String> TOPIC_FORECASTS = topic(Topic.FORECASTS);
    public static final ConfigOption<String> SERIES_MODEL = ConfigOptions.key("series.model")
            .stringType().defaultValue("").withDescription("Model (squared loss) that learns from time series; empty: no time-series input.");
    public static final ConfigOption<Integer> SERIES_LAGS = ConfigOptions.key("series.lags")
            .intType().defaultValue(24).withDescription("The last k values are features.");
    public static final ConfigOption<String> SERIES_SEASONAL_LAGS = ConfigOptions.key("series.seasonal-lags")
            .stringType().defaultValue("24,168").withDescription("Further lags in steps, comma-separated (e.g. a day and a week of hours); the first is the seasonal-naive season; none for no seasonal lags.");
    public static final ConfigOption<Long> SERIES_STEP = ConfigOptions.key("series.step")
            .longType().defaultValue(3_600_000L).withDescription("The series' step in ms; a forecast is for one step ahead.");
    public static final ConfigOption<Long> SERIES_LATENESS = ConfigOptions.key("series.lateness")
            .longType().defaultValue(0L).withDescription("A point older than its series' newest by more than this (ms) is dead-lettered; within it, dropped and counted.");
    public static final ConfigOption<String> SERIES_GAP_POLICY = ConfigOptions.key("series.gap-policy")
            .stringType().defaultValue("fill").withDescription("Missing steps: fill (repeat the last value, up to the window) or reset (forget the window).");
    public static final ConfigOption<Long> SERIES_TTL = ConfigOptions.key("series.ttl")
            .longType().defaultValue(7 * 24 * 3_600_000L).withDescription("A series silent this long (ms, processing time) is dropped from state.");
    public static final ConfigOption<String> SERIES_CALENDAR = ConfigOptions.key("series.calendar")
            .stringType().defaultValue("true").withDescription("Hour of day and day of week (UTC) of the forecast time as features: true or false.");
    public static final ConfigOption<String> LABELED_SKIP_BEFORE = ConfigOptions.key("labeled.skip-before")
            .stringType().defaultValue("")
            .withDescription("Drop labeled events whose Kafka timestamp is before this: now, epoch ms or an ISO-8601 instant.");
    public static final ConfigOption<Integer> MAX_RECORD_BYTES = ConfigOptions.key("max.record.bytes")
            .intType().defaultValue(65536).withDescription("Larger input records go to the dead-letter topic.");
    public static final ConfigOption<String> MODELS = ConfigOptions.key("models")
            .stringType().defaultValue("ctr").withDescription("Comma-separated model ids the job trains and serves.");

    // model options: defaults for every model, each can be overridden per model
    public static final ConfigOption<String> LOSS = ConfigOptions.key("loss")
            .stringType().defaultValue("logistic").withDescription("logistic (labels 0/1) or squared (real labels).");
    public static final ConfigOption<String> OPTIMIZER = ConfigOptions.key("optimizer")
            .stringType().defaultValue("ftrl").withDescription("ftrl, adagrad, sgd or rls.");
    public static final ConfigOption<Integer> HASH_BITS = ConfigOptions.key("hash.bits")
            .intType().defaultValue(ModelSpec.Defaults.HASH_BITS)
            .withDescription("Feature hash space is 2^bits coordinates (plus the bias); 1.." + FeatureHasher.MAX_BITS + ".");
    public static final ConfigOption<Integer> BATCH_SIZE = ConfigOptions.key("batch.size")
            .intType().defaultValue(ModelSpec.Defaults.BATCH_SIZE)
            .withDescription("A mini-batch closes at this many examples ...");
    public static final ConfigOption<Long> BATCH_MILLIS = ConfigOptions.key("batch.millis")
            .longType().defaultValue(ModelSpec.Defaults.BATCH_MILLIS)
            .withDescription("... or this many milliseconds after its first example, whichever comes first.");
    public static final ConfigOption<Integer> FULL_EVERY = ConfigOptions.key("update.full-every")
            .intType().defaultValue(ModelSpec.Defaults.FULL_UPDATE_EVERY)
            .withDescription("Every n-th version is sent to inference in full (and the first after a start); others as deltas.");
    public static final ConfigOption<Integer> METRICS_WINDOW = ConfigOptions.key("metrics.window")
            .intType().defaultValue(ModelSpec.Defaults.METRICS_WINDOW)
            .withDescription("Prequential metrics cover the last n examples.");
    public static final ConfigOption<Double> FTRL_ALPHA = ConfigOptions.key("ftrl.alpha")
            .doubleType().defaultValue(ModelSpec.Defaults.FTRL_ALPHA)
            .withDescription("FTRL-Proximal learning rate scale alpha.");
    public static final ConfigOption<Double> FTRL_BETA = ConfigOptions.key("ftrl.beta")
            .doubleType().defaultValue(ModelSpec.Defaults.FTRL_BETA)
            .withDescription("FTRL-Proximal learning rate smoothing beta.");
    public static final ConfigOption<Double> LEARNING_RATE = ConfigOptions.key("learning-rate")
            .doubleType().noDefaultValue()
            .withDescription("AdaGrad rate eta; SGD initial rate (decays as eta/sqrt(1+t)).");
    public static final ConfigOption<Double> L1 = ConfigOptions.key("l1")
            .doubleType().noDefaultValue().withDescription("L1 regularization strength (sparsity).");
    public static final ConfigOption<Double> L2 = ConfigOptions.key("l2")
            .doubleType().noDefaultValue().withDescription("L2 regularization strength.");
    public static final ConfigOption<Long> STORE_INTERVAL = ConfigOptions.key("store.interval")
            .longType().defaultValue(ModelSpec.Defaults.STORE_INTERVAL_MILLIS)
            .withDescription("A version is stored at most every n ms (and at rollback, freeze, resume).");
    public static final ConfigOption<Integer> STORE_RECENT = ConfigOptions.key("store.recent")
            .intType().defaultValue(ModelSpec.Defaults.RECENT_VERSIONS)
            .withDescription("Stored versions the trainer also keeps in its state.");
    public static final ConfigOption<String> INITIAL_MODEL = ConfigOptions.key("initial-model")
            .stringType().defaultValue("").withDescription("Model file URI to start from when there is no state.");
    public static final ConfigOption<Double> SCALE_CLIP = ConfigOptions.key("scale.clip")
            .doubleType().defaultValue(ModelSpec.Defaults.SCALE_CLIP)
            .withDescription("Numeric features (and squared-loss labels) are standardized and clipped to this many standard deviations.");
    public static final ConfigOption<Long> SCALE_HORIZON = ConfigOptions.key("scale.horizon")
            .longType().defaultValue(ModelSpec.Defaults.SCALE_HORIZON)
            .withDescription("A feature's scaling statistics weigh its last ~n values (exponentially after n); 0: all values alike.");
    public static final ConfigOption<String> SCALE_LOG = ConfigOptions.key("scale.log")
            .stringType().defaultValue("")
            .withDescription("Numeric features to log-transform before scaling (heavy-tailed counts): names, comma-separated, or * for all.");
    public static final ConfigOption<Long> FORGET = ConfigOptions.key("forget.half-life")
            .longType().defaultValue(ModelSpec.Defaults.FORGET_HALF_LIFE)
            .withDescription("Forgetting for drifting streams: what the optimizer accumulated halves every n updates of a coordinate; 0: off.");

    private static ConfigOption<String> topic(Topic t) {
        return ConfigOptions.key(t.key).stringType().defaultValue(t.defaultName).withDescription(t.description);
    }

    /** Model options whose default depends on the optimizer (see {@link ModelSpec.OptimizerKind}). */
    public static final List<ConfigOption<Double>> PER_OPTIMIZER_DEFAULTS = List.of(LEARNING_RATE, L1, L2);

    private static final List<ConfigOption<?>> JOB_OPTIONS = List.of(BOOTSTRAP_SERVERS, GROUP_ID, STARTING_OFFSETS,
            TOPIC_LABELED, TOPIC_REQUESTS, TOPIC_CONTROL, TOPIC_PREDICTIONS, TOPIC_DEAD_LETTER, TOPIC_MODEL_LOG,
            DELIVERY_GUARANTEE, MAX_RECORD_BYTES, MODELS, STORE_PATH, STORE_KEEP_LAST, STORE_KEEP_EVERY,
            LABELED_SKIP_BEFORE, TOPIC_SERIES, TOPIC_FORECASTS, SERIES_MODEL, SERIES_LAGS, SERIES_SEASONAL_LAGS,
            SERIES_STEP, SERIES_LATENESS, SERIES_GAP_POLICY, SERIES_TTL, SERIES_CALENDAR);
    private static final List<ConfigOption<?>> MODEL_OPTIONS = List.of(LOSS, OPTIMIZER, HASH_BITS, BATCH_SIZE,
            BATCH_MILLIS, FULL_EVERY, METRICS_WINDOW, FTRL_ALPHA, FTRL_BETA, LEARNING_RATE, L1, L2, SCALE_CLIP,
            SCALE_HORIZON, SCALE_LOG, FORGET, STORE_INTERVAL, STORE_RECENT, INITIAL_MODEL);
    private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final Configuration conf;
    private final Map<String, ModelSpec> models;
    private final long labeledSkipBefore;
    private final SeriesSpec series;

    private JobConfig(Configuration conf, Map<String, ModelSpec> models, long labeledSkipBefore, SeriesSpec series) {
        this.conf = conf;
        this.models = models;
        this.labeledSkipBefore = labeledSkipBefore;
        this.series = series;
    }

    /** The time-series settings, or null when {@code series.model} is empty. */
    public SeriesSpec series() {
        return series;
    }

    /** Labeled events with an earlier Kafka timestamp are dropped; Long.MIN_VALUE: none. */
    public long labeledSkipBefore() {
        return labeledSkipBefore;
    }

    public static List<ConfigOption<?>> jobOptions() {
        return JOB_OPTIONS;
    }

    public static List<ConfigOption<?>> modelOptions() {
        return MODEL_OPTIONS;
    }

    /** Reads {@code --key value} arguments. */
    public static JobConfig fromArgs(String... args) {
        ParameterTool params;
        try {
            params = ParameterTool.fromArgs(args);
        } catch (RuntimeException e) {
            throw new InvalidConfigException("arguments", e.getMessage());
        }
        return fromMap(params.toMap());
    }

    public static JobConfig fromMap(Map<String, String> values) {
        return parse(values, true);
    }

    /**
     * The model and time-series settings of the given options, validated as the job validates
     * them, for tools that run the job's learning code without Kafka (the evaluation tool).
     */
    public static JobConfig withoutKafka(Map<String, String> values) {
        return parse(values, false);
    }

    private static JobConfig parse(Map<String, String> values, boolean kafka) {
        List<String> modelIds = parseModelIds(values.getOrDefault(MODELS.key(), MODELS.defaultValue()));
        for (String key : values.keySet()) {
            checkKnown(key, modelIds);
        }
        Configuration conf = Configuration.fromMap(values);
        if (kafka) {
            require(BOOTSTRAP_SERVERS, conf, v -> v != null && !v.isBlank(),
                    "is required (host:port of a Kafka broker)");
        }
        requireOneOf(STARTING_OFFSETS, conf, "committed", "earliest", "latest");
        requireOneOf(DELIVERY_GUARANTEE, conf, "at-least-once", "exactly-once", "none");
        for (ConfigOption<String> topic : List.of(TOPIC_LABELED, TOPIC_REQUESTS, TOPIC_CONTROL, TOPIC_PREDICTIONS,
                TOPIC_DEAD_LETTER, TOPIC_MODEL_LOG, GROUP_ID)) {
            require(topic, conf, v -> !v.isBlank(), "must not be empty");
        }
        require(MAX_RECORD_BYTES, conf, v -> v >= 64, "must be >= 64");
        require(STORE_KEEP_LAST, conf, v -> v >= 1, "must be >= 1");
        require(STORE_KEEP_EVERY, conf, v -> v >= 1, "must be >= 1");
        require(STORE_PATH, conf, v -> v.isEmpty() || v.contains("://") || v.startsWith("/"),
                "must be an absolute path or a URI such as file:///data/models or s3://bucket/models");

        long skipBefore = parseSkipBefore(conf.get(LABELED_SKIP_BEFORE));
        Map<String, ModelSpec> models = new LinkedHashMap<>();
        for (String id : modelIds) {
            models.put(id, modelSpec(id, conf));
        }
        if (conf.contains(LEARNING_RATE)
                && models.values().stream().allMatch(m -> m.optimizer == ModelSpec.OptimizerKind.FTRL)) {
            throw new InvalidConfigException(LEARNING_RATE.key(),
                    "is not used by ftrl (its rates are ftrl.alpha and ftrl.beta)");
        }
        return new JobConfig(conf, Collections.unmodifiableMap(models), skipBefore, seriesSpec(conf, models));
    }

    private static SeriesSpec seriesSpec(Configuration conf, Map<String, ModelSpec> models) {
        String model = get(SERIES_MODEL, conf);
        if (model.isEmpty()) {
            return null;
        }
        ModelSpec spec = models.get(model);
        if (spec == null) {
            throw new InvalidConfigException(SERIES_MODEL.key(), "'" + model + "' is not listed in '" + MODELS.key() + "'");
        }
        if (spec.loss != Loss.SQUARED) {
            throw new InvalidConfigException(SERIES_MODEL.key(), "model '" + model
                    + "' must use squared loss (set --model." + model + ".loss squared)");
        }
        require(SERIES_LAGS, conf, v -> v >= 1 && v <= 10_000, "must be in 1..10000");
        List<Integer> seasonal = new ArrayList<>();
        String lags = get(SERIES_SEASONAL_LAGS, conf);
        for (String part : lags.equals("none") ? new String[0] : lags.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                int lag = Integer.parseInt(part.trim());
                if (lag < 1 || lag > 100_000) {
                    throw new NumberFormatException();
                }
                seasonal.add(lag);
            } catch (NumberFormatException e) {
                throw new InvalidConfigException(SERIES_SEASONAL_LAGS.key(), "'" + part.trim()
                        + "' is not a lag in steps (1..100000)");
            }
        }
        require(SERIES_STEP, conf, v -> v >= 1, "must be >= 1");
        require(SERIES_LATENESS, conf, v -> v >= 0, "must be >= 0");
        require(SERIES_TTL, conf, v -> v >= 1, "must be >= 1");
        requireOneOf(SERIES_GAP_POLICY, conf, "fill", "reset");
        requireOneOf(SERIES_CALENDAR, conf, "true", "false");
        return new SeriesSpec(model, conf.get(SERIES_LAGS), seasonal.stream().mapToInt(Integer::intValue).toArray(),
                conf.get(SERIES_STEP), conf.get(SERIES_LATENESS),
                SeriesSpec.GapPolicy.valueOf(conf.get(SERIES_GAP_POLICY).toUpperCase(Locale.ROOT)), conf.get(SERIES_TTL),
                Boolean.parseBoolean(conf.get(SERIES_CALENDAR)));
    }

    /** "now" is the moment the job is built (on the client), so restarts keep the same cut. */
    private static long parseSkipBefore(String value) {
        if (value.isEmpty()) {
            return Long.MIN_VALUE;
        }
        if (value.equals("now")) {
            return System.currentTimeMillis();
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            // an instant
        }
        try {
            return java.time.Instant.parse(value).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidConfigException(LABELED_SKIP_BEFORE.key(),
                    "'" + value + "' is none of now, epoch milliseconds, an ISO-8601 instant such as 2026-11-28T14:00:00Z");
        }
    }

    private static List<String> parseModelIds(String list) {
        List<String> ids = new ArrayList<>();
        for (String raw : list.split(",")) {
            String id = raw.trim();
            if (!MODEL_ID.matcher(id).matches()) {
                throw new InvalidConfigException(MODELS.key(),
                        "'" + id + "' is not a model id (1-64 of letters, digits, '_', '.', '-')");
            }
            if (ids.contains(id)) {
                throw new InvalidConfigException(MODELS.key(), "model '" + id + "' is listed twice");
            }
            ids.add(id);
        }
        return ids;
    }

    private static void checkKnown(String key, List<String> modelIds) {
        for (ConfigOption<?> o : JOB_OPTIONS) {
            if (o.key().equals(key)) {
                return;
            }
        }
        String modelKey = key;
        if (key.startsWith("model.")) {
            String rest = key.substring("model.".length());
            String id = modelIds.stream().filter(m -> rest.startsWith(m + ".")).findFirst().orElse(null);
            if (id == null) {
                throw new InvalidConfigException(key, "names no model listed in '" + MODELS.key() + "' " + modelIds);
            }
            modelKey = rest.substring(id.length() + 1);
        }
        for (ConfigOption<?> o : MODEL_OPTIONS) {
            if (o.key().equals(modelKey)) {
                return;
            }
        }
        throw new InvalidConfigException(key, "unknown option (see the configuration table in README.md)");
    }

    private static ModelSpec modelSpec(String id, Configuration conf) {
        Loss loss = parseEnum(modelValue(LOSS, id, conf), id, LOSS, Loss::parse, "logistic, squared");
        ModelSpec.OptimizerKind optimizer = parseEnum(modelValue(OPTIMIZER, id, conf), id, OPTIMIZER,
                s -> ModelSpec.OptimizerKind.valueOf(s.toUpperCase(Locale.ROOT)), "ftrl, adagrad, sgd, rls");
        ModelSpec.Builder b = ModelSpec.builder(id).loss(loss).optimizer(optimizer)
                .hashBits(checked(HASH_BITS, id, conf, v -> v >= 1 && v <= FeatureHasher.MAX_BITS,
                        "must be in 1.." + FeatureHasher.MAX_BITS))
                .batchSize(checked(BATCH_SIZE, id, conf, v -> v >= 1 && v <= 1_000_000, "must be in 1..1000000"))
                .batchMillis(checked(BATCH_MILLIS, id, conf, v -> v >= 1, "must be >= 1"))
                .fullUpdateEvery(checked(FULL_EVERY, id, conf, v -> v >= 1, "must be >= 1"))
                .metricsWindow(checked(METRICS_WINDOW, id, conf, v -> v >= 1 && v <= 10_000_000,
                        "must be in 1..10000000"))
                .ftrl(checked(FTRL_ALPHA, id, conf, v -> v > 0 && Double.isFinite(v), "must be > 0"),
                        checked(FTRL_BETA, id, conf, v -> v >= 0 && Double.isFinite(v), "must be >= 0"))
                .learningRate(checkedOrNaN(LEARNING_RATE, id, conf, v -> v > 0 && Double.isFinite(v), "must be > 0"))
                .l1(checkedOrNaN(L1, id, conf, v -> v >= 0 && Double.isFinite(v), "must be >= 0"))
                .l2(checkedOrNaN(L2, id, conf, v -> v >= 0 && Double.isFinite(v), "must be >= 0"))
                .scaleClip(checked(SCALE_CLIP, id, conf, v -> v >= 1 && v <= 1000, "must be in 1..1000"))
                .scaleHorizon(checked(SCALE_HORIZON, id, conf, v -> v == 0 || v >= 10, "must be 0 or >= 10"))
                .logFeatures(featureNames(modelValue(SCALE_LOG, id, conf)))
                .forgetHalfLife(checked(FORGET, id, conf, v -> v >= 0, "must be >= 0"))
                .storeIntervalMillis(checked(STORE_INTERVAL, id, conf, v -> v >= 0, "must be >= 0"))
                .recentVersions(checked(STORE_RECENT, id, conf, v -> v >= 1 && v <= 100, "must be in 1..100"))
                .initialModel(modelValue(INITIAL_MODEL, id, conf));
        if (optimizer == ModelSpec.OptimizerKind.FTRL && conf.contains(perModel(LEARNING_RATE, id))) {
            throw new InvalidConfigException(perModel(LEARNING_RATE, id).key(),
                    "is not used by ftrl (its rates are ftrl.alpha and ftrl.beta)");
        }
        ModelSpec spec = b.build();
        if (optimizer == ModelSpec.OptimizerKind.RLS) {
            String key = modelKey(OPTIMIZER, id);
            if (loss != Loss.SQUARED) {
                throw new InvalidConfigException(key, "rls (recursive least squares) needs squared loss"
                        + " (--model." + id + ".loss squared)");
            }
            if (spec.l1 > 0 || spec.l2 <= 0) {
                throw new InvalidConfigException(key, "rls takes l1 0 and an l2 above 0 (its ridge), got l1 "
                        + spec.l1 + ", l2 " + spec.l2);
            }
        }
        return spec;
    }

    private static List<String> featureNames(String list) {
        List<String> names = new ArrayList<>();
        for (String n : list.split(",")) {
            if (!n.isBlank()) {
                names.add(n.trim());
            }
        }
        return names;
    }

    private static boolean isSet(ConfigOption<?> option, String modelId, Configuration conf) {
        return conf.contains(option) || conf.contains(perModel(option, modelId));
    }

    /** A model option without a fixed default: NaN when unset, so the optimizer's default applies. */
    private static double checkedOrNaN(ConfigOption<Double> option, String modelId, Configuration conf,
            java.util.function.Predicate<Double> valid, String rule) {
        if (!isSet(option, modelId, conf)) {
            return Double.NaN;
        }
        return checked(option, modelId, conf, valid, rule);
    }

    private static String modelKey(ConfigOption<?> option, String modelId) {
        return "model." + modelId + "." + option.key();
    }

    private static <T> T modelValue(ConfigOption<T> option, String modelId, Configuration conf) {
        ConfigOption<T> perModel = perModel(option, modelId);
        return conf.contains(perModel) ? get(perModel, conf) : get(option, conf);
    }

    @SuppressWarnings("unchecked")
    private static <T> ConfigOption<T> perModel(ConfigOption<T> option, String modelId) {
        ConfigOptions.OptionBuilder b = ConfigOptions.key(modelKey(option, modelId));
        Object d = option.defaultValue();
        if (PER_OPTIMIZER_DEFAULTS.contains(option)) {
            return (ConfigOption<T>) b.doubleType().noDefaultValue();
        } else if (d instanceof Integer) {
            return (ConfigOption<T>) b.intType().defaultValue((Integer) d);
        } else if (d instanceof Long) {
            return (ConfigOption<T>) b.longType().defaultValue((Long) d);
        } else if (d instanceof Double) {
            return (ConfigOption<T>) b.doubleType().defaultValue((Double) d);
        }
        return (ConfigOption<T>) b.stringType().defaultValue((String) d);
    }

    private static <T> T checked(ConfigOption<T> option, String modelId, Configuration conf,
            java.util.function.Predicate<T> valid, String rule) {
        T value = modelValue(option, modelId, conf);
        if (!valid.test(value)) {
            ConfigOption<T> perModel = perModel(option, modelId);
            String key = conf.contains(perModel) ? perModel.key() : option.key();
            throw new InvalidConfigException(key, "'" + value + "' " + rule);
        }
        return value;
    }

    private static <E> E parseEnum(String value, String modelId, ConfigOption<String> option,
            Function<String, E> parse, String allowed) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            ConfigOption<String> perModel = perModel(option, modelId);
            throw new InvalidConfigException(option.key(), "'" + value + "' is none of " + allowed
                    + " (model '" + modelId + "', key " + perModel.key() + " or " + option.key() + ")");
        }
    }

    private static <T> T get(ConfigOption<T> option, Configuration conf) {
        try {
            return conf.get(option);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(option.key(),
                    "'" + conf.toMap().get(option.key()) + "' is not a valid " + typeName(option));
        }
    }

    private static String typeName(ConfigOption<?> option) {
        if (PER_OPTIMIZER_DEFAULTS.contains(option)) {
            return "number";
        }
        Object d = option.defaultValue();
        if (d instanceof Integer || d instanceof Long) {
            return "whole number";
        }
        return d instanceof Double ? "number" : "value";
    }

    private static <T> void require(ConfigOption<T> option, Configuration conf, java.util.function.Predicate<T> valid,
            String rule) {
        T value = get(option, conf);
        if (!valid.test(value)) {
            throw new InvalidConfigException(option.key(), value == null ? rule : "'" + value + "' " + rule);
        }
    }

    private static void requireOneOf(ConfigOption<String> option, Configuration conf, String... allowed) {
        String value = get(option, conf);
        if (!Arrays.asList(allowed).contains(value)) {
            throw new InvalidConfigException(option.key(),
                    "'" + value + "' is none of " + String.join(", ", allowed));
        }
    }

    public String get(ConfigOption<String> option) {
        return conf.get(option);
    }

    public int getInt(ConfigOption<Integer> option) {
        return conf.get(option);
    }

    /** The model store, or null when {@code store.path} is empty. */
    public dev.streamlearn.model.store.ModelStore store() {
        String path = conf.get(STORE_PATH);
        return path.isEmpty() ? null : new dev.streamlearn.model.store.ModelStore(path);
    }

    public Map<String, ModelSpec> models() {
        return models;
    }

    public DeliveryGuarantee deliveryGuarantee() {
        return DeliveryGuarantee.valueOf(conf.get(DELIVERY_GUARANTEE).replace('-', '_').toUpperCase(Locale.ROOT));
    }
}
