package dev.streamlearn.job;

import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.ingest.InputLimits;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.outcomes.AttributionWindow;
import dev.streamlearn.series.SeriesSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.util.ParameterTool;
import org.apache.flink.util.TimeUtils;

/**
 * The job's typed options, read from {@code --key value} arguments and validated before
 * anything runs; each option's rule is declared beside it. Model options apply to every model
 * and can be set for one model as {@code model.<id>.<key>}.
 */
public final class JobConfig {

    /** A rule an option's value must keep, and what to say when it does not. */
    private record Rule<T>(ConfigOption<T> option, Predicate<T> valid, String text) {}

    private static final List<Rule<?>> RULES = new ArrayList<>();

    /** Where sources start when there is no checkpoint or savepoint. */
    public enum StartingOffsets {
        /** The group's committed offsets, else the earliest. */
        COMMITTED,
        EARLIEST,
        LATEST;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The Kafka sinks' delivery guarantee, as Flink's, named as in the options. */
    public enum SinkGuarantee {
        AT_LEAST_ONCE(DeliveryGuarantee.AT_LEAST_ONCE),
        EXACTLY_ONCE(DeliveryGuarantee.EXACTLY_ONCE),
        NONE(DeliveryGuarantee.NONE);

        final DeliveryGuarantee flink;

