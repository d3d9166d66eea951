package dev.streamlearn.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.series.SeriesSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobConfigTest {

    @Test
    void defaultsNeedOnlyTheBrokers() {
        JobConfig c = JobConfig.fromArgs("--kafka.bootstrap-servers", "127.0.0.1:9092");
        assertEquals("labeled-events", c.get(JobConfig.TOPIC_LABELED));
        assertEquals(DeliveryGuarantee.AT_LEAST_ONCE, c.deliveryGuarantee());
        ModelSpec ctr = c.models().get("ctr");
        assertEquals(Loss.LOGISTIC, ctr.loss);
        assertEquals(ModelSpec.OptimizerKind.FTRL, ctr.optimizer);
        assertEquals(20, ctr.hashBits);
        assertEquals(100, ctr.batchSize);
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
        assertEquals(50, c.models().get("ctr").batchSize);
        assertEquals(Loss.LOGISTIC, c.models().get("ctr").loss);
        assertEquals(Loss.SQUARED, c.models().get("load").loss);
        assertEquals(ModelSpec.OptimizerKind.ADAGRAD, c.models().get("load").optimizer);
        assertEquals(7, c.models().get("load").batchSize);
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
                "batch.sise              | 5     | invalid configuration: batch.sise: unknown option (see the configuration table in README.md)",
                "model.other.batch.size  | 5     | invalid configuration: model.other.batch.size: names no model listed in 'models' [ctr]",
                "model.ctr.batch.millis  | 0     | invalid configuration: model.ctr.batch.millis: '0' must be >= 1",
                "models                  | a b   | invalid configuration: models: 'a b' is not a model id (1-64 of letters, digits, '_', '.', '-')",
                "optimizer               | rls   | invalid configuration: model.ctr.optimizer: rls (recursive least squares) needs squared loss (--model.ctr.loss squared)",
                "learning-rate           | 0.2   | invalid configuration: learning-rate: is not used by ftrl (its rates are ftrl.alpha and ftrl.beta)",
                "model.ctr.learning-rate | 0.2   | invalid configuration: model.ctr.learning-rate: is not used by ftrl (its rates are ftrl.alpha and ftrl.beta)",
                "scale.clip              | 0.5   | invalid configuration: scale.clip: '0.5' must be in 1..1000",
                "forget.half-life        | -1    | invalid configuration: forget.half-life: '-1' must be >= 0",
                "l2                      | x     | invalid configuration: l2: 'x' is not a valid number",
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
                "invalid configuration: series.seasonal-lags: 'x' is not a lag in steps (1..100000)",
                rejection(
                        "--kafka.bootstrap-servers",
                        "k:1",
                        "--model.ctr.loss",
                        "squared",
                        "--series.model",
                        "ctr",
                        "--series.seasonal-lags",
                        "24,x"));
        JobConfig c = JobConfig.fromArgs(
                "--kafka.bootstrap-servers",
                "k:1",
                "--model.ctr.loss",
                "squared",
                "--series.model",
                "ctr",
                "--series.seasonal-lags",
                "48,336",
                "--series.gap-policy",
                "reset");
        assertEquals(336, c.series().window());
        assertEquals(48, c.series().season());
        assertEquals(SeriesSpec.GapPolicy.RESET, c.series().gapPolicy);
        assertEquals(
                null, JobConfig.fromArgs("--kafka.bootstrap-servers", "k:1").series());
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
        assertEquals(1.0, c.models().get("a").l1);
        assertEquals(1.0, c.models().get("a").l2);
        assertEquals(0.0, c.models().get("b").l1);
        assertEquals(0.01, c.models().get("b").l2);
        assertEquals(0.1, c.models().get("b").learningRate);
        assertEquals(1.0, c.models().get("c").l2, "the ridge of least squares");
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
}
