package dev.streamlearn.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.DeadLetterReason;
import dev.streamlearn.records.Explanation;
import dev.streamlearn.records.Forecast;
import dev.streamlearn.records.Prediction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The output topics' records, byte for byte as the README documents them and as consumers parse them. */
class JsonTest {

    @Test
    void aPredictionIsWrittenAsTheReadmeShowsIt() {
        assertEquals(
                "{\"id\":\"r1\",\"model\":\"ctr\",\"modelVersion\":57,\"score\":0.031,\"ts\":1700000000000}",
                text(Json.prediction(new Prediction("r1", "ctr", 57, 0.031, 1700000000000L))));
    }

    @Test
    void aNumericIdComesBackAsTheNumberItWas() {
        Prediction p = new Prediction("777000111", "ctr", 57, 0.031, 1700000000000L);
        p.idIsNumber = true;
        assertEquals(
                "{\"id\":777000111,\"model\":\"ctr\",\"modelVersion\":57,\"score\":0.031,\"ts\":1700000000000}",
                text(Json.prediction(p)));
    }

    @Test
    void stringsAreEscapedAndNumbersKeepTheirDoubleForm() {
        assertEquals(
                "{\"id\":\"a\\\"b\\\\c\\u0001\u00e9\\uD83D\\uDE00\",\"model\":\"ctr\",\"modelVersion\":0,"
                        + "\"score\":1.0E-10,\"ts\":-1}",
                text(Json.prediction(new Prediction("a\"b\\c\u0001\u00e9\uD83D\uDE00", "ctr", 0, 1e-10, -1))));
        assertEquals(
                "{\"id\":null,\"model\":\"ctr\",\"modelVersion\":1,\"score\":0.5,\"ts\":2}",
                text(Json.prediction(new Prediction(null, "ctr", 1, 0.5, 2))));
    }