        SinkGuarantee(DeliveryGuarantee flink) {
            this.flink = flink;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    // ---- the job's options

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions.key("kafka.bootstrap-servers")
            .stringType()
            .noDefaultValue()
            .withDescription("Kafka brokers, host:port[,host:port]. Required.");
    public static final ConfigOption<String> GROUP_ID = rule(
            ConfigOptions.key("kafka.group-id")
                    .stringType()
                    .defaultValue("streamlearn")
                    .withDescription(
                            "Consumer group of the job's Kafka sources (offsets are committed on checkpoints)."),
            v -> !v.isBlank(),
            "must not be empty");
    public static final ConfigOption<String> KAFKA_PROPERTIES_FILE = ConfigOptions.key("kafka.properties-file")
            .stringType()
            .defaultValue("")
            .withDescription(
                    "A Kafka client properties file (SASL, TLS: security.protocol, sasl.jaas.config, ssl.truststore.location, ...)"
                            + " for every Kafka source and sink; read where the job starts. Only the path is an argument:"
                            + " secrets stay out of the web UI. Empty: none.");
    public static final ConfigOption<StartingOffsets> STARTING_OFFSETS = ConfigOptions.key("kafka.starting-offsets")
            .enumType(StartingOffsets.class)
            .defaultValue(StartingOffsets.COMMITTED)
            .withDescription(
                    "Where sources start without a checkpoint: committed (the group's offsets, else earliest), earliest or latest.");
    public static final ConfigOption<String> TOPIC_LABELED = topic(Topic.LABELED);
    public static final ConfigOption<String> TOPIC_REQUESTS = topic(Topic.REQUESTS);
    public static final ConfigOption<String> TOPIC_CONTROL = topic(Topic.CONTROL);
    public static final ConfigOption<String> TOPIC_PREDICTIONS = topic(Topic.PREDICTIONS);
    public static final ConfigOption<String> TOPIC_DEAD_LETTER = topic(Topic.DEAD_LETTER);
    public static final ConfigOption<String> TOPIC_MODEL_LOG = topic(Topic.MODEL_LOG);
    public static final ConfigOption<String> TOPIC_SERIES = topic(Topic.SERIES);
    public static final ConfigOption<String> TOPIC_FORECASTS = topic(Topic.FORECASTS);
    public static final ConfigOption<String> TOPIC_OUTCOMES = topic(Topic.OUTCOMES);
    public static final ConfigOption<Long> LABEL_WINDOW = rule(
            ConfigOptions.key("label.window")
                    .longType()
                    .defaultValue(1_800_000L)
                    .withDescription("Attribution window (ms, event time): an impression without an outcome"
                            + " this long after it is learnt as a negative."),
            v -> v >= 1,
            "must be >= 1");
    public static final ConfigOption<AttributionWindow.Release> LABEL_RELEASE = ConfigOptions.key("label.release")
            .enumType(AttributionWindow.Release.class)
            .defaultValue(AttributionWindow.Release.WINDOW_END)
            .withDescription("When a joined impression goes to training: window-end (every one when its window"
                    + " closes, so the delay does not depend on the label) or outcome (a positive at once).");
    public static final ConfigOption<Long> LABEL_IDLE_TIMEOUT = rule(
            ConfigOptions.key("label.idle-timeout")
                    .longType()
                    .defaultValue(10_000L)
                    .withDescription("A subtask of impressions or outcomes without records this long (ms, wall"
                            + " clock) stops holding event time back, so sparse outcomes do not stall the windows."),
            v -> v >= 1,
            "must be >= 1");
    public static final ConfigOption<Long> LABEL_OUT_OF_ORDERNESS = rule(
            ConfigOptions.key("label.out-of-orderness")
                    .longType()
                    .defaultValue(5_000L)
                    .withDescription("How far (ms) impressions and outcomes may come out of event-time order;"
                            + " windows close this much after event time passes them."),
            v -> v >= 0,
            "must be >= 0");
    public static final ConfigOption<SinkGuarantee> DELIVERY_GUARANTEE = ConfigOptions.key("sink.delivery-guarantee")
            .enumType(SinkGuarantee.class)
            .defaultValue(SinkGuarantee.AT_LEAST_ONCE)
            .withDescription(
                    "Kafka sinks: at-least-once (predictions visible at once), exactly-once (visible on checkpoint; readers need read_committed) or none.");
    public static final ConfigOption<String> STORE_PATH = rule(
            ConfigOptions.key("store.path")
                    .stringType()
                    .defaultValue("")
                    .withDescription("Model store directory URI; empty: no store."),
            v -> v.isEmpty() || v.contains("://") || v.startsWith("/"),
            "must be an absolute path or a URI such as file:///data/models or s3://bucket/models");
    public static final ConfigOption<Integer> STORE_KEEP_LAST = rule(
            ConfigOptions.key("store.keep-last")
                    .intType()
                    .defaultValue(10)
                    .withDescription("Retention: the newest n stored versions of a model stay ..."),
            v -> v >= 1,
            "must be >= 1");
    public static final ConfigOption<Integer> STORE_KEEP_EVERY = rule(
            ConfigOptions.key("store.keep-every")
                    .intType()
                    .defaultValue(100)
                    .withDescription("... and, of older ones, the first of every block of n versions."),
            v -> v >= 1,
            "must be >= 1");
    public static final ConfigOption<String> LABELED_SKIP_BEFORE = ConfigOptions.key("labeled.skip-before")
            .stringType()
            .defaultValue("")
            .withDescription(
                    "Drop labeled events whose Kafka timestamp is before this: now, epoch ms or an ISO-8601 instant.");
    public static final ConfigOption<Integer> MAX_RECORD_BYTES = rule(
            ConfigOptions.key("max.record.bytes")
                    .intType()
                    .defaultValue(InputLimits.DEFAULT_MAX_RECORD_BYTES)
                    .withDescription("Larger input records (UTF-8 bytes) go to the dead-letter topic."),
            v -> v >= 64 && v <= 1_000_000,
            "must be in 64..1000000");
    public static final ConfigOption<Double> MAX_ABS_VALUE = rule(
            ConfigOptions.key("input.max-abs-value")
                    .doubleType()
                    .defaultValue(InputLimits.DEFAULT_MAX_ABS_VALUE)
                    .withDescription(
                            "Numbers (features, labels, values) beyond +-this are dead-lettered as out-of-range."),
            v -> v > 0 && v <= 1e100,
            "must be in (0, 1e100] (squares must stay finite)");
    public static final ConfigOption<Double> MAX_WEIGHT = rule(
            ConfigOptions.key("input.max-weight")
                    .doubleType()
                    .defaultValue(InputLimits.DEFAULT_MAX_WEIGHT)
                    .withDescription("Example weights above this are dead-lettered as out-of-range."),
            v -> v > 0 && v <= 1e6,
            "must be in (0, 1e6]");
    public static final ConfigOption<Long> MAX_TS_AHEAD = rule(
            ConfigOptions.key("input.max-ts-ahead")
                    .longType()
                    .defaultValue(InputLimits.DEFAULT_MAX_TS_AHEAD_MILLIS)
                    .withDescription("An event whose ts is more than this many ms ahead of the job's clock is"
                            + " dead-lettered as out-of-range."),
            v -> v >= 0,
            "must be >= 0");
    public static final ConfigOption<Integer> DEAD_LETTER_PAYLOAD = rule(
            ConfigOptions.key("dead-letter.max-payload-chars")
                    .intType()
                    .defaultValue(InputLimits.DEFAULT_DEAD_LETTER_PAYLOAD_CHARS)
                    .withDescription("A dead letter keeps this much of the payload, with its length and SHA-256."),
            v -> v >= 64 && v <= InputLimits.MAX_DEAD_LETTER_PAYLOAD_CHARS,
            "must be in 64.." + InputLimits.MAX_DEAD_LETTER_PAYLOAD_CHARS);
    public static final ConfigOption<String> MODELS = ConfigOptions.key("models")
            .stringType()
            .defaultValue("ctr")
            .withDescription("Comma-separated model ids the job trains and serves.");

    // ---- time series (checked only when series.model is set)

    public static final ConfigOption<String> SERIES_MODEL = ConfigOptions.key("series.model")
            .stringType()
            .defaultValue("")
            .withDescription("Model (squared loss) that learns from time series; empty: no time-series input.");
    public static final ConfigOption<Integer> SERIES_LAGS = rule(
            ConfigOptions.key("series.lags")
                    .intType()
                    .defaultValue(24)
                    .withDescription("The last k values are features."),
            v -> v >= 1 && v <= 10_000,
            "must be in 1..10000");
    public static final ConfigOption<String> SERIES_SEASONAL_LAGS = ConfigOptions.key("series.seasonal-lags")
            .stringType()
            .defaultValue("24,168")
            .withDescription(
                    "Further lags in steps, comma-separated (e.g. a day and a week of hours); the first is the seasonal-naive season; none for no seasonal lags.");
    public static final ConfigOption<Long> SERIES_STEP = rule(
            ConfigOptions.key("series.step")
                    .longType()
                    .defaultValue(3_600_000L)
                    .withDescription("The series' step in ms; a forecast is for one step ahead."),
            v -> v >= 1,
            "must be >= 1");
    public static final ConfigOption<Long> SERIES_LATENESS = rule(
            ConfigOptions.key("series.lateness")
                    .longType()
                    .defaultValue(0L)
                    .withDescription(
                            "A point older than its series' newest by more than this (ms) is dead-lettered; within it, dropped and counted."),
            v -> v >= 0,
            "must be >= 0");
    public static final ConfigOption<SeriesSpec.GapPolicy> SERIES_GAP_POLICY = ConfigOptions.key("series.gap-policy")
            .enumType(SeriesSpec.GapPolicy.class)
            .defaultValue(SeriesSpec.GapPolicy.FILL)
            .withDescription(
                    "Missing steps: fill (repeat the last value, up to the window) or reset (forget the window).");
    public static final ConfigOption<Long> SERIES_TTL = rule(
            ConfigOptions.key("series.ttl")
                    .longType()
                    .defaultValue(7 * 24 * 3_600_000L)
                    .withDescription("A series silent this long (ms, processing time) is dropped from state."),
            v -> v >= 1,
            "must be >= 1");
    public static final ConfigOption<Boolean> SERIES_CALENDAR = ConfigOptions.key("series.calendar")
            .booleanType()
            .defaultValue(true)
            .withDescription("Hour of day and day of week (UTC) of the forecast time as features: true or false.");

    // ---- model options: for every model, or one as model.<id>.<key>

    public static final ConfigOption<Loss> LOSS = ConfigOptions.key("loss")
            .enumType(Loss.class)
            .defaultValue(ModelSpec.Defaults.LOSS)
            .withDescription("logistic (labels 0/1) or squared (real labels).");
    public static final ConfigOption<ModelSpec.OptimizerKind> OPTIMIZER = ConfigOptions.key("optimizer")
            .enumType(ModelSpec.OptimizerKind.class)
            .defaultValue(ModelSpec.Defaults.OPTIMIZER)
            .withDescription("ftrl, adagrad, sgd or rls.");
    public static final ConfigOption<Integer> HASH_BITS = rule(
            ConfigOptions.key("hash.bits")
                    .intType()
                    .defaultValue(ModelSpec.Defaults.HASH_BITS)
                    .withDescription("Feature hash space is 2^bits coordinates (plus the bias); 1.."
                            + FeatureHasher.MAX_BITS + "."),
            v -> v >= 1 && v <= FeatureHasher.MAX_BITS,
            "must be in 1.." + FeatureHasher.MAX_BITS);
    public static final ConfigOption<Integer> BATCH_SIZE = rule(
            ConfigOptions.key("batch.size")
                    .intType()
                    .defaultValue(ModelSpec.Defaults.BATCH_SIZE)
                    .withDescription("A mini-batch closes at this many examples ..."),
            v -> v >= 1 && v <= 1_000_000,
            "must be in 1..1000000");
    public static final ConfigOption<Long> BATCH_MILLIS = rule(
            ConfigOptions.key("batch.millis")
                    .longType()
                    .defaultValue(ModelSpec.Defaults.BATCH_MILLIS)
                    .withDescription("... or this many milliseconds after its first example, whichever comes first."),
            v -> v >= 1,
            "must be >= 1");
    public static final ConfigOption<Integer> FULL_EVERY = rule(
            ConfigOptions.key("update.full-every")
                    .intType()
                    .defaultValue(ModelSpec.Defaults.FULL_UPDATE_EVERY)
                    .withDescription(
                            "Every n-th version is sent to inference in full, at most once a second (and the first after a start); others as deltas."),
            v -> v >= 1,
            "must be >= 1");
    public static final ConfigOption<Integer> METRICS_WINDOW = rule(
            ConfigOptions.key("metrics.window")
                    .intType()
                    .defaultValue(ModelSpec.Defaults.METRICS_WINDOW)
                    .withDescription("Prequential metrics cover the last n examples."),
            v -> v >= 1 && v <= 10_000_000,
            "must be in 1..10000000");
    public static final ConfigOption<Double> FTRL_ALPHA = rule(
            ConfigOptions.key("ftrl.alpha")
                    .doubleType()
                    .defaultValue(ModelSpec.Defaults.FTRL_ALPHA)
                    .withDescription("FTRL-Proximal learning rate scale alpha."),
            v -> v > 0 && Double.isFinite(v),
            "must be > 0");
    public static final ConfigOption<Double> FTRL_BETA = rule(
            ConfigOptions.key("ftrl.beta")
                    .doubleType()
                    .defaultValue(ModelSpec.Defaults.FTRL_BETA)
                    .withDescription("FTRL-Proximal learning rate smoothing beta."),
            v -> v >= 0 && Double.isFinite(v),
            "must be >= 0");
    public static final ConfigOption<Double> LEARNING_RATE = rule(
            ConfigOptions.key("learning-rate")
                    .doubleType()
                    .noDefaultValue()
                    .withDescription("AdaGrad rate eta; SGD initial rate (decays as eta/sqrt(1+t))."),
            v -> v > 0 && Double.isFinite(v),
            "must be > 0");
    public static final ConfigOption<Double> L1 = rule(
            ConfigOptions.key("l1")
                    .doubleType()
                    .noDefaultValue()
                    .withDescription("L1 regularization strength (sparsity)."),
            v -> v >= 0 && Double.isFinite(v),
            "must be >= 0");
    public static final ConfigOption<Double> L2 = rule(
            ConfigOptions.key("l2").doubleType().noDefaultValue().withDescription("L2 regularization strength."),
            v -> v >= 0 && Double.isFinite(v),
            "must be >= 0");
    public static final ConfigOption<Double> SCALE_CLIP = rule(
            ConfigOptions.key("scale.clip")
                    .doubleType()
                    .defaultValue(ModelSpec.Defaults.SCALE_CLIP)
                    .withDescription(
                            "Numeric features (and squared-loss labels) are standardized and clipped to this many standard deviations."),
            v -> v >= 1 && v <= 1000,
            "must be in 1..1000");
    public static final ConfigOption<Double> GRADIENT_CLIP = rule(
            ConfigOptions.key("gradient.clip")
                    .doubleType()
                    .defaultValue(ModelSpec.Defaults.GRADIENT_CLIP)
                    .withDescription("The slope of one example's weighted loss is clipped to +-this: one record moves"
                            + " the model at most as much as this many ordinary ones."),
            v -> v > 0 && v <= 1e6,
            "must be in (0, 1e6]");
    public static final ConfigOption<ModelSpec.GuardAction> GUARD_ACTION = ConfigOptions.key("guard.action")
            .enumType(ModelSpec.GuardAction.class)
            .defaultValue(ModelSpec.Defaults.GUARD_ACTION)
            .withDescription("What a sudden rise of the prequential loss makes the trainer do: none, alert, freeze"
                    + " or rollback.");
    public static final ConfigOption<Integer> GUARD_WINDOW = rule(
            ConfigOptions.key("guard.window")
                    .intType()
                    .defaultValue(ModelSpec.Defaults.GUARD_WINDOW)
                    .withDescription("Examples whose mean loss the guard compares with the reference."),
            v -> v >= 50 && v <= 100_000,
            "must be in 50..100000");
    public static final ConfigOption<Double> GUARD_RATIO = rule(
            ConfigOptions.key("guard.ratio")
                    .doubleType()
                    .defaultValue(ModelSpec.Defaults.GUARD_RATIO)
                    .withDescription("The window's mean loss must exceed the reference by this fraction (and by"
                            + " 4 standard errors) to alarm."),
            v -> v > 0 && v <= 100,
            "must be in (0, 100]");
    public static final ConfigOption<Integer> GUARD_QUIET = rule(
            ConfigOptions.key("guard.quiet")
                    .intType()
                    .defaultValue(ModelSpec.Defaults.GUARD_QUIET)
                    .withDescription("Examples with the loss back under the threshold that end an alarm (and"
                            + " resume learning)."),
            v -> v >= 1,
            "must be >= 1");
    public static final ConfigOption<Long> GUARD_MAX_EPISODE = rule(
            ConfigOptions.key("guard.max-episode")
                    .longType()
                    .defaultValue(ModelSpec.Defaults.GUARD_MAX_EPISODE)
                    .withDescription("Examples after which a rise that persists is taken as the new normal and"
                            + " learning resumes."),
            v -> v >= 1,
            "must be >= 1");
    public static final ConfigOption<Long> SCALE_HORIZON = rule(
            ConfigOptions.key("scale.horizon")
                    .longType()
                    .defaultValue(ModelSpec.Defaults.SCALE_HORIZON)
                    .withDescription(
                            "A feature's scaling statistics weigh its last ~n values (exponentially after n); 0: all values alike."),
            v -> v == 0 || v >= 10,
            "must be 0 or >= 10");
    public static final ConfigOption<String> SCALE_LOG = ConfigOptions.key("scale.log")
            .stringType()
            .defaultValue("")
            .withDescription(
                    "Numeric features to log-transform before scaling (heavy-tailed counts): names, comma-separated, or * for all.");
    public static final ConfigOption<Long> FORGET = rule(
            ConfigOptions.key("forget.half-life")
                    .longType()
                    .defaultValue(ModelSpec.Defaults.FORGET_HALF_LIFE)
                    .withDescription(
                            "Forgetting for drifting streams: what the optimizer accumulated halves every n updates of a coordinate; 0: off."),
            v -> v >= 0,
            "must be >= 0");
    public static final ConfigOption<Long> STORE_INTERVAL = rule(
            ConfigOptions.key("store.interval")
                    .longType()
                    .defaultValue(ModelSpec.Defaults.STORE_INTERVAL_MILLIS)
                    .withDescription("A version is stored at most every n ms (and at rollback, freeze, resume)."),
            v -> v >= 0,
            "must be >= 0");
    public static final ConfigOption<Integer> STORE_RECENT = rule(
            ConfigOptions.key("store.recent")
                    .intType()
                    .defaultValue(ModelSpec.Defaults.RECENT_VERSIONS)
                    .withDescription("Stored versions the trainer also keeps in keyed state (RocksDB)."),
            v -> v >= 1 && v <= 100,
            "must be in 1..100");
    public static final ConfigOption<Boolean> LOG_REQUESTS = ConfigOptions.key("log.requests")
            .booleanType()
            .defaultValue(false)
            .withDescription("Every request is an impression that waits for its outcome (else only requests"
                    + " with \"log\":true).");
    public static final ConfigOption<String> ENTITIES = rule(
            ConfigOptions.key("entities")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Names whose values are entities (user,item), from the event's entities object, else its features: each entity's decayed"
                                    + " events, smoothed label rate and time since last seen become features; empty: none."),
            v -> commaSeparated(v).stream().distinct().count()
                    == commaSeparated(v).size(),
            "must name each field once");
    public static final ConfigOption<String> ENTITY_HALF_LIVES = rule(
            ConfigOptions.key("entities.half-lives")
                    .stringType()
                    .defaultValue("1h,1d")
                    .withDescription("Half-lives of the entity statistics in event time, comma-separated."),
            v -> halfLives(v) != null,
            "must be durations like 30m,1h,1d (comma-separated, each >= 1ms)");
    public static final ConfigOption<Double> ENTITY_PRIOR_STRENGTH = rule(
            ConfigOptions.key("entities.prior-strength")
                    .doubleType()
                    .defaultValue(ModelSpec.Defaults.ENTITY_PRIOR_STRENGTH)
                    .withDescription("Events of the stream's recent mean label that a new entity's rate starts with."),
            v -> v > 0 && Double.isFinite(v),
            "must be > 0");
    public static final ConfigOption<String> INITIAL_MODEL = ConfigOptions.key("initial-model")
            .stringType()
            .defaultValue("")
            .withDescription("Model file URI to start from when there is no state.");

