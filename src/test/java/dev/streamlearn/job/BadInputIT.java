package dev.streamlearn.job;

import static dev.streamlearn.job.JobStack.MODEL;
import static dev.streamlearn.job.JobStack.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.records.DeadLetterReason;
import dev.streamlearn.testing.Await;
import dev.streamlearn.testing.Events;
import dev.streamlearn.testing.JobMetrics;
import dev.streamlearn.tools.DeadLetters;
import dev.streamlearn.tools.Tool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every kind of bad input we can think of, through Kafka into the running job: each is dead-lettered
 * with its reason (or accepted, where the table says so), the job never restarts, and a probe request
 * is scored exactly alike before and after each rejected record.
 */
@ExtendWith(JobStack.Shared.class)
class BadInputIT {

    private static final String BIKE_EVENT =
            "{\"model\":\"bike\",\"label\":1,\"features\":{\"hr\":\"17\",\"temp\":0.5,\"workingday\":\"1\"}}";

    private final JobStack stack;

    BadInputIT(JobStack stack) {
        this.stack = stack;
    }

    /** One kind of bad input: the topic it is written to, its bytes, and the dead-letter reason expected. */
    @SuppressWarnings("ArrayRecordComponent") // a kind of input to send, never compared
    private record Kind(String name, Topic topic, byte[] value, String reason) {
        static Kind labeled(String name, String json, DeadLetterReason reason) {
            return new Kind(name, Topic.LABELED, utf8(json), reason.code());
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String event(String fields) {
        return "{\"model\":\"bike\"," + fields + "}";
    }

    /** 500 KB of random bytes: not text. */
    private static byte[] binary() {
        byte[] binary = new byte[500_000];
        new Random(5).nextBytes(binary);
        return binary;
    }

    static List<Kind> rejected() {
        byte[] binary = binary();
        String deepArrays = "[".repeat(50_000) + "]".repeat(50_000);
        String deepInLimit = "[".repeat(2_000) + "]".repeat(2_000);
        StringBuilder manyFeatures = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            manyFeatures
                    .append(i == 0 ? "" : ",")
                    .append("\"f")
                    .append(i)
                    .append("\":")
                    .append(i);
        }
        String longId = "r".repeat(2_000);
        List<Kind> kinds = new ArrayList<>(List.of(
                Kind.labeled("not JSON", "hello", DeadLetterReason.NOT_JSON),
                Kind.labeled(
                        "truncated",
                        "{\"model\":\"bike\",\"label\":1,\"features\":{\"hr\":\"3\"",
                        DeadLetterReason.NOT_JSON),
                Kind.labeled("empty", "", DeadLetterReason.NOT_JSON),
                new Kind("tombstone", Topic.LABELED, null, DeadLetterReason.NOT_JSON.code()),
                new Kind("invalid UTF-8", Topic.LABELED, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, "not-utf8"),
                new Kind("500 KB binary", Topic.LABELED, binary, DeadLetterReason.NOT_UTF8.code()),
                Kind.labeled(
                        "over the size limit",
                        event("\"label\":1,\"features\":{\"pad\":\"" + "x".repeat(70_000) + "\"}"),
                        DeadLetterReason.TOO_LARGE),
                Kind.labeled("trailing garbage", BIKE_EVENT + " trailing", DeadLetterReason.NOT_JSON),
                Kind.labeled("two objects", BIKE_EVENT + BIKE_EVENT, DeadLetterReason.NOT_JSON),
                Kind.labeled(
                        "duplicate keys", event("\"label\":1,\"label\":0,\"features\":{}"), DeadLetterReason.NOT_JSON),
                Kind.labeled(
                        "duplicate feature",
                        event("\"label\":1,\"features\":{\"a\":1,\"a\":2}"),
                        DeadLetterReason.NOT_JSON),
                Kind.labeled("50,000 nested arrays", deepArrays, DeadLetterReason.TOO_LARGE),
                Kind.labeled(
                        "2,000 nested arrays in a feature",
                        event("\"label\":1,\"features\":{\"x\":" + deepInLimit + "}"),
                        DeadLetterReason.TOO_LARGE),
                Kind.labeled(
                        "a 60 KB feature name",
                        event("\"label\":0,\"features\":{\"" + "n".repeat(60_000) + "\":1}"),
                        DeadLetterReason.TOO_LARGE),
                Kind.labeled("label NaN", event("\"label\":NaN,\"features\":{}"), DeadLetterReason.NOT_FINITE),
                Kind.labeled("label \"1\"", event("\"label\":\"1\",\"features\":{}"), DeadLetterReason.NOT_NUMERIC),
                Kind.labeled("label true", event("\"label\":true,\"features\":{}"), DeadLetterReason.NOT_NUMERIC),
                Kind.labeled("label 2", event("\"label\":2,\"features\":{}"), DeadLetterReason.BAD_LABEL),
                Kind.labeled("label -1", event("\"label\":-1,\"features\":{}"), DeadLetterReason.BAD_LABEL),
                Kind.labeled("label 1e309", event("\"label\":1e309,\"features\":{}"), DeadLetterReason.NOT_FINITE),
                Kind.labeled("label 1e-400", event("\"label\":1e-400,\"features\":{}"), DeadLetterReason.OUT_OF_RANGE),
                Kind.labeled("no label", event("\"features\":{}"), DeadLetterReason.MISSING_FIELD),
                Kind.labeled("no features", event("\"label\":1"), DeadLetterReason.MISSING_FIELD),
                Kind.labeled("features an array", event("\"label\":1,\"features\":[1,2]"), DeadLetterReason.BAD_FIELD),
                Kind.labeled(
                        "features a string", event("\"label\":1,\"features\":\"hr=3\""), DeadLetterReason.BAD_FIELD),
                Kind.labeled(
                        "a nested object feature",
                        event("\"label\":1,\"features\":{\"a\":{\"b\":1}}"),
                        DeadLetterReason.NOT_NUMERIC),
                Kind.labeled(
                        "feature 1e300",
                        event("\"label\":1,\"features\":{\"temp\":1e300}"),
                        DeadLetterReason.OUT_OF_RANGE),
                Kind.labeled(
                        "feature -1e300",
                        event("\"label\":1,\"features\":{\"temp\":-1e300}"),
                        DeadLetterReason.OUT_OF_RANGE),
                Kind.labeled(
                        "subnormal 1e-320",
                        event("\"label\":1,\"features\":{\"temp\":1e-320}"),
                        DeadLetterReason.OUT_OF_RANGE),
                Kind.labeled(
                        "feature NaN", event("\"label\":1,\"features\":{\"temp\":NaN}"), DeadLetterReason.NOT_FINITE),
                Kind.labeled(
                        "weight 1e300",
                        event("\"label\":1,\"weight\":1e300,\"features\":{}"),
                        DeadLetterReason.OUT_OF_RANGE),
                Kind.labeled(
                        "weight -1", event("\"label\":1,\"weight\":-1,\"features\":{}"), DeadLetterReason.BAD_FIELD),
                Kind.labeled(
                        "weight \"x\"",
                        event("\"label\":1,\"weight\":\"x\",\"features\":{}"),
                        DeadLetterReason.NOT_NUMERIC),
                Kind.labeled(
                        "ts a string",
                        event("\"ts\":\"today\",\"label\":1,\"features\":{}"),
                        DeadLetterReason.NOT_NUMERIC),
                Kind.labeled(
                        "ts a float", event("\"ts\":1.5e12,\"label\":1,\"features\":{}"), DeadLetterReason.NOT_NUMERIC),
                Kind.labeled(
                        "ts negative", event("\"ts\":-5,\"label\":1,\"features\":{}"), DeadLetterReason.OUT_OF_RANGE),
                Kind.labeled(
                        "ts in the year 3000",
                        event("\"ts\":32503680000000,\"label\":1,\"features\":{}"),
                        DeadLetterReason.OUT_OF_RANGE),
                Kind.labeled(
                        "unknown model",
                        "{\"model\":\"nope\",\"label\":1,\"features\":{}}",
                        DeadLetterReason.UNKNOWN_MODEL),
                Kind.labeled(
                        "null model", "{\"model\":null,\"label\":1,\"features\":{}}", DeadLetterReason.MISSING_FIELD),
                Kind.labeled(
                        "numeric model", "{\"model\":5,\"label\":1,\"features\":{}}", DeadLetterReason.UNKNOWN_MODEL),
                Kind.labeled(
                        "10,000 features",
                        event("\"label\":1,\"features\":{" + manyFeatures + "}"),
                        DeadLetterReason.TOO_LARGE),
                new Kind(
                        "request without id",
                        Topic.REQUESTS,
                        utf8("{\"model\":\"bike\",\"features\":{}}"),
                        DeadLetterReason.MISSING_FIELD.code()),
                new Kind(
                        "request with a 2,000-character id",
                        Topic.REQUESTS,
                        utf8("{\"id\":\"" + longId + "\",\"model\":\"bike\",\"features\":{}}"),
                        DeadLetterReason.BAD_FIELD.code()),
                new Kind(
                        "request for an unknown model",
                        Topic.REQUESTS,
                        utf8("{\"id\":\"x\",\"model\":\"nope\",\"features\":{}}"),
                        DeadLetterReason.UNKNOWN_MODEL.code()),
                new Kind(
                        "rollback to -1",
                        Topic.CONTROL,
                        utf8("{\"op\":\"rollback\",\"model\":\"bike\",\"version\":-1}"),
                        DeadLetterReason.BAD_FIELD.code()),
                new Kind(
                        "rollback to a 20-digit version",
                        Topic.CONTROL,
                        utf8("{\"op\":\"rollback\",\"model\":\"bike\",\"version\":123456789012345678901}"),
                        DeadLetterReason.BAD_FIELD.code()),
                new Kind(
                        "rollback to garbage",
                        Topic.CONTROL,
                        utf8("{\"op\":\"rollback\",\"model\":\"bike\",\"to\":\"garbage\"}"),
                        DeadLetterReason.BAD_FIELD.code()),
                new Kind(
                        "unknown op",
                        Topic.CONTROL,
                        utf8("{\"op\":\"explode\",\"model\":\"bike\"}"),
                        DeadLetterReason.UNKNOWN_OP.code()),
                new Kind(
                        "command for an unknown model",
                        Topic.CONTROL,
                        utf8("{\"op\":\"freeze\",\"model\":\"nope\"}"),
                        DeadLetterReason.UNKNOWN_MODEL.code())));
        return kinds;
    }

