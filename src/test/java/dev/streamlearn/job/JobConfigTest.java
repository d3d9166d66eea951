package dev.streamlearn.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.options.InvalidConfigException;
import dev.streamlearn.options.Option;
import dev.streamlearn.series.SeriesSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobConfigTest {

    @Test
    void defaultsNeedOnlyTheBrokers() {
        JobConfig c = JobConfig.fromArgs("--kafka.bootstrap-servers", "127.0.0.1:9092");
        assertEquals("labeled-events", c.topic(Topic.LABELED));
        assertEquals(DeliveryGuarantee.AT_LEAST_ONCE, c.deliveryGuarantee());
        ModelSpec ctr = c.models().get("ctr");
        assertEquals(Loss.LOGISTIC, ctr.loss());
        assertEquals(ModelSpec.OptimizerKind.FTRL, ctr.optimizer());
        assertEquals(20, ctr.hashBits());
        assertEquals(100, ctr.get(ModelOptions.BATCH_SIZE));
    }

    @Test
    void modelOptionsCanBeSetPerModel() {
        JobConfig c = JobConfig.fromArgs(
                "--kafka.bootstrap-servers",
                "k:9092",
                "--models",
                "ctr,load",
                "--batch.size",
                "50",
                "--model.load.loss",
                "squared",
                "--model.load.optimizer",
                "adagrad",
                "--model.load.batch.size",
                "7");
        assertEquals(50, c.models().get("ctr").get(ModelOptions.BATCH_SIZE));
        assertEquals(Loss.LOGISTIC, c.models().get("ctr").loss());
        assertEquals(Loss.SQUARED, c.models().get("load").loss());
        assertEquals(ModelSpec.OptimizerKind.ADAGRAD, c.models().get("load").optimizer());
        assertEquals(7, c.models().get("load").get(ModelOptions.BATCH_SIZE));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "batch.size              | 0     | invalid configuration: batch.size: '0' must be in 1..1000000",
                "batch.size              | many  | invalid configuration: batch.size: 'many' is not a valid whole number",
                "hash.bits               | 29    | invalid configuration: hash.bits: '29' must be in 1..28",
                "ftrl.alpha              | -1    | invalid configuration: ftrl.alpha: '-1.0' must be > 0",
                "l1                      | -0.5  | invalid configuration: l1: '-0.5' must be >= 0",
                "loss                    | hinge | invalid configuration: loss: 'hinge' is none of logistic, squared",
                "model.ctr.optimizer     | adam  | invalid configuration: model.ctr.optimizer: 'adam' is none of ftrl, adagrad, sgd, rls",
                "series.calendar         | yes   | invalid configuration: series.calendar: 'yes' is neither true nor false",
                "sink.delivery-guarantee | maybe | invalid configuration: sink.delivery-guarantee: 'maybe' is none of at-least-once, exactly-once, none",
                "kafka.starting-offsets  | now   | invalid configuration: kafka.starting-offsets: 'now' is none of committed, earliest, latest",
                "batch.sise              | 5     | invalid configuration: batch.sise: unknown option (see the configuration table in README.md; did you mean batch.size?)",
                "model.other.batch.size  | 5     | invalid configuration: model.other.batch.size: names no model listed in 'models' [ctr]",
                "model.ctr.batch.millis  | 0     | invalid configuration: model.ctr.batch.millis: '0' must be >= 1",
                "models                  | a b   | invalid configuration: models: 'a b' is not a model id (1-64 of letters, digits, '_', '.', '-')",
                "optimizer               | rls   | invalid configuration: model.ctr.optimizer: rls (recursive least squares) needs squared loss (--model.ctr.loss squared)",
                "learning-rate           | 0.2   | invalid configuration: learning-rate: is not used by ftrl (its rates are ftrl.alpha and ftrl.beta)",
                "model.ctr.learning-rate | 0.2   | invalid configuration: model.ctr.learning-rate: is not used by ftrl (its rates are ftrl.alpha and ftrl.beta)",
                "scale.clip              | 0.5   | invalid configuration: scale.clip: '0.5' must be in 1..1000",
                "forget.half-life        | -1    | invalid configuration: forget.half-life: '-1' must be >= 0",
                "l2                      | x     | invalid configuration: l2: 'x' is not a valid number",
                "challengers             | fast  | invalid configuration: challengers: 'fast' is not a list of challengers (name:key=value key=value;...): fast: sets no option (name:key=value key=value)",
                "challengers             | f:hash.bits=4 | invalid configuration: challengers: 'f:hash.bits=4' is not a list of challengers (name:key=value key=value;...): f: 'hash.bits' is not an option a challenger may set (see the configuration table: 'model, challenger')",
                "challengers             | f:forget.half-life=soon | invalid configuration: challengers: 'f:forget.half-life=soon' is not a list of challengers (name:key=value key=value;...): f: forget.half-life: 'soon' is not a valid whole number",
                "challengers             | f:l1=0;f:l2=0 | invalid configuration: challengers: 'f:l1=0;f:l2=0' is not a list of challengers (name:key=value key=value;...): challenger 'f' is named twice",
                "challengers             | same:forget.half-life=0 | invalid configuration: challengers: challenger 'same': its settings are the model's own: it would learn as the model",
                "model.ctr.challengers   | r:optimizer=rls | invalid configuration: model.ctr.challengers: challenger 'r': rls (recursive least squares) needs squared loss (--model.ctr.loss squared)",
                "promotion.window        | 1990  | invalid configuration: promotion.window: '1990' must be a multiple of 20 in 200..1000000",
            })
    void badValuesFailWithOneLineNamingTheKey(String key, String value, String message) {
        String rejection = rejection("--kafka.bootstrap-servers", "k:9092", "--" + key, value);
        assertEquals(message, rejection);
        assertFalse(rejection.contains("\n"));
    }

    @Test
    void timeSeriesNeedASquaredLossModel() {
        assertEquals(
                "invalid configuration: series.model: model 'ctr' must use squared loss (set --model.ctr.loss squared)",
                rejection("--kafka.bootstrap-servers", "k:1", "--series.model", "ctr"));
        assertEquals(
                "invalid configuration: series.seasonal-lags: '24,x' has 'x', which is not a lag in steps (1..100000)",
                rejection(withSeriesModel("--series.seasonal-lags", "24,x")));
        JobConfig c =
                JobConfig.fromArgs(withSeriesModel("--series.seasonal-lags", "48,336", "--series.gap-policy", "reset"));
        assertEquals(336, c.series().window());
        assertEquals(48, c.series().season());
        assertEquals(SeriesSpec.GapPolicy.RESET, c.series().gapPolicy);
        assertEquals(
                null, JobConfig.fromArgs("--kafka.bootstrap-servers", "k:1").series());
    }

    /** The options of a job whose model ctr learns a time series, and {@code more}. */
    private static String[] withSeriesModel(String... more) {
        List<String> args = new ArrayList<>(
                List.of("--kafka.bootstrap-servers", "k:1", "--model.ctr.loss", "squared", "--series.model", "ctr"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    @Test
    void aChallengerOnAnotherOptimizerTakesThatOptimizersRegularizationUnlessItSetsItsOwn() {
        JobConfig c = JobConfig.fromArgs(withSeriesModel("--l1", "0", "--l2", "0"));
        ModelSpec model = c.models().get("ctr");
        assertEquals(
                List.of("default", "forget", "rls"),
                model.learners().stream().map(ModelSpec::learnerName).toList());
        ModelSpec rls = model.learners().get(2);
        assertEquals(ModelSpec.OptimizerKind.RLS, rls.optimizer());
        assertEquals(1.0, rls.get(ModelOptions.L2), "rls's ridge, not the l2 0 set for ftrl");
        assertEquals(0.0, model.learners().get(1).get(ModelOptions.L2), "the same optimizer keeps what was set");
        ModelSpec own = JobConfig.fromArgs(
                        "--kafka.bootstrap-servers",
                        "k:1",
                        "--loss",
                        "squared",
                        "--challengers",
                        "r:optimizer=rls l2=3")
                .models()
                .get("ctr")
                .learners()
                .get(1);
        assertEquals(3.0, own.get(ModelOptions.L2));
    }

    @Test
    void theAutomaticChallengersOfAModelWithCrossesTryItWithoutThemOrWith() {
        ModelSpec crossed = JobConfig.fromArgs("--kafka.bootstrap-servers", "k:1", "--crosses", "user*genre")
                .models()
                .get("ctr");
        assertEquals(
                List.of("default", "forget", "log", "nocross"),
                crossed.learners().stream().map(ModelSpec::learnerName).toList());
        assertFalse(crossed.learners().get(3).get(ModelOptions.CROSSES_USE));
        assertEquals(crossed.firstCrossIndex() * 2 + 1, crossed.dimension(), "the crosses' space is the features'");
        ModelSpec notUsed = JobConfig.fromArgs(
                        "--kafka.bootstrap-servers", "k:1", "--crosses", "user*genre", "--crosses.use", "false")
                .models()
                .get("ctr");
        assertEquals("cross", notUsed.learners().get(3).learnerName());
        assertEquals(
                List.of("default", "forget", "log"),
                JobConfig.fromArgs("--kafka.bootstrap-servers", "k:1").models().get("ctr").learners().stream()
                        .map(ModelSpec::learnerName)
                        .toList(),
                "no crosses, no challenger for them");
    }

    @Test
    void regularizationAndRatesDefaultPerOptimizer() {
        JobConfig c = JobConfig.fromArgs(
                "--kafka.bootstrap-servers",
                "k:9092",
                "--models",
                "a,b,c",
                "--model.b.optimizer",
                "sgd",
                "--model.c.optimizer",
                "rls",
                "--model.c.loss",
                "squared",
                "--model.b.l2",
                "0.01");
        assertEquals(1.0, c.models().get("a").get(ModelOptions.L1));
        assertEquals(1.0, c.models().get("a").get(ModelOptions.L2));
        assertEquals(0.0, c.models().get("b").get(ModelOptions.L1));
        assertEquals(0.01, c.models().get("b").get(ModelOptions.L2));
        assertEquals(0.1, c.models().get("b").get(ModelOptions.LEARNING_RATE));
        assertEquals(1.0, c.models().get("c").get(ModelOptions.L2), "the ridge of least squares");
        assertEquals(
                "invalid configuration: model.c.optimizer: rls takes l1 0 and an l2 above 0 (its ridge), got l1 0.0,"
                        + " l2 0.0",
                rejection(
                        "--kafka.bootstrap-servers",
                        "k:9092",
                        "--models",
                        "c",
                        "--model.c.optimizer",
                        "rls",
                        "--model.c.loss",
                        "squared",
                        "--model.c.l2",
                        "0"));
    }

    @Test
    void brokersAreRequired() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, JobConfig::fromArgs);
        assertEquals(
                "invalid configuration: kafka.bootstrap-servers: is required (host:port of a Kafka broker)",
                e.getMessage());
    }

    @Test
    void predictionsAreSentAtOnceUnlessTheClientPropertiesSetALinger(@TempDir Path dir) throws Exception {
        assertEquals(
                Map.of("linger.ms", "0"),
                LearningJob.predictionProducerSettings(JobConfig.fromArgs("--kafka.bootstrap-servers", "b:9093")));
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "linger.ms=20\n");
        assertEquals(
                Map.of(),
                LearningJob.predictionProducerSettings(JobConfig.fromArgs(
                        "--kafka.bootstrap-servers", "b:9093", "--kafka.properties-file", file.toString())));
    }

    @Test
    void aKafkaPropertiesFileIsReadAndHandedOnWhole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(
                file,
                "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"job\" password=\"s3cret\";\nssl.truststore.type=PEM\n");
        Properties p = JobConfig.fromArgs(
                        "--kafka.bootstrap-servers", "b:9093", "--kafka.properties-file", file.toString())
                .kafkaClientProperties();
        assertEquals(4, p.size(), p.toString());
        assertEquals("SASL_SSL", p.getProperty("security.protocol"));
        assertEquals("SCRAM-SHA-512", p.getProperty("sasl.mechanism"));
        assertTrue(p.getProperty("sasl.jaas.config").contains("password=\"s3cret\""));
        assertTrue(JobConfig.fromArgs("--kafka.bootstrap-servers", "b:9093")
                .kafkaClientProperties()
                .isEmpty());
    }

    @Test
    void aBadKafkaPropertiesFileFailsAtStartNamingTheKeyAndTheSetting(@TempDir Path dir) throws Exception {
        String missing = dir.resolve("none.properties").toString();
        assertTrue(
                kafkaFileRejection(missing)
                        .startsWith("invalid configuration: kafka.properties-file: cannot read " + missing),
                kafkaFileRejection(missing));
        assertEquals(
                "invalid configuration: kafka.properties-file: " + dir.resolve("a.properties")
                        + " sets bootstrap.servers, which the job sets itself (remove it from the file)",
                kafkaFileRejection(file(dir, "a.properties", "bootstrap.servers=x:1")));
        assertEquals(
                "invalid configuration: kafka.properties-file: " + dir.resolve("b.properties")
                        + " sets sasl.mechansim, which is not a Kafka consumer, producer or admin client setting",
                kafkaFileRejection(file(dir, "b.properties", "sasl.mechansim=PLAIN")));
        String badValue = kafkaFileRejection(file(dir, "c.properties", "security.protocol=SASL_TLS"));
        assertTrue(badValue.contains("security.protocol") && !badValue.contains("\n"), badValue);
    }

    private static String file(Path dir, String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content + "\n").toString();
    }

    private static String kafkaFileRejection(String file) {
        return rejection("--kafka.bootstrap-servers", "b:9093", "--kafka.properties-file", file);
    }

    /** The one-line message of the configuration {@code args} make. */
    private static String rejection(String... args) {
        return assertThrows(InvalidConfigException.class, () -> JobConfig.fromArgs(args))
                .getMessage();
    }

    /** A value each option refuses; every option but those whose every value is valid has one here. */
    private static final Map<String, String> BAD_VALUES = Map.ofEntries(
            Map.entry("kafka.bootstrap-servers", " "),
            Map.entry("kafka.group-id", " "),
            Map.entry("kafka.properties-file", "/no/such/client.properties"),
            Map.entry("kafka.starting-offsets", "now"),
            Map.entry("kafka.topic-discovery-millis", "50"),
            Map.entry("requests.buffer-timeout", "-1"),
            Map.entry("sink.delivery-guarantee", "maybe"),
            Map.entry("labeled.skip-before", "yesterday"),
            Map.entry("topic.labeled", " "),
            Map.entry("topic.requests", " "),
            Map.entry("topic.control", " "),
            Map.entry("topic.series", " "),
            Map.entry("topic.outcomes", " "),
            Map.entry("topic.predictions", " "),
            Map.entry("topic.forecasts", " "),
            Map.entry("topic.dead-letter", " "),
            Map.entry("topic.model-log", " "),
            Map.entry("label.window", "0"),
            Map.entry("label.out-of-orderness", "-1"),
            Map.entry("label.idle-timeout", "soon"),
            Map.entry("label.release", "never"),
            Map.entry("store.path", "relative/models"),
            Map.entry("store.keep-last", "0"),
            Map.entry("store.keep-every", "x"),
            Map.entry("max.record.bytes", "10"),
            Map.entry("input.max-features", "0"),
            Map.entry("input.max-abs-value", "1e200"),
            Map.entry("input.max-weight", "0"),
            Map.entry("input.max-ts-ahead", "-5"),
            Map.entry("dead-letter.max-payload-chars", "1"),
            Map.entry("series.model", "nope"),
            Map.entry("series.lags", "0"),
            Map.entry("series.seasonal-lags", "24,0"),
            Map.entry("series.step", "0"),
            Map.entry("series.lateness", "-1"),
            Map.entry("series.gap-policy", "guess"),
            Map.entry("series.ttl", "0"),
            Map.entry("series.calendar", "yes"),
            Map.entry("models", "a b"),
            Map.entry("loss", "hinge"),
            Map.entry("optimizer", "adam"),
            Map.entry("hash.bits", "29"),
            Map.entry("batch.size", "0"),
            Map.entry("batch.millis", "0"),
            Map.entry("update.full-every", "0"),
            Map.entry("metrics.window", "0"),
            Map.entry("ftrl.alpha", "0"),
            Map.entry("ftrl.beta", "-1"),
            Map.entry("learning-rate", "0"),
            Map.entry("l1", "-1"),
            Map.entry("l2", "x"),
            Map.entry("scale.clip", "0.5"),
            Map.entry("gradient.clip", "0"),
            Map.entry("guard.action", "panic"),
            Map.entry("guard.window", "10"),
            Map.entry("guard.ratio", "0"),
            Map.entry("guard.quiet", "0"),
            Map.entry("guard.max-episode", "0"),
            Map.entry("scale.horizon", "5"),
            Map.entry("forget.half-life", "-1"),
            Map.entry("challengers", "fast"),
            Map.entry("crosses", "user*user"),
            Map.entry("crosses.use", "sometimes"),
            Map.entry("promotion.window", "1000000000"),
            Map.entry("serve", "mix"),
            Map.entry("promotion.margin", "1"),
            Map.entry("promotion.std-errors", "0"),
            Map.entry("store.interval", "-1"),
            Map.entry("store.recent", "0"),
            Map.entry("log.requests", "often"),
            Map.entry("entities", "user,user"),
            Map.entry("entities.half-lives", "soon"),
            Map.entry("entities.prior-strength", "0"),
            Map.entry("initial-model", "relative.model"));

    /** Any list of names is a valid list of numeric features to log-transform. */
    private static final Set<String> EVERY_VALUE_VALID = Set.of("scale.log");

    @Test
    void everyOptionGivenWithoutAValueFailsInOneLineNamingIt() {
        for (Option<?> o : JobConfig.OPTIONS) {
            String expected = "invalid configuration: " + o.key + ": needs a value (--" + o.key + " VALUE)";
            assertEquals(expected, rejection("--kafka.bootstrap-servers", "k:1", "--" + o.key), "last");
            assertEquals(expected, rejection("--" + o.key, "--kafka.bootstrap-servers", "k:1"), "before another");
            if (o.isModelOption()) {
                String key = "model.ctr." + o.key;
                assertEquals(
                        "invalid configuration: " + key + ": needs a value (--" + key + " VALUE)",
                        rejection("--kafka.bootstrap-servers", "k:1", "--" + key));
            }
        }
        assertEquals(
                "invalid configuration: models: needs a value (--models VALUE)",
                assertThrows(InvalidConfigException.class, () -> JobConfig.fromMap(Map.of("models", "__NO_VALUE_KEY")))
                        .getMessage(),
                "Flink's placeholder for a flag without a value");
    }

    @Test
    void everyOptionWithABadValueFailsInOneLineNamingIt() {
        for (Option<?> o : JobConfig.OPTIONS) {
            if (EVERY_VALUE_VALID.contains(o.key)) {
                continue;
            }
            String bad = BAD_VALUES.get(o.key);
            assertNotNull(bad, "a value that option " + o.key + " refuses, for this table");
            String message = o.key.equals("kafka.bootstrap-servers")
                    ? rejection("--" + o.key, bad)
                    : rejection("--kafka.bootstrap-servers", "k:1", "--" + o.key, bad);
            assertTrue(message.startsWith("invalid configuration: " + o.key + ": "), message);
            assertFalse(message.contains("\n"), message);
            if (o.isModelOption()) {
                String key = "model.ctr." + o.key;
                String perModel = rejection("--kafka.bootstrap-servers", "k:1", "--" + key, bad);
                assertTrue(perModel.startsWith("invalid configuration: " + key + ": "), perModel);
            }
        }
    }

    @Test
    void aJobOptionCannotBeSetForOneModel() {
        assertEquals(
                "invalid configuration: model.ctr.series.lags: 'series.lags' is an option of the job, not of a model",
                rejection("--kafka.bootstrap-servers", "k:1", "--model.ctr.series.lags", "3"));
        assertEquals(
                "invalid configuration: batch.size: is given twice",
                rejection("--kafka.bootstrap-servers", "k:1", "--batch.size", "3", "--batch.size", "4"));
        assertEquals(
                "invalid configuration: arguments: 'batch.size' is not an option (options are --key value pairs)",
                rejection("--kafka.bootstrap-servers", "k:1", "batch.size", "3"));
    }
}