    /** Model options whose default depends on the optimizer (see {@link ModelSpec.OptimizerKind}). */
    public static final List<ConfigOption<Double>> PER_OPTIMIZER_DEFAULTS = List.of(LEARNING_RATE, L1, L2);

    private static final List<ConfigOption<?>> JOB_OPTIONS = List.of(
            BOOTSTRAP_SERVERS,
            GROUP_ID,
            KAFKA_PROPERTIES_FILE,
            STARTING_OFFSETS,
            TOPIC_LABELED,
            TOPIC_REQUESTS,
            TOPIC_CONTROL,
            TOPIC_PREDICTIONS,
            TOPIC_DEAD_LETTER,
            TOPIC_MODEL_LOG,
            TOPIC_OUTCOMES,
            LABEL_WINDOW,
            LABEL_OUT_OF_ORDERNESS,
            LABEL_IDLE_TIMEOUT,
            LABEL_RELEASE,
            DELIVERY_GUARANTEE,
            MAX_RECORD_BYTES,
            MAX_ABS_VALUE,
            MAX_WEIGHT,
            MAX_TS_AHEAD,
            DEAD_LETTER_PAYLOAD,
            MODELS,
            STORE_PATH,
            STORE_KEEP_LAST,
            STORE_KEEP_EVERY,
            LABELED_SKIP_BEFORE,
            TOPIC_SERIES,
            TOPIC_FORECASTS,
            SERIES_MODEL,
            SERIES_LAGS,
            SERIES_SEASONAL_LAGS,
            SERIES_STEP,
            SERIES_LATENESS,
            SERIES_GAP_POLICY,
            SERIES_TTL,
            SERIES_CALENDAR);
    private static final List<ConfigOption<?>> MODEL_OPTIONS = List.of(
            LOSS,
            OPTIMIZER,
            HASH_BITS,
            BATCH_SIZE,
            BATCH_MILLIS,
            FULL_EVERY,
            METRICS_WINDOW,
            FTRL_ALPHA,
            FTRL_BETA,
            LEARNING_RATE,
            L1,
            L2,
            SCALE_CLIP,
            GRADIENT_CLIP,
            GUARD_ACTION,
            GUARD_WINDOW,
            GUARD_RATIO,
            GUARD_QUIET,
            GUARD_MAX_EPISODE,
            SCALE_HORIZON,
            SCALE_LOG,
            FORGET,
            STORE_INTERVAL,
            STORE_RECENT,
            LOG_REQUESTS,
            ENTITIES,
            ENTITY_HALF_LIVES,
            ENTITY_PRIOR_STRENGTH,
            INITIAL_MODEL);
    private static final List<ConfigOption<?>> SERIES_OPTIONS =
            List.of(SERIES_LAGS, SERIES_STEP, SERIES_LATENESS, SERIES_TTL);
    private static final Pattern MODEL_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final Configuration conf;
    private final Map<String, ModelSpec> models;
    private final long labeledSkipBefore;
    private final SeriesSpec series;
    private final Properties kafkaClient;

