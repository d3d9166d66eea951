package dev.streamlearn.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.records.ControlCommand;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.DeadLetterReason;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.PredictionRequest;
import dev.streamlearn.testing.Specs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventParserTest {

    private static final Map<String, ModelSpec> MODELS = Map.of(
            "ctr", Specs.logistic("ctr", 10, 100),
            "load", Specs.squared("load", ModelSpec.OptimizerKind.SGD));
    private static final long NOW = 1_700_000_000_000L;
    private final EventParser parser =
            new EventParser(MODELS, InputLimits.defaults().withMaxRecordBytes(400), "in", () -> NOW);
    private final FeatureHasher hasher = new FeatureHasher(8);

    @Test
    void parsesALabeledEventIntoHashedFeatures() {
        ParseResult<Example> r = parser.parseLabeled(
                "{\"id\":\"e1\",\"ts\":1700000000000,\"model\":\"ctr\","
                        + "\"label\":1,\"weight\":2,\"features\":{\"site\":\"a.com\",\"price\":2.5,\"ok\":true,\"gone\":null}}");
        assertTrue(r.isOk());
        Example e = r.value();
        assertEquals("ctr", e.modelId);
        assertEquals("e1", e.id);
        assertEquals(1700000000000L, e.ts);
        assertEquals(1.0, e.label);
        assertEquals(2.0, e.weight);
        assertArrayEquals(
                new int[] {hasher.categoricalIndex("site", "a.com"), hasher.categoricalIndex("ok", "true")},
                e.features.categorical);
        assertArrayEquals(new int[] {hasher.numericIndex("price")}, e.features.numeric);
        assertArrayEquals(new double[] {2.5}, e.features.numericValues, "raw: the model scales");
    }

    @Test
    void aJoinedEventSaysWhatTheTrainerDoesWithItAndOnlyALogisticModelLearnsFromFakeNegatives() {
        Example released = parser.parseLabeled(
                        "{\"model\":\"ctr\",\"label\":0,\"use\":\"learn-fake-negative\",\"features\":{\"a\":\"b\"}}")
                .value();
        assertEquals(Example.Use.LEARN_FAKE_NEGATIVE, released.use);
        assertTrue(Double.isNaN(released.servedMargin));
        Example last = parser.parseLabeled("{\"model\":\"ctr\",\"label\":1,\"use\":\"calibrate\","
                        + "\"servedScore\":0.25,\"servedMargin\":-1.0986,\"features\":{\"a\":\"b\"}}")
                .value();
        assertEquals(Example.Use.CALIBRATE, last.use);
        assertEquals(-1.0986, last.servedMargin);
        assertEquals(
                Example.Use.LEARN,
                parser.parseLabeled("{\"model\":\"ctr\",\"label\":1,\"features\":{}}")
                        .value()
                        .use);
        assertEquals(
                "use must be one of [learn, learn-fake-negative, calibrate], was 'twice'",
                parser.parseLabeled("{\"model\":\"ctr\",\"label\":1,\"use\":\"twice\",\"features\":{}}")
                        .deadLetter()
                        .detail);
        assertEquals(
                "use 'calibrate' is for models with logistic loss; 'load' has squared",
                parser.parseLabeled("{\"model\":\"load\",\"label\":3.5,\"use\":\"calibrate\",\"features\":{}}")
                        .deadLetter()
                        .detail);
    }

    @Test
    void aSeriesPointWithoutAValueIsADeadLetterWithItsReason() {
        assertEquals(
                1.5,
                parser.parseSeriesPoint("{\"series\":\"s\",\"ts\":1,\"value\":1.5}")
                        .value()
                        .value);
        for (String point : List.of("{\"series\":\"s\",\"ts\":1,\"value\":null}", "{\"series\":\"s\",\"ts\":1}")) {
            DeadLetter d = parser.parseSeriesPoint(point).deadLetter();
            assertEquals("missing-field", d.reason, point);
            assertEquals("value", d.detail, point);
        }
        assertEquals(
                "not-numeric",
                parser.parseSeriesPoint("{\"series\":\"s\",\"ts\":1,\"value\":\"\"}")
                        .deadLetter()
                        .reason);
    }

    @Test
    void aTimestampInSecondsIsRefusedWithWhatToSend() {
        String features = "\"features\":{\"price\":2.5}";
        DeadLetter seconds = parser.parseLabeled("{\"model\":\"ctr\",\"ts\":1733500000,\"label\":1," + features + "}")
                .deadLetter();
        assertEquals(DeadLetterReason.OUT_OF_RANGE.code(), seconds.reason);
        assertTrue(seconds.detail.contains("epoch seconds (2024-12-06T15:46:40Z)"), seconds.detail);
        assertTrue(seconds.detail.contains("send epoch milliseconds, 1733500000000"), seconds.detail);
        assertEquals(
                DeadLetterReason.OUT_OF_RANGE.code(),
                parser.parseRequest("{\"id\":\"r\",\"model\":\"ctr\",\"ts\":1733500000," + features + "}")
                        .deadLetter()
                        .reason);
        // either side of the span: early 1970 in milliseconds (synthetic streams), and March 1973 on
        for (long kept : new long[] {999_999_999L, 100_000_000_000L}) {
            String event = "{\"model\":\"ctr\",\"ts\":" + kept + ",\"label\":1," + features + "}";
            assertEquals(kept, parser.parseLabeled(event).value().ts);
        }
    }

    @Test
    void aRequestsIdIsKeptAsItWasSentANumberAsANumber() {
        String features = "\"features\":{\"price\":2.5}";
        PredictionRequest number = parser.parseRequest("{\"id\":777000111,\"model\":\"ctr\"," + features + "}")
                .value();
        assertEquals("777000111", number.id);
        assertTrue(number.idIsNumber, "written back as a number");
        PredictionRequest text = parser.parseRequest("{\"id\":\"777000111\",\"model\":\"ctr\"," + features + "}")
                .value();
        assertEquals("777000111", text.id);
        assertFalse(text.idIsNumber, "written back as a string");
    }

    @Test
    void keepsTheValuesOfTheModelsEntityFieldsAndTheNamesOfAnExplainedRequest() {
        ModelSpec withEntities = Specs.logistic("ctr", 10, 100).toBuilder()
                .set(ModelOptions.ENTITIES, List.of("user", "shop", "item"))
                .set(ModelOptions.ENTITY_HALF_LIVES, List.of(3_600_000L))
                .set(ModelOptions.ENTITY_PRIOR_STRENGTH, 10.0)
                .build();
        EventParser p = new EventParser(Map.of("ctr", withEntities), InputLimits.defaults(), "in", () -> NOW);
        String features = "\"features\":{\"user\":\"u7\",\"price\":2.5,\"item\":42,\"site\":\"a.com\"}";

        Example e = p.parseLabeled("{\"model\":\"ctr\",\"label\":1," + features + "}")
                .value();
        assertArrayEquals(new String[] {"u7", null, "42"}, e.entities, "a number as written; null: not in the event");
        PredictionRequest r = p.parseRequest("{\"id\":\"r\",\"model\":\"ctr\",\"explain\":true," + features + "}")
                .value();
        assertArrayEquals(new String[] {"u7", null, "42"}, r.entities);
        assertArrayEquals(new String[] {"user=u7", "site=a.com"}, r.explained.categorical);
        assertArrayEquals(new String[] {"price", "item"}, r.explained.numeric);
        assertEquals(
                null,
                p.parseRequest("{\"id\":\"r\",\"model\":\"ctr\"," + features + "}")
                        .value()
                        .explained);
        assertEquals(
                null,
                parser.parseLabeled("{\"model\":\"ctr\",\"label\":1," + features + "}")
                        .value()
                        .entities,
                "a model without entity fields keeps none");
        assertEquals(
                DeadLetterReason.BAD_FIELD.code(),
                p.parseRequest("{\"id\":\"r\",\"model\":\"ctr\",\"explain\":\"yes\"," + features + "}")
                        .deadLetter()
                        .reason);
    }

    @Test
    void entityValuesComeFromTheEventsEntitiesObjectFirstAndAreNotFeaturesThere() {
        ModelSpec withEntities = Specs.logistic("ctr", 10, 100).toBuilder()
                .set(ModelOptions.ENTITIES, List.of("user", "item"))
                .set(ModelOptions.ENTITY_HALF_LIVES, List.of(3_600_000L))
                .set(ModelOptions.ENTITY_PRIOR_STRENGTH, 10.0)
                .build();
        EventParser p = new EventParser(Map.of("ctr", withEntities), InputLimits.defaults(), "in", () -> NOW);
        Example e = p.parseLabeled("{\"model\":\"ctr\",\"label\":1,\"entities\":{\"user\":\"u9\"},"
                        + "\"features\":{\"user\":\"u7\",\"item\":\"i1\",\"price\":2.5}}")
                .value();
        assertArrayEquals(new String[] {"u9", "i1"}, e.entities, "the entities object wins; the rest from features");
        Example only = p.parseLabeled(
                        "{\"model\":\"ctr\",\"label\":1,\"entities\":{\"user\":17},\"features\":{\"price\":2.5}}")
                .value();
        assertArrayEquals(new String[] {"17", null}, only.entities);
        assertArrayEquals(new int[0], only.features.categorical, "an entity named only there is no feature");
        assertEquals(
                DeadLetterReason.BAD_FIELD.code(),
                p.parseLabeled("{\"model\":\"ctr\",\"label\":1,\"entities\":\"u1\",\"features\":{}}")
                        .deadLetter()
                        .reason);
        assertEquals(
                "entities.user must be a string or number",
                p.parseLabeled("{\"model\":\"ctr\",\"label\":1,\"entities\":{\"user\":[1]},\"features\":{}}")
                        .deadLetter()
                        .detail);
    }

    @Test
    void parsesRequestsAndControl() {
        ParseResult<PredictionRequest> r =
                parser.parseRequest("{\"id\":\"r1\",\"ts\":5,\"model\":\"ctr\",\"features\":{}}");
        assertTrue(r.isOk());
        assertEquals("r1", r.value().id);
        assertEquals(0, r.value().features.size());
        ParseResult<ControlCommand> c = parser.parseControl("{\"op\":\"freeze\",\"model\":\"ctr\"}");
        assertEquals(ControlCommand.Op.FREEZE, c.value().op);
        assertEquals(
                ControlCommand.Op.RESUME,
                parser.parseControl("{\"op\":\"resume\",\"model\":\"ctr\"}").value().op);
        ControlCommand rollback = parser.parseControl("{\"op\":\"rollback\",\"model\":\"ctr\",\"version\":42}")
                .value();
        assertEquals(ControlCommand.Op.ROLLBACK, rollback.op);
        assertEquals(42, rollback.version);
        assertEquals(
                ControlCommand.PREVIOUS_BETTER,
                parser.parseControl("{\"op\":\"rollback\",\"model\":\"ctr\",\"to\":\"previous-better\"}")
                        .value()
                        .version);
    }

    @Test
    void squaredLossTakesAnyFiniteLabel() {
        assertTrue(parser.parseLabeled("{\"model\":\"load\",\"label\":26498.5,\"features\":{}}")
                .isOk());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not-json      | not json at all",
                "not-json      | [1,2]",
                "not-json      | ''",
                "missing-field | {\"model\":\"ctr\",\"features\":{}}",
                "missing-field | {\"model\":\"ctr\",\"label\":1}",
                "missing-field | {\"label\":1,\"features\":{}}",
                "unknown-model | {\"model\":\"nope\",\"label\":1,\"features\":{}}",
                "bad-label     | {\"model\":\"ctr\",\"label\":0.5,\"features\":{}}",
                "bad-label     | {\"model\":\"ctr\",\"label\":2,\"features\":{}}",
                "not-numeric   | {\"model\":\"ctr\",\"label\":\"1\",\"features\":{}}",
                "not-numeric   | {\"model\":\"ctr\",\"label\":1,\"features\":{\"x\":[1]}}",
                "not-finite    | {\"model\":\"load\",\"label\":NaN,\"features\":{}}",
                "not-finite    | {\"model\":\"load\",\"label\":1e999,\"features\":{}}",
                "not-finite    | {\"model\":\"ctr\",\"label\":1,\"features\":{\"x\":Infinity}}",
                "bad-field     | {\"model\":\"ctr\",\"label\":1,\"features\":[]}",
                "bad-field     | {\"model\":\"ctr\",\"label\":1,\"weight\":-1,\"features\":{}}",
                "not-json      | {\"model\":\"ctr\",\"label\":1,\"features\":{}} trailing",
                "not-json      | {\"model\":\"ctr\",\"label\":1,\"features\":{}}{}",
                "not-json      | {\"model\":\"ctr\",\"label\":1,\"label\":0,\"features\":{}}",
                "not-json      | {\"model\":\"ctr\",\"label\":1,\"features\":{\"a\":1,\"a\":2}}",
                "out-of-range  | {\"model\":\"load\",\"label\":1e-400,\"features\":{}}",
                "out-of-range  | {\"model\":\"ctr\",\"label\":1e-400,\"features\":{}}",
                "out-of-range  | {\"model\":\"ctr\",\"label\":1,\"features\":{\"x\":1e-320}}",
                "out-of-range  | {\"model\":\"ctr\",\"label\":1,\"features\":{\"x\":-1e31}}",
                "out-of-range  | {\"model\":\"ctr\",\"label\":1,\"weight\":1001,\"features\":{}}",
                "out-of-range  | {\"model\":\"ctr\",\"ts\":1700086400001,\"label\":1,\"features\":{}}",
                "out-of-range  | {\"model\":\"ctr\",\"ts\":-1,\"label\":1,\"features\":{}}",
                "not-numeric   | {\"model\":\"ctr\",\"ts\":1.5,\"label\":1,\"features\":{}}",
                "not-numeric   | {\"model\":\"ctr\",\"ts\":99999999999999999999,\"label\":1,\"features\":{}}",
                "too-large     | {\"model\":\"ctr\",\"label\":1,\"features\":{\"pad\":\"XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\"}}",
            })
    void rejectsLabeledEventsWithTheirReason(String reason, String payload) {
        ParseResult<Example> r = parser.parseLabeled(payload);
        assertFalse(r.isOk());
        assertEquals(reason, r.deadLetter().reason);
        assertEquals("in", r.deadLetter().topic);
        assertEquals(payload, r.deadLetter().payload, "the payload is kept as it arrived");
        assertFalse(r.deadLetter().detail.isBlank());
    }

    @Test
    void tooLargeCountsUtf8Bytes() {
        // 150 three-byte characters: 450 bytes in 150 chars
        String payload = "{\"model\":\"ctr\",\"label\":1,\"features\":{\"x\":\"" + "€".repeat(150) + "\"}}";
        assertEquals("too-large", parser.parseLabeled(payload).deadLetter().reason);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "missing-field  | {\"model\":\"ctr\",\"features\":{}}",
                "unknown-model  | {\"id\":\"r\",\"model\":\"nope\",\"features\":{}}",
                "not-numeric    | {\"id\":\"r\",\"model\":\"ctr\",\"ts\":\"yesterday\",\"features\":{}}",
            })
    void rejectsRequestsWithTheirReason(String reason, String payload) {
        assertEquals(reason, parser.parseRequest(payload).deadLetter().reason);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "unknown-op     | {\"op\":\"explode\",\"model\":\"ctr\"}",
                "missing-field  | {\"op\":\"rollback\",\"model\":\"ctr\"}",
                "bad-field      | {\"op\":\"rollback\",\"model\":\"ctr\",\"version\":-2}",
                "bad-field      | {\"op\":\"rollback\",\"model\":\"ctr\",\"version\":123456789012345678901}",
                "bad-field      | {\"op\":\"rollback\",\"model\":\"ctr\",\"version\":3,\"force\":\"yes\"}",
                "unknown-model  | {\"op\":\"freeze\",\"model\":\"nope\"}",
                "missing-field  | {\"model\":\"ctr\"}",
            })
    void rejectsControlWithTheirReason(String reason, String payload) {
        assertEquals(reason, parser.parseControl(payload).deadLetter().reason);
    }

    @Test
    void acceptsWhatLooksLikeAnEdgeButIsNot() {
        assertEquals(
                0.0,
                parser.parseLabeled("{\"model\":\"ctr\",\"label\":0.0,\"features\":{\"x\":0.0,\"y\":1e-300}}")
                        .value()
                        .label);
        assertTrue(parser.parseLabeled("{\"model\":\"ctr\",\"id\":\"a-e-b\",\"label\":0.0,\"features\":{\"x\":0.0}}")
                .isOk());
        assertEquals(
                NOW + 86_400_000L,
                parser.parseLabeled("{\"model\":\"ctr\",\"ts\":1700086400000,\"label\":1,\"features\":{}}")
                        .value()
                        .ts,
                "a day ahead is the limit");
        assertEquals(
                NOW,
                parser.parseLabeled("{\"model\":\"ctr\",\"label\":1,\"features\":{}}")
                        .value()
                        .ts);
        ControlCommand forced = parser.parseControl(
                        "{\"op\":\"rollback\",\"model\":\"ctr\",\"version\":3,\"force\":true}")
                .value();
        assertTrue(forced.force);
        assertEquals(3, forced.version);
    }

    @Test
    void aCommandsIdIsKeptAndARejectedRecordsDeadLetterNamesItsId() {
        assertEquals(
                "c-7",
                parser.parseControl("{\"op\":\"pin\",\"model\":\"ctr\",\"id\":\"c-7\"}")
                        .value()
                        .id);
        assertNull(parser.parseControl("{\"op\":\"pin\",\"model\":\"ctr\"}").value().id);
        DeadLetter unknownOp = parser.parseControl("{\"op\":\"explode\",\"model\":\"ctr\",\"id\":\"c-8\"}")
                .deadLetter();
        assertEquals("unknown-op", unknownOp.reason);
        assertEquals("c-8", unknownOp.recordId);
        assertEquals(
                "17",
                parser.parseLabeled("{\"model\":\"ctr\",\"id\":17,\"label\":3,\"features\":{}}")
                        .deadLetter()
                        .recordId,
                "a number as written");
        // a record not read whole names no id, not even one the reader took before it failed (nor the last record's)
        assertNull(parser.parseControl("{\"id\":\"c-9\",\"op\":").deadLetter().recordId);
        assertNull(parser.parseControl("").deadLetter().recordId);
        assertNull(parser.parseControl("{\"op\":\"pin\",\"model\":\"ctr\",\"id\":{}}")
                .deadLetter()
                .recordId);
    }

    @Test
    void anIdLongerThanTheLimitIsRejected() {
        EventParser roomy = new EventParser(MODELS, InputLimits.defaults(), "in", () -> NOW);
        String id = "x".repeat(InputLimits.MAX_ID_CHARS + 1);
        assertEquals(
                "bad-field",
                roomy.parseRequest("{\"id\":\"" + id + "\",\"model\":\"ctr\",\"features\":{}}")
                        .deadLetter()
                        .reason);
        assertTrue(roomy.parseRequest("{\"id\":\"" + id.substring(1) + "\",\"model\":\"ctr\",\"features\":{}}")
                .isOk());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"model\":\"ctr\",\"x\":1,\"x\":2,\"label\":1,\"features\":{}}",
                "{\"model\":\"ctr\",\"label\":1,\"features\":{},\"features\":{}}",
                "{\"model\":\"ctr\",\"label\":1,\"extra\":{\"a\":1,\"b\":{\"c\":1,\"c\":2}},\"features\":{}}",
                "{\"model\":\"ctr\",\"label\":1,\"extra\":[{\"a\":1},{\"a\":1,\"a\":1}],\"features\":{}}",
                "{\"model\":\"ctr\",\"label\":1,\"features\":{\"x\":{\"a\":1,\"a\":2}}}",
                "{\"model\":\"ctr\",\"label\":{\"a\":1,\"a\":2},\"features\":{}}",
                "[{\"a\":1,\"a\":2}]",
            })
    void aKeyTwiceAtAnyLevelIsNotJson(String payload) {
        assertEquals("not-json", parser.parseLabeled(payload).deadLetter().reason, payload);
    }

    @Test
    void theSameKeyInSiblingObjectsIsFine() {
        assertTrue(parser.parseLabeled(
                        "{\"model\":\"ctr\",\"label\":1,\"extra\":[{\"a\":1},{\"a\":2}],\"more\":{\"a\":{\"a\":1}},"
                                + "\"features\":{\"a\":1,\"model\":\"x\"}}")
                .isOk());
    }

    @Test
    void jsonBeyondTheReadersLimitsIsTooLargeNotMalformed() {
        EventParser roomy = new EventParser(MODELS, InputLimits.defaults(), "in", () -> NOW);
        String deep = "[".repeat(2_000) + "]".repeat(2_000);
        String longName = "n".repeat(60_000);
        assertEquals(
                "too-large",
                roomy.parseLabeled("{\"model\":\"ctr\",\"label\":1,\"features\":{\"x\":" + deep + "}}")
                        .deadLetter()
                        .reason);
        assertEquals(
                "too-large",
                roomy.parseLabeled("{\"model\":\"ctr\",\"label\":1,\"features\":{\"" + longName + "\":1}}")
                        .deadLetter()
                        .reason);
        assertTrue(roomy.parseLabeled("{\"model\":\"ctr\",\"label\":1,\"features\":{\"" + "n".repeat(20_000) + "\":1}}")
                .isOk());
    }

    @Test
    void aDeadLetterKeepsABoundedPayloadWithItsLengthAndHash() throws Exception {
        EventParser bounded =
                new EventParser(MODELS, new InputLimits(1_000_000, 1e30, 1000, 0, 16_384, 64), "in", () -> NOW);
        String payload = "\u0001\u00ff".repeat(250_000); // 500,000 chars of binary-looking text, 750,000 UTF-8 bytes
        DeadLetter d = bounded.parseLabeled(payload).deadLetter();
        assertEquals("not-json", d.reason);
        assertEquals(payload.substring(0, 64), d.payload);
        assertEquals(750_000, d.payloadBytes);
        assertEquals(
                HexFormat.of()
                        .formatHex(
                                MessageDigest.getInstance("SHA-256").digest(payload.getBytes(StandardCharsets.UTF_8))),
                d.payloadSha256);
        assertTrue(d.detail.length() <= 1000, "the detail is bounded too");
        DeadLetter small = bounded.parseLabeled("{}").deadLetter();
        assertEquals("{}", small.payload);
        assertEquals(2, small.payloadBytes);
        assertEquals(null, small.payloadSha256, "not cut: no hash needed");
    }

    @Test
    void aRecordThatIsNotTextIsDeadLetteredWithTheLengthAndHashOfItsBytes() throws Exception {
        EventParser bounded =
                new EventParser(MODELS, new InputLimits(1_000_000, 1e30, 1000, 0, 16_384, 64), "in", () -> NOW);
        byte[] raw = new byte[512_000];
        new java.util.Random(3).nextBytes(raw);
        DeadLetter d = bounded.deadLetterOfBytes(DeadLetterReason.NOT_UTF8, "not UTF-8", raw);
        assertEquals(512_000, d.payloadBytes, "the bytes as they came, not the decoded text's UTF-8");
        assertEquals(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw)), d.payloadSha256);
        assertEquals(64, d.payload.length());
        DeadLetter shortOne =
                bounded.deadLetterOfBytes(DeadLetterReason.NOT_UTF8, "not UTF-8", new byte[] {(byte) 0xff});
        assertEquals(1, shortOne.payloadBytes);
        assertEquals(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(new byte[] {(byte) 0xff})),
                shortOne.payloadSha256,
                "a record that is not text has its hash even when its payload is whole: the text is not the record");
    }

    @Test
    void aLabeledEventMaySayItsFeaturesAreThoseItWasServedWith() {
        String event = "{\"model\":\"ctr\",\"label\":1,\"features\":{\"site\":\"a\"}";
        assertTrue(parser.parseLabeled(event + ",\"featuresAsServed\":true}").value().featuresAsServed);
        assertFalse(parser.parseLabeled(event + "}").value().featuresAsServed);
        DeadLetter d = parser.parseLabeled(event + ",\"featuresAsServed\":1}").deadLetter();
        assertEquals("bad-field", d.reason);
        assertEquals("featuresAsServed must be true or false", d.detail);
    }
}