    /** Accepted as they are: odd, but valid. */
    static List<String> accepted() {
        return List.of(
                event("\"label\":1,\"extra\":{\"anything\":[1,2]},\"features\":{\"hr\":\"3\"}"), // unknown fields
                event("\"label\":0,\"features\":{\"" + "n".repeat(20_000) + "\":1}"), // a 20 KB feature name
                event("\"label\":1,\"weight\":1000,\"features\":{\"temp\":1e29}"), // at the limits
                event("\"label\":0,\"features\":{\"holiday\":true,\"hr\":null}"), // a boolean, a null
                event("\"label\":0.0,\"features\":{\"temp\":0.0}")); // zeros written as floats
    }

    @Test
    void everyBadInputIsDeadLetteredWithItsReasonAndChangesNothing() throws Exception {
        JobConfig config = stack.config("bad-");
        StreamExecutionEnvironment env = stack.env("bad");
        LearningJob.attachToKafka(env, config);
        JobClient job = env.executeAsync("bad-input-it");
        JobMetrics metrics = stack.metrics(job);
        try {
            stack.kafka.send(config.topic(Topic.LABELED), Events.json(stack.bike.subList(0, 2000)));
            Await.until(
                    "trained",
                    TIMEOUT,
                    () -> metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.EXAMPLES_TRAINED)) == 2000);
            // frozen: the model changes only if a bad record gets through
            stack.kafka.send(config.topic(Topic.CONTROL), List.of("{\"op\":\"freeze\",\"model\":\"bike\"}"));
            Await.until(
                    "frozen", TIMEOUT, () -> metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.FROZEN)) == 1);

            List<Kind> kinds = rejected();
            List<JsonNode> probes = new ArrayList<>();
            probes.add(probe(config, 0));
            for (Kind k : kinds) {
                stack.kafka.sendRaw(topicOf(config, k.topic()), Collections.singletonList(k.value()));
            }
            Await.until(
                    "a dead letter for each bad record",
                    TIMEOUT,
                    () -> deadLetters(metrics) >= kinds.size(),
                    () -> "dead letters " + deadLetters(metrics) + " of " + kinds.size());
            probes.add(probe(config, 1));
            for (JsonNode p : probes) {
                assertEquals(
                        probes.get(0).get("score").asDouble(), p.get("score").asDouble(), 0.0, "probe " + p);
                assertEquals(
                        probes.get(0).get("modelVersion").asLong(),
                        p.get("modelVersion").asLong());
            }

            List<JsonNode> dead = stack.kafka.readAll(config.topic(Topic.DEAD_LETTER), kinds.size(), TIMEOUT).stream()
                    .map(Events::parse)
                    .collect(Collectors.toList());
            Map<String, Long> expected =
                    kinds.stream().collect(Collectors.groupingBy(Kind::reason, TreeMap::new, Collectors.counting()));
            Map<String, Long> actual = dead.stream()
                    .collect(Collectors.groupingBy(d -> d.get("reason").asText(), TreeMap::new, Collectors.counting()));
            assertEquals(expected, actual, "dead-letter reasons");
            assertDeadLettersToolPrints(config, dead, expected);
            JsonNode binary = dead.stream()
                    .filter(d -> d.get("reason").asText().equals(DeadLetterReason.NOT_UTF8.code())
                            && d.get("payload").asText().length() > 1000)
                    .findFirst()
                    .orElseThrow();
            assertTrue(binary.get("payload").asText().length() <= 4096, "the payload is cut");
            // the producer's record, byte for byte: its length and hash, not those of the decoded text
            assertEquals(500_000, binary.get("payloadBytes").asInt());
            assertEquals(
                    HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(binary())),
                    binary.get("payloadSha256").asText());
            assertEquals(0, metrics.longValue("numRestarts"), "the job never restarted");

            // the odd but valid ones are learnt once the model learns again, and every score stays a probability
            stack.kafka.send(config.topic(Topic.CONTROL), List.of("{\"op\":\"resume\",\"model\":\"bike\"}"));
            Await.until(
                    "resumed", TIMEOUT, () -> metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.FROZEN)) == 0);
            stack.kafka.send(config.topic(Topic.LABELED), accepted());
            Await.until(
                    "the odd ones trained",
                    TIMEOUT,
                    () -> metrics.longValue(MetricNames.ofModel(MODEL, MetricNames.EXAMPLES_TRAINED))
                            == 2000 + accepted().size());
            JsonNode after = probe(config, 2);
            double score = after.get("score").asDouble();
            assertTrue(score > 0 && score < 1, "a probability: " + after);
            assertEquals(kinds.size(), deadLetters(metrics), "none of them dead-lettered");
            assertEquals(0, metrics.longValue("numRestarts"), "the job never restarted");
            System.out.printf(
                    "IT bad input: %d kinds dead-lettered with their reasons %s, %d odd ones accepted; %d probes"
                            + " scored %.6f alike; no restart%n",
                    kinds.size(),
                    actual,
                    accepted().size(),
                    probes.size(),
                    probes.get(0).get("score").asDouble());
        } finally {
            job.cancel().get();
        }
    }

    private static String topicOf(JobConfig config, Topic topic) {
        switch (topic) {
            case LABELED:
                return config.topic(Topic.LABELED);
            case REQUESTS:
                return config.topic(Topic.REQUESTS);
            case CONTROL:
                return config.topic(Topic.CONTROL);
            default:
                throw new IllegalArgumentException("no input topic: " + topic);
        }
    }

    /** scripts/dead-letters prints every dead letter the job wrote, as it wrote it, and counts them by reason. */
    private void assertDeadLettersToolPrints(JobConfig config, List<JsonNode> dead, Map<String, Long> byReason) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = {"--bootstrap", stack.kafka.bootstrapServers(), "--topic", config.topic(Topic.DEAD_LETTER)};
        assertEquals(
                0,
                Tool.run(
                        new DeadLetters(),
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8)),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(
                dead.stream().map(JsonNode::toString).sorted().toList(),
                out.toString(StandardCharsets.UTF_8)
                        .lines()
                        .map(line -> Events.parse(line).toString())
                        .sorted()
                        .toList(),
                "each dead letter once, as the job wrote it");
        String counts = byReason.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        assertEquals(
                dead.size() + " dead letters on " + config.topic(Topic.DEAD_LETTER) + ": " + counts,
                err.toString(StandardCharsets.UTF_8).strip());
    }

    private long deadLetters(JobMetrics metrics) {
        long n = 0;
        for (DeadLetterReason r : DeadLetterReason.values()) {
            n += Math.max(0, metrics.longValue(MetricNames.deadLetters(r.code())));
        }
        return n;
    }

    /** Sends a fixed request and returns its prediction. */
    private JsonNode probe(JobConfig config, int i) {
        return stack.predict(config, stack.bike.get(1234), "probe-" + i);
    }
}