    private JobConfig(
            Configuration conf,
            Map<String, ModelSpec> models,
            long labeledSkipBefore,
            SeriesSpec series,
            Properties kafkaClient) {
        this.conf = conf;
        this.models = models;
        this.labeledSkipBefore = labeledSkipBefore;
        this.series = series;
        this.kafkaClient = kafkaClient;
    }

    private static <T> ConfigOption<T> rule(ConfigOption<T> option, Predicate<T> valid, String text) {
        RULES.add(new Rule<>(option, valid, text));
        return option;
    }

    private static ConfigOption<String> topic(Topic t) {
        return rule(
                ConfigOptions.key(t.key)
                        .stringType()
                        .defaultValue(t.defaultName)
                        .withDescription(t.description),
                v -> !v.isBlank(),
                "must not be empty");
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
        if (kafka
                && (!conf.contains(BOOTSTRAP_SERVERS)
                        || conf.get(BOOTSTRAP_SERVERS).isBlank())) {
            throw new InvalidConfigException(BOOTSTRAP_SERVERS.key(), "is required (host:port of a Kafka broker)");
        }
        for (ConfigOption<?> option : JOB_OPTIONS) {
            if (!SERIES_OPTIONS.contains(option)) {
                checkValue(option, conf);
            }
        }
        long skipBefore = parseSkipBefore(conf.get(LABELED_SKIP_BEFORE));
        Map<String, ModelSpec> models = new LinkedHashMap<>();
        for (String id : modelIds) {
            models.put(id, modelSpec(id, conf));
        }
        if (conf.contains(LEARNING_RATE)
                && models.values().stream().allMatch(m -> m.optimizer == ModelSpec.OptimizerKind.FTRL)) {
            throw new InvalidConfigException(
                    LEARNING_RATE.key(), "is not used by ftrl (its rates are ftrl.alpha and ftrl.beta)");
        }
        return new JobConfig(
                conf, Collections.unmodifiableMap(models), skipBefore, seriesSpec(conf, models), kafkaClient(conf));
    }

