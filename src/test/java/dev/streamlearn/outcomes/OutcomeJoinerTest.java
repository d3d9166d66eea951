package dev.streamlearn.outcomes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.Impression;
import dev.streamlearn.records.Outcome;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The joiner in Flink's operator harness: event time moved by hand, state counted, snapshots restored. */
class OutcomeJoinerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WINDOW = 60_000;
    private static final long T0 = 1_700_000_000_000L;
    private static final Map<String, ModelSpec> MODELS = Map.of(
            "ctr", ModelSpec.builder("ctr").build(),
            "revenue",
                    ModelSpec.builder("revenue")
                            .set(ModelOptions.LOSS, Loss.SQUARED)
                            .build());

    /** Positives released at once: each step of the join is visible as it happens. */
    private static KeyedTwoInputStreamOperatorTestHarness<String, Impression, Outcome, String> harness()
            throws Exception {
        return harness(AttributionWindow.Release.OUTCOME);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, Impression, Outcome, String> harness(
            AttributionWindow.Release release) throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<String, Impression, Outcome, String> h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new OutcomeJoiner(
                                MODELS, new AttributionWindow(WINDOW, 0, 1000, release), "requests", "outcomes", 4096)),
                        i -> i.id,
                        o -> o.id,
                        Types.STRING);
        h.setup();
        return h;
    }

    private static Impression impression(String id, long ts, double score) {
        return impression("ctr", id, ts, score);
    }

    private static Impression impression(String model, String id, long ts, double score) {
        String payload = "{\"id\":\"" + id + "\",\"ts\":" + ts + ",\"model\":\"" + model
                + "\",\"log\":true,\"features\":{\"site\":\"a.com\",\"price\":2.5}}";
        return new Impression(id, model, ts, score, 7, payload);
    }

    private static Outcome outcome(String id, long ts, double label) {
        return new Outcome(id, ts, label, "{\"id\":\"" + id + "\",\"ts\":" + ts + ",\"label\":" + label + "}");
    }

    private static void impressionIn(
            KeyedTwoInputStreamOperatorTestHarness<String, Impression, Outcome, String> h, Impression i)
            throws Exception {
        h.processElement1(new StreamRecord<>(i, i.ts));
    }

    private static void outcomeIn(
            KeyedTwoInputStreamOperatorTestHarness<String, Impression, Outcome, String> h, Outcome o) throws Exception {
        h.processElement2(new StreamRecord<>(o, o.ts));
    }

    private static List<JsonNode> joined(KeyedTwoInputStreamOperatorTestHarness<String, Impression, Outcome, String> h)
            throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (String s : h.extractOutputValues()) {
            out.add(JSON.readTree(s));
        }
        return out;
    }

    private static List<DeadLetter> deadLetters(
            KeyedTwoInputStreamOperatorTestHarness<String, Impression, Outcome, String> h) {
        return h.getSideOutput(OutcomeJoiner.DEAD_LETTERS) == null
                ? List.of()
                : h.getSideOutput(OutcomeJoiner.DEAD_LETTERS).stream()
                        .map(r -> r.getValue())
                        .toList();
    }

    @Test
    void anOutcomeWithinTheWindowMakesAPositiveAtOnceWithTheServedScore() throws Exception {
        try (var h = harness()) {
            h.open();
            impressionIn(h, impression("r1", T0, 0.031));
            outcomeIn(h, outcome("r1", T0 + 20_000, 1));
            List<JsonNode> out = joined(h);
            assertEquals(1, out.size(), "joined before any watermark");
            JsonNode e = out.get(0);
            assertEquals("r1", e.get("id").asText());
            assertEquals("ctr", e.get("model").asText());
            assertEquals(T0, e.get("ts").asLong(), "the impression's time: its features are of then");
            assertEquals(1.0, e.get("label").asDouble());
            assertEquals(0.031, e.get(JoinedEvent.SERVED_SCORE).asDouble());
            assertEquals(7, e.get(JoinedEvent.SERVED_VERSION).asLong());
            assertEquals("a.com", e.get("features").get("site").asText());
            assertFalse(e.has("log"));
        }
    }

    @Test
    void byDefaultAPositiveWaitsForItsWindowsEndLikeTheNegativesOfItsTime() throws Exception {
        try (var h = harness(AttributionWindow.Release.WINDOW_END)) {
            h.open();
            impressionIn(h, impression("r1", T0, 0.3));
            impressionIn(h, impression("r2", T0 + 1, 0.2));
            outcomeIn(h, outcome("r2", T0 + 20_000, 1));
            outcomeIn(h, outcome("r2", T0 + 21_000, 1)); // a repeat while it waits
            assertTrue(joined(h).isEmpty(), "nothing is released before the windows close");
            h.processBothWatermarks(new Watermark(T0 + WINDOW + 1));
            List<JsonNode> out = joined(h);
            assertEquals(
                    List.of("r1", "r2"),
                    out.stream().map(e -> e.get("id").asText()).toList(),
                    "in time order");
            assertEquals(
                    List.of(0.0, 1.0),
                    out.stream().map(e -> e.get("label").asDouble()).toList());
            outcomeIn(h, outcome("r2", T0 + WINDOW + 2, 1));
            assertTrue(deadLetters(h).isEmpty(), "repeats of a joined outcome are counted, not dead-lettered");
            h.processBothWatermarks(new Watermark(T0 + 3 * WINDOW));
            assertEquals(2, joined(h).size());
            assertEquals(0, h.numKeyedStateEntries());
        }
    }

    @Test
    void noOutcomeByTheWindowsEndMakesANegativeAndThenNothingIsLeft() throws Exception {
        try (var h = harness()) {
            h.open();
            impressionIn(h, impression("r1", T0, 0.2));
            h.processBothWatermarks(new Watermark(T0 + WINDOW - 1));
            assertTrue(joined(h).isEmpty(), "the window is still open");
            h.processBothWatermarks(new Watermark(T0 + WINDOW));
            List<JsonNode> out = joined(h);
            assertEquals(1, out.size());
            assertEquals(0.0, out.get(0).get("label").asDouble());
            assertEquals(0.2, out.get(0).get(JoinedEvent.SERVED_SCORE).asDouble());
            assertEquals(1, h.numKeyedStateEntries(), "only the closed marker, for late outcomes");
            h.processBothWatermarks(new Watermark(T0 + 2 * WINDOW));
            assertEquals(0, h.numKeyedStateEntries(), "nothing of the impression is left a window later");
            assertEquals(1, joined(h).size());
        }
    }

    @Test
    void aLateOutcomeIsDeadLetteredAndTheImpressionStaysOneNegative() throws Exception {
        try (var h = harness()) {
            h.open();
            impressionIn(h, impression("r1", T0, 0.2));
            impressionIn(h, impression("r2", T0, 0.2));
            // r1: stamped after its window, though event time has not closed it yet
            outcomeIn(h, outcome("r1", T0 + WINDOW + 1, 1));
            h.processBothWatermarks(new Watermark(T0 + WINDOW));
            // r2: after its window has closed
            outcomeIn(h, outcome("r2", T0 + WINDOW + 5, 1));
            List<JsonNode> out = joined(h);
            assertEquals(2, out.size());
            assertTrue(out.stream().allMatch(e -> e.get("label").asDouble() == 0.0), "both negatives");
            List<DeadLetter> dead = deadLetters(h);
            assertEquals(
                    List.of("outcome-late", "outcome-late"),
                    dead.stream().map(d -> d.reason).toList());
            assertEquals("outcomes", dead.get(0).topic);
        }
    }

    @Test
    void anOutcomeForNoImpressionWaitsAWindowForItThenIsUnknown() throws Exception {
        try (var h = harness()) {
            h.open();
            outcomeIn(h, outcome("nobody", T0 + 10, 1));
            outcomeIn(h, outcome("slow", T0 + 10, 1));
            // their impressions may be on their way: the outcomes wait, also after event time passed them
            h.processBothWatermarks(new Watermark(T0 + WINDOW));
            assertTrue(deadLetters(h).isEmpty());
            impressionIn(h, impression("slow", T0 + 5, 0.4)); // behind event time: still joined
            assertEquals(
                    List.of("slow"),
                    joined(h).stream().map(e -> e.get("id").asText()).toList());
            impressionIn(h, impression("early", T0, 0.4));
            outcomeIn(h, outcome("early2", T0 + 20, 1));
            impressionIn(h, impression("early2", T0 + 5, 0.4)); // came after its outcome: joined then
            assertEquals(2, joined(h).size());
            assertEquals("early2", joined(h).get(1).get("id").asText());
            h.processBothWatermarks(new Watermark(T0 + 10 + WINDOW));
            List<DeadLetter> dead = deadLetters(h);
            assertEquals(1, dead.size());
            assertEquals("outcome-unknown", dead.get(0).reason);
            assertTrue(dead.get(0).payload.contains("nobody"));
        }
    }

    @Test
    void duplicatesAreCountedNeverLearntTwice() throws Exception {
        try (var h = harness()) {
            h.open();
            impressionIn(h, impression("r1", T0, 0.2));
            impressionIn(h, impression("r1", T0 + 1, 0.3));
            outcomeIn(h, outcome("r1", T0 + 5, 1));
            outcomeIn(h, outcome("r1", T0 + 6, 1));
            h.processBothWatermarks(new Watermark(T0 + 3 * WINDOW));
            assertEquals(1, joined(h).size(), "one example for the impression");
            assertEquals(
                    List.of("duplicate-impression"),
                    deadLetters(h).stream().map(d -> d.reason).toList(),
                    "the second impression with the id is refused; the second outcome only counted");
            assertEquals(0, h.numKeyedStateEntries());
        }
    }

    @Test
    void aLabelTheModelCannotLearnIsRefusedAndTheImpressionWaitsOn() throws Exception {
        try (var h = harness()) {
            h.open();
            impressionIn(h, impression("r1", T0, 0.2));
            impressionIn(h, impression("revenue", "r2", T0, 3.5));
            outcomeIn(h, outcome("r1", T0 + 5, 7)); // not 0/1 for a click model
            outcomeIn(h, outcome("r2", T0 + 5, 12.5)); // any value for squared loss
            assertEquals(
                    List.of("bad-label"),
                    deadLetters(h).stream().map(d -> d.reason).toList());
            outcomeIn(h, outcome("r1", T0 + 6, 1));
            List<JsonNode> out = joined(h);
            assertEquals(2, out.size());
            assertEquals(12.5, out.get(0).get("label").asDouble());
            assertEquals(1.0, out.get(1).get("label").asDouble());
        }
    }

    /** Keyed state as the job keeps it: in RocksDB, snapshotted in full. */
    @Test
    void pendingStateIsAFewHundredBytesPerImpressionAndNoneWhenTheWindowsHaveClosed() throws Exception {
        int pending = 10_000;
        try (var h = harness(AttributionWindow.Release.WINDOW_END)) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend(false));
            h.open();
            long empty = keyedBytes(h.snapshot(1, 1));
            String features = null;
            for (int i = 0; i < pending; i++) {
                Impression impression = impression("request-" + i, T0 + i, 0.05);
                features = impression.payload;
                impressionIn(h, impression);
            }
            long full = keyedBytes(h.snapshot(2, 2));
            double perImpression = (double) (full - empty) / pending;
            h.processBothWatermarks(new Watermark(T0 + pending + 3 * WINDOW));
            long after = keyedBytes(h.snapshot(3, 3));
            System.out.printf(
                    "joiner state in a RocksDB snapshot: %.0f bytes per pending impression (request JSON %d bytes);"
                            + " %d bytes with none pending, %d bytes after every window closed%n",
                    perImpression, features.length(), empty, after);
            assertEquals(pending, joined(h).size());
            assertEquals(0, h.numKeyedStateEntries());
            assertTrue(
                    perImpression < 2 * features.length() + 200,
                    "the request, its score and version, a timer: " + perImpression + " bytes");
            assertTrue(after < empty + 0.01 * (full - empty), "nothing left: " + after + " bytes");
        }
    }

    private static long keyedBytes(OperatorSubtaskState snapshot) {
        return snapshot.getManagedKeyedState().stream()
                .mapToLong(s -> s.getStateSize())
                .sum();
    }

    @Test
    void aRestoredJoinerNeitherLosesNorRepeatsPendingImpressions() throws Exception {
        restoreKeepsEveryImpressionOnce(AttributionWindow.Release.OUTCOME);
        restoreKeepsEveryImpressionOnce(AttributionWindow.Release.WINDOW_END);
    }

    private static void restoreKeepsEveryImpressionOnce(AttributionWindow.Release release) throws Exception {
        boolean atOnce = release == AttributionWindow.Release.OUTCOME;
        OperatorSubtaskState snapshot;
        try (var h = harness(release)) {
            h.open();
            for (int i = 0; i < 10; i++) {
                impressionIn(h, impression("r" + i, T0 + i, 0.1));
            }
            outcomeIn(h, outcome("r0", T0 + 100, 1)); // joined before the snapshot
            snapshot = h.snapshot(1, 1);
            assertEquals(atOnce ? 1 : 0, joined(h).size());
        }
        try (var h = harness(release)) {
            h.initializeState(snapshot);
            h.open();
            outcomeIn(h, outcome("r0", T0 + 200, 1)); // a repeat of the joined one
            outcomeIn(h, outcome("r1", T0 + 200, 1));
            outcomeIn(h, outcome("r2", T0 + 200, 1));
            h.processBothWatermarks(new Watermark(T0 + 3 * WINDOW));
            List<JsonNode> out = joined(h);
            int released = atOnce ? 9 : 10; // r0 was released before the snapshot, or waits in it
            assertEquals(released, out.size(), "those pending at the snapshot, once each");
            assertEquals(
                    atOnce ? 2 : 3,
                    out.stream().filter(e -> e.get("label").asDouble() == 1.0).count());
            assertEquals(
                    released,
                    out.stream().map(e -> e.get("id").asText()).distinct().count());
            assertEquals(0, h.numKeyedStateEntries());
            assertTrue(deadLetters(h).isEmpty(), "a repeated outcome is counted, not dead-lettered");
        }
    }
}