    @Test
    void anIdReadsBackAsItCameEvenWithALoneSurrogate() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        for (String id : new String[] {"x\uD800y", "x\uDC00y", "x\uD800", "a\uD83D\uDE00b", "\u00e9\u4e2d"}) {
            String json = text(Json.prediction(new Prediction(id, "ctr", 1, 0.5, 2)));
            assertEquals(id, mapper.readTree(json).path("id").textValue(), json);
        }
    }

    @Test
    void everyScoreReadsBackToTheSameDouble() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            double score =
                    switch (i % 4) {
                        case 0 -> random.nextDouble(); // a probability
                        case 1 -> random.nextGaussian() * 1e4; // a regression's value
                        case 2 -> Double.longBitsToDouble(random.nextLong() & Long.MAX_VALUE); // any finite or not
                        default -> Math.scalb(random.nextDouble(), -1060); // subnormal
                    };
            if (!Double.isFinite(score)) {
                continue; // never served: a non-finite score goes to the dead letters
            }
            String json = text(Json.prediction(new Prediction("r", "m", 1, score, 0)));
            assertEquals(score, mapper.readTree(json).path("score").doubleValue(), json);
        }
    }

    @Test
    void theCommonPredictionIsWrittenStraightIntoTheBytesTheGeneratorWrites() {
        Random random = new Random(11);
        String[] ids = {
            "r1", "777000111", "-1.5e3", "a b~{}", "a\"b", "c\\d", "tab\t", "\u00e9", "x\uD800", "\uD83D\uDE00"
        };
        String[] models = {"ctr", "bike", "m\"", "\u4e2d"};
        long[] longs = {0, 1, -1, 57, 1700000000000L, Long.MAX_VALUE, Long.MIN_VALUE};
        int common = 0;
        for (int i = 0; i < 20_000; i++) {
            double score =
                    switch (i % 5) {
                        case 0 -> random.nextDouble();
                        case 1 -> random.nextGaussian() * 1e6;
                        case 2 -> Double.longBitsToDouble(random.nextLong()); // any, also NaN and infinite
                        case 3 -> Math.scalb(random.nextDouble(), -1060);
                        default -> (double) random.nextInt(3);
                    };
            String id = ids[random.nextInt(ids.length)];
            Prediction p = new Prediction(
                    id,
                    models[random.nextInt(models.length)],
                    longs[random.nextInt(longs.length)],
                    score,
                    longs[random.nextInt(longs.length)]);
            p.idIsNumber = Character.isDigit(id.charAt(0)) || id.charAt(0) == '-';
            byte[] straight = Json.prediction(p);
            assertEquals(text(Json.predictionWithGenerator(p)), text(straight));
            common += PredictionBytes.of(p) != null ? 1 : 0;
        }
        assertTrue(common > 3_000, common + " of 20,000 written straight"); // about a fifth are the common kind
    }

    @Test
    void anExplanationListsTheFeaturesByTheirContributionLargestFirst() {
        Prediction p = new Prediction("r2", "ctr", 3, 0.25, 9);
        Explanation e = new Explanation();
        e.bias = -3.0;
        e.names = new String[] {"user.rate_1h", "site=a.com"};
        e.raw = new double[] {0.125, Double.NaN};
        e.values = new double[] {2.0, 1.0};
        e.weights = new double[] {0.25, -0.75};
        e.contributions = new double[] {0.5, -0.75};
        p.explanation = e;
        assertEquals(
                "{\"id\":\"r2\",\"model\":\"ctr\",\"modelVersion\":3,\"score\":0.25,\"ts\":9,\"explanation\":{"
                        + "\"bias\":-3.0,\"margin\":-3.25,\"features\":["
                        + "{\"name\":\"site=a.com\",\"value\":1.0,\"weight\":-0.75,\"contribution\":-0.75},"
                        + "{\"name\":\"user.rate_1h\",\"raw\":0.125,\"value\":2.0,\"weight\":0.25,\"contribution\":0.5}"
                        + "]}}",
                text(Json.prediction(p)));
    }

    @Test
    void aForecastADeadLetterAndModelLogLines() {
        assertEquals(
                "{\"series\":\"PJME\",\"ts\":1041382800000,\"forecast\":25985.25,\"model\":\"load\",\"modelVersion\":57}",
                text(Json.forecast(new Forecast("PJME", 1041382800000L, 25985.25, "load", 57))));
        assertEquals(
                "{\"reason\":\"not-json\",\"detail\":\"no \\\"value\\\"\",\"topic\":\"labeled\",\"payload\":\"{x\","
                        + "\"payloadBytes\":2}",
                text(Json.deadLetter(new DeadLetter(DeadLetterReason.NOT_JSON, "no \"value\"", "labeled", "{x", 100))));
        assertEquals(
                "{\"reason\":\"too-large\",\"detail\":\"big\",\"topic\":\"labeled\",\"payload\":\"ab\","
                        + "\"payloadBytes\":4,"
                        + "\"payloadSha256\":\"88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589\"}",
                text(Json.deadLetter(new DeadLetter(DeadLetterReason.TOO_LARGE, "big", "labeled", "abcd", 2))));
        assertEquals(
                "{\"event\":\"rejected\",\"model\":\"ctr\",\"version\":5,\"reason\":\"why\",\"ts\":7}",
                text(Json.modelLog(ModelLogEntry.rejected("ctr", 5, "why", 7))));
        DeadLetter badCommand = new DeadLetter(DeadLetterReason.UNKNOWN_OP, "op 'x'", "control", "{}", 100);
        badCommand.modelId = "ctr";
        badCommand.recordId = "c-1";
        ModelLogEntry answer = Json.rejectedCommand(badCommand);
        answer.ts = 7;
        assertEquals(
                "{\"event\":\"rejected\",\"model\":\"ctr\",\"version\":-1,\"reason\":\"unknown-op: op 'x'\","
                        + "\"command\":\"c-1\",\"ts\":7}",
                text(Json.modelLog(answer)));
        ModelLogEntry stored = ModelLogEntry.note(ModelLogEntry.Event.STORED, "ctr", 5, 0, null, 7);
        stored.parentVersion = 4;
        stored.path = "/m/ctr/v5.model";
        stored.examplesTrained = 500;
        stored.metricNames = new String[] {MetricNames.AUC, MetricNames.LOG_LOSS};
        stored.metricValues = new double[] {0.75, Double.NaN};
        assertEquals(
                "{\"event\":\"stored\",\"model\":\"ctr\",\"version\":5,\"parentVersion\":4,"
                        + "\"path\":\"/m/ctr/v5.model\",\"examplesTrained\":500,\"ts\":7,\"metrics\":{\"auc\":0.75}}",
                text(Json.modelLog(stored)));
    }

    /** What a consumer of the topic reads: the record's UTF-8 bytes as text. */
    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }
}