    private static Properties kafkaClient(Configuration conf) {
        String file = conf.get(KAFKA_PROPERTIES_FILE);
        if (file.isBlank()) {
            return new Properties();
        }
        try {
            return KafkaClientProperties.load(Path.of(file));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(KAFKA_PROPERTIES_FILE.key(), e.getMessage());
        }
    }

    /** Parses and checks a job option's value. */
    private static <T> void checkValue(ConfigOption<T> option, Configuration conf) {
        check(option, get(option, conf), option.key());
    }

    /** Checks a value against its option's rule, if it has one; {@code key} names it in the message. */
    @SuppressWarnings("unchecked")
    private static <T> void check(ConfigOption<T> option, T value, String key) {
        for (Rule<?> r : RULES) {
            if (r.option() == option && value != null && !((Rule<T>) r).valid().test(value)) {
                throw new InvalidConfigException(key, "'" + value + "' " + r.text());
            }
        }
    }

    /** The option's value; a value that is not of the option's type fails naming the key. */
    private static <T> T get(ConfigOption<T> option, Configuration conf) {
        return parse(option, conf, option.key());
    }

    private static <T> T parse(ConfigOption<T> option, Configuration conf, String key) {
        try {
            return conf.get(option);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(key, "'" + conf.toMap().get(option.key()) + "' " + typeRule(option));
        }
    }

    /** What a value of the option must look like. */
    private static String typeRule(ConfigOption<?> option) {
        Object d = option.hasDefaultValue() ? option.defaultValue() : null;
        if (d instanceof Enum) {
            return "is none of "
                    + Arrays.stream(((Enum<?>) d).getDeclaringClass().getEnumConstants())
                            .map(Object::toString)
                            .collect(Collectors.joining(", "));
        }
        if (d instanceof Boolean) {
            return "is neither true nor false";
        }
        if (d instanceof Integer || d instanceof Long) {
            return "is not a valid whole number";
        }
        return d instanceof Double || d == null ? "is not a valid number" : "is not a valid value";
    }

    /**
     * A model option's value for one model: its {@code model.<id>.<key>} setting, else the setting
     * for every model, else the default; parsed and checked against the option's rule.
     */
    private static <T> T modelValue(ConfigOption<T> option, String modelId, Configuration conf) {
        String perModelKey = modelKey(option, modelId);
        String raw = conf.toMap().get(perModelKey);
        T value;
        String key;
        if (raw != null) {
            Configuration one = new Configuration();
            one.setString(option.key(), raw);
            value = parse(option, one, perModelKey);
            key = perModelKey;
        } else {
            value = get(option, conf);
            key = option.key();
        }
        check(option, value, key);
        return value;
    }

    private static boolean isSet(ConfigOption<?> option, String modelId, Configuration conf) {
        return conf.contains(option) || conf.toMap().containsKey(modelKey(option, modelId));
    }

    private static String modelKey(ConfigOption<?> option, String modelId) {
        return "model." + modelId + "." + option.key();
    }

    /** A model option without a fixed default: NaN when unset, so the optimizer's default applies. */
    private static double valueOrNaN(ConfigOption<Double> option, String modelId, Configuration conf) {
        return isSet(option, modelId, conf) ? modelValue(option, modelId, conf) : Double.NaN;
    }

    private static ModelSpec modelSpec(String id, Configuration conf) {
        Loss loss = modelValue(LOSS, id, conf);
        ModelSpec.OptimizerKind optimizer = modelValue(OPTIMIZER, id, conf);
        ModelSpec spec = ModelSpec.builder(id)
                .loss(loss)
                .optimizer(optimizer)
                .hashBits(modelValue(HASH_BITS, id, conf))
                .batchSize(modelValue(BATCH_SIZE, id, conf))
                .batchMillis(modelValue(BATCH_MILLIS, id, conf))
                .fullUpdateEvery(modelValue(FULL_EVERY, id, conf))
                .metricsWindow(modelValue(METRICS_WINDOW, id, conf))
                .ftrl(modelValue(FTRL_ALPHA, id, conf), modelValue(FTRL_BETA, id, conf))
                .learningRate(valueOrNaN(LEARNING_RATE, id, conf))
                .l1(valueOrNaN(L1, id, conf))
                .l2(valueOrNaN(L2, id, conf))
                .scaleClip(modelValue(SCALE_CLIP, id, conf))
                .gradientClip(modelValue(GRADIENT_CLIP, id, conf))
                .guard(
                        modelValue(GUARD_ACTION, id, conf),
                        modelValue(GUARD_WINDOW, id, conf),
                        modelValue(GUARD_RATIO, id, conf),
                        modelValue(GUARD_QUIET, id, conf),
                        modelValue(GUARD_MAX_EPISODE, id, conf))
                .scaleHorizon(modelValue(SCALE_HORIZON, id, conf))
                .logFeatures(commaSeparated(modelValue(SCALE_LOG, id, conf)))
                .forgetHalfLife(modelValue(FORGET, id, conf))
                .storeIntervalMillis(modelValue(STORE_INTERVAL, id, conf))
                .recentVersions(modelValue(STORE_RECENT, id, conf))
                .initialModel(modelValue(INITIAL_MODEL, id, conf))
                .logRequests(modelValue(LOG_REQUESTS, id, conf))
                .entities(
                        commaSeparated(modelValue(ENTITIES, id, conf)),
                        halfLives(modelValue(ENTITY_HALF_LIVES, id, conf)),
                        modelValue(ENTITY_PRIOR_STRENGTH, id, conf))
                .build();
        if (optimizer == ModelSpec.OptimizerKind.FTRL && conf.toMap().containsKey(modelKey(LEARNING_RATE, id))) {
            throw new InvalidConfigException(
                    modelKey(LEARNING_RATE, id), "is not used by ftrl (its rates are ftrl.alpha and ftrl.beta)");
        }
        if (optimizer == ModelSpec.OptimizerKind.RLS) {
            String key = modelKey(OPTIMIZER, id);
            if (loss != Loss.SQUARED) {
                throw new InvalidConfigException(
                        key, "rls (recursive least squares) needs squared loss" + " (--model." + id + ".loss squared)");
            }
            if (spec.l1 > 0 || spec.l2 <= 0) {
                throw new InvalidConfigException(
                        key, "rls takes l1 0 and an l2 above 0 (its ridge), got l1 " + spec.l1 + ", l2 " + spec.l2);
            }
        }
        return spec;
    }

    /** Durations (30m, 1h, 1d; a bare number is ms) in ms; null when one is not a duration of at least 1 ms. */
    private static List<Long> halfLives(String list) {
        List<Long> millis = new ArrayList<>();
        try {
            for (String span : commaSeparated(list)) {
                long ms = TimeUtils.parseDuration(span).toMillis();
                if (ms < 1) {
                    return null;
                }
                millis.add(ms);
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            return null;
        }
        return millis.isEmpty() ? null : millis;
    }

    private static List<String> commaSeparated(String list) {
        List<String> parts = new ArrayList<>();
        for (String n : list.split(",")) {
            if (!n.isBlank()) {
                parts.add(n.trim());
            }
        }
        return parts;
    }

    private static SeriesSpec seriesSpec(Configuration conf, Map<String, ModelSpec> models) {
        String model = get(SERIES_MODEL, conf);
        if (model.isEmpty()) {
            return null;
        }
        ModelSpec spec = models.get(model);
        if (spec == null) {
            throw new InvalidConfigException(
                    SERIES_MODEL.key(), "'" + model + "' is not listed in '" + MODELS.key() + "'");
        }
        if (spec.loss != Loss.SQUARED) {
            throw new InvalidConfigException(
                    SERIES_MODEL.key(),
                    "model '" + model + "' must use squared loss (set --model." + model + ".loss squared)");
        }
        for (ConfigOption<?> option : SERIES_OPTIONS) {
            checkValue(option, conf);
        }
        List<Integer> seasonal = new ArrayList<>();
        String lags = get(SERIES_SEASONAL_LAGS, conf);
        for (String part : lags.equals("none") ? List.<String>of() : commaSeparated(lags)) {
            try {
                int lag = Integer.parseInt(part);
                if (lag < 1 || lag > 100_000) {
                    throw new NumberFormatException();
                }
                seasonal.add(lag);
            } catch (NumberFormatException e) {
                throw new InvalidConfigException(
                        SERIES_SEASONAL_LAGS.key(), "'" + part + "' is not a lag in steps (1..100000)");
            }
        }
        return new SeriesSpec(
                model,
                get(SERIES_LAGS, conf),
                seasonal.stream().mapToInt(Integer::intValue).toArray(),
                get(SERIES_STEP, conf),
                get(SERIES_LATENESS, conf),
                get(SERIES_GAP_POLICY, conf),
                get(SERIES_TTL, conf),
                get(SERIES_CALENDAR, conf));
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
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new InvalidConfigException(
                    LABELED_SKIP_BEFORE.key(),
                    "'" + value
                            + "' is none of now, epoch milliseconds, an ISO-8601 instant such as 2026-11-28T14:00:00Z");
        }
    }

    private static List<String> parseModelIds(String list) {
        List<String> ids = new ArrayList<>();
        for (String raw : list.split(",")) {
            String id = raw.trim();
            if (!MODEL_ID.matcher(id).matches()) {
                throw new InvalidConfigException(
                        MODELS.key(), "'" + id + "' is not a model id (1-64 of letters, digits, '_', '.', '-')");
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
            String id = modelIds.stream()
                    .filter(m -> rest.startsWith(m + "."))
                    .findFirst()
                    .orElse(null);
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

    /** The time-series settings, or null when {@code series.model} is empty. */
    /** How long impressions wait for their outcomes. */
    public AttributionWindow attributionWindow() {
        return new AttributionWindow(
                conf.get(LABEL_WINDOW),
                conf.get(LABEL_OUT_OF_ORDERNESS),
                conf.get(LABEL_IDLE_TIMEOUT),
                conf.get(LABEL_RELEASE));
    }

    public SeriesSpec series() {
        return series;
    }

    /** Labeled events with an earlier Kafka timestamp are dropped; Long.MIN_VALUE: none. */
    public long labeledSkipBefore() {
        return labeledSkipBefore;
    }

    public <T> T get(ConfigOption<T> option) {
        return conf.get(option);
    }

    public int getInt(ConfigOption<Integer> option) {
        return conf.get(option);
    }

    /** The model store, or null when {@code store.path} is empty. */
    public ModelStore store() {
        String path = conf.get(STORE_PATH);
        return path.isEmpty() ? null : new ModelStore(path);
    }

    public Map<String, ModelSpec> models() {
        return models;
    }

    /** What an input record may be, and how much of a rejected one a dead letter keeps. */
    public InputLimits inputLimits() {
        return new InputLimits(
                conf.get(MAX_RECORD_BYTES),
                conf.get(MAX_ABS_VALUE),
                conf.get(MAX_WEIGHT),
                conf.get(MAX_TS_AHEAD),
                conf.get(DEAD_LETTER_PAYLOAD));
    }

    /** The settings of {@code kafka.properties-file} (a copy; empty without one), for every Kafka client of the job. */
    public Properties kafkaClientProperties() {
        Properties copy = new Properties();
        copy.putAll(kafkaClient);
        return copy;
    }

    public DeliveryGuarantee deliveryGuarantee() {
        return conf.get(DELIVERY_GUARANTEE).flink;
    }
}
