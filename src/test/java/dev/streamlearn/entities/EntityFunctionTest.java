package dev.streamlearn.entities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Features;
import dev.streamlearn.records.PredictionRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The entity operator of the first entity field (user), in Flink's operator harness on RocksDB. */
class EntityFunctionTest {

    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_700_000_000_000L;
    private static final int MAX_PARALLELISM = 128;
    private static final ModelSpec CTR = ModelSpec.builder("ctr")
            .set(ModelOptions.HASH_BITS, 18)
            .set(ModelOptions.ENTITIES, List.of("user", "item"))
            .set(ModelOptions.ENTITY_HALF_LIVES, List.of(HOUR))
            .set(ModelOptions.ENTITY_PRIOR_STRENGTH, 10.0)
            .build();
    private static final ModelSpec PLAIN =
            ModelSpec.builder("plain").set(ModelOptions.HASH_BITS, 18).build();
    private static final Map<String, ModelSpec> MODELS = Map.of("ctr", CTR, "plain", PLAIN);
    private static final FeatureHasher HASHER = new FeatureHasher(18);
    private static final int EVENTS = HASHER.numericIndex("user.events_1h");
    private static final int RATE = HASHER.numericIndex("user.rate_1h");

    private static KeyedTwoInputStreamOperatorTestHarness<String, Example, PredictionRequest, Example> harness(
            int parallelism, int subtask) throws Exception {
        var h = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new EntityFunction(MODELS, 0)),
                (Example e) -> EntityFunction.key(e.modelId, e.entities, 0, e.id, e.ts),
                (PredictionRequest r) -> EntityFunction.key(r.modelId, r.entities, 0, r.id, r.ts),
                Types.STRING,
                MAX_PARALLELISM,
                parallelism,
                subtask);
        h.setStateBackend(new EmbeddedRocksDBStateBackend(false));
        h.setup();
        return h;
    }

    private static Example clicked(String user, long ts, double label) {
        Example e =
                new Example("ctr", "e-" + ts, ts, label, 1.0, new Features(new int[] {5}, new int[0], new double[0]));
        e.entities = new String[] {user, "i1"};
        return e;
    }

    private static PredictionRequest request(String user, long ts) {
        PredictionRequest r =
                new PredictionRequest("r-" + ts, "ctr", ts, new Features(new int[] {5}, new int[0], new double[0]));
        r.entities = new String[] {user, "i1"};
        return r;
    }

    /** The value of numeric coordinate {@code coordinate} in the features. */
    private static double value(Features f, int coordinate) {
        for (int k = 0; k < f.numeric.length; k++) {
            if (f.numeric[k] == coordinate) {
                return f.numericValues[k];
            }
        }
        throw new AssertionError("no numeric feature " + coordinate);
    }

    private static long entitiesInState(
            KeyedTwoInputStreamOperatorTestHarness<String, Example, PredictionRequest, Example> h) {
        try (var keys =
                h.getOperator().getKeyedStateBackend().getKeys(EntityFunction.STATS_STATE, VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    private static List<Example> examples(
            KeyedTwoInputStreamOperatorTestHarness<String, Example, PredictionRequest, Example> h) {
        List<Example> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r) {
                out.add((Example) r.getValue());
            }
        }
        return out;
    }

    private static List<PredictionRequest> requests(
            KeyedTwoInputStreamOperatorTestHarness<String, Example, PredictionRequest, Example> h) {
        List<PredictionRequest> out = new ArrayList<>();
        h.getSideOutput(EntityFunction.REQUESTS).forEach(r -> out.add(r.getValue()));
        return out;
    }

    @Test
    void aLabelReachesTheEntitysLaterEventsAndRequestsButNeverItsOwnFeatures() throws Exception {
        try (var h = harness(1, 0)) {
            h.open();
            h.processElement1(new StreamRecord<>(clicked("u1", T0, 1)));
            h.processElement2(new StreamRecord<>(request("u1", T0 + 1)));
            h.processElement2(new StreamRecord<>(request("u1", T0 + 2)));
            h.processElement1(new StreamRecord<>(clicked("u1", T0 + 3, 0)));
            h.processElement1(new StreamRecord<>(clicked("u2", T0 + 4, 0)));

            List<Example> out = examples(h);
            assertEquals(0.0, value(out.get(0).features, EVENTS), "no history: no events");
            assertEquals(0.0, value(out.get(0).features, RATE), 1e-12, "and the prior, before any label: 0");
            assertEquals(Math.log1p(1), value(out.get(1).features, EVENTS), 1e-6, "requests counted nothing");
            // its label 1 and the prior (the mean label so far, 1) ten times: (1 + 10) / (1 + 10)
            assertEquals(1.0, value(out.get(1).features, RATE), 1e-6);
            assertEquals(0.0, value(out.get(2).features, EVENTS), "another user has its own state");
            // the prior is the mean of the labels before: (1 + 0) / 2
            assertEquals(0.5, value(out.get(2).features, RATE), 1e-12);
            for (PredictionRequest r : requests(h)) {
                assertEquals(Math.log1p(1), value(r.features, EVENTS), 1e-6);
            }
            assertEquals(2, entitiesInState(h), "one state per entity, none per request");
        }
    }

    @Test
    void eventsWithoutTheEntityGetNeutralValuesAndOtherModelsPassUnchanged() throws Exception {
        try (var h = harness(1, 0)) {
            h.open();
            Example noUser = clicked(null, T0, 1);
            h.processElement1(new StreamRecord<>(noUser));
            Example other = new Example("plain", "p", T0, 1, 1, new Features(new int[] {5}, new int[0], new double[0]));
            h.processElement1(new StreamRecord<>(other));

            List<Example> out = examples(h);
            assertEquals(0.0, value(out.get(0).features, EVENTS));
            assertEquals(3, out.get(0).features.numeric.length, "events, rate, since last: one half-life");
            assertArrayEquals(new int[0], out.get(1).features.numeric, "a model without entities: as it came");
            assertEquals(0, entitiesInState(h), "nobody's label was counted");
        }
    }

    @Test
    void anIdleEntityLeavesTheStateAfterTenHalfLives() throws Exception {
        try (var h = harness(1, 0)) {
            h.open();
            h.setStateTtlProcessingTime(0);
            h.processElement1(new StreamRecord<>(clicked("u1", T0, 1)));
            h.setStateTtlProcessingTime(EntityFunction.KEPT_HALF_LIVES * HOUR - 1);
            h.processElement2(new StreamRecord<>(request("u1", T0 + 1)));
            h.setStateTtlProcessingTime(EntityFunction.KEPT_HALF_LIVES * HOUR + 1);
            h.processElement2(new StreamRecord<>(request("u1", T0 + 2)));

            List<PredictionRequest> out = requests(h);
            assertEquals(Math.log1p(1), value(out.get(0).features, EVENTS), 1e-6, "still kept");
            assertEquals(0.0, value(out.get(1).features, EVENTS), "expired: a new entity again");
        }
    }

    @Test
    void entityStateAndThePriorSurviveARestoreAndARescaleFromTwoToThree() throws Exception {
        List<String> users = List.of("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8");
        OperatorSubtaskState[] before = new OperatorSubtaskState[2];
        for (int subtask = 0; subtask < 2; subtask++) {
            try (var h = harness(2, subtask)) {
                h.open();
                long ts = T0;
                for (String user : users) {
                    String key = EntityFunction.key("ctr", new String[] {user}, 0, null, 0);
                    if (KeyGroupRangeAssignment.assignKeyToParallelOperator(key, MAX_PARALLELISM, 2) == subtask) {
                        int clicks = Integer.parseInt(user.substring(1)); // u3: three labeled events
                        for (int i = 0; i < clicks; i++) {
                            h.processElement1(new StreamRecord<>(clicked(user, ts++, 1)));
                        }
                    }
                }
                before[subtask] = h.snapshot(1, 1);
            }
        }
        OperatorSubtaskState whole = AbstractStreamOperatorTestHarness.repackageState(before);
        int found = 0;
        for (int subtask = 0; subtask < 3; subtask++) {
            try (var h = harness(3, subtask)) {
                h.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(
                        whole, MAX_PARALLELISM, 2, 3, subtask));
                h.open();
                for (String user : users) {
                    String key = EntityFunction.key("ctr", new String[] {user}, 0, null, 0);
                    if (KeyGroupRangeAssignment.assignKeyToParallelOperator(key, MAX_PARALLELISM, 3) == subtask) {
                        h.processElement2(new StreamRecord<>(request(user, T0 + 100)));
                    }
                }
                for (PredictionRequest r : requests(h)) {
                    int clicks = Integer.parseInt(r.entities[0].substring(1));
                    // every label was 1, so decayed by 100 ms of an hour's half-life, not at all
                    assertEquals(Math.log1p(clicks), value(r.features, EVENTS), 1e-4, r.entities[0]);
                    found++;
                }
                // a new user: the prior came back with the state (every label so far was 1), on every subtask
                Example fresh = clicked(userOwnedBy(subtask, 3), T0 + 200, 0);
                h.processElement1(new StreamRecord<>(fresh));
                assertEquals(1.0, value(examples(h).get(0).features, RATE), 1e-12);
            }
        }
        assertEquals(users.size(), found, "each user's state on the subtask that owns it after the rescale");
    }

    private static String userOwnedBy(int subtask, int parallelism) {
        for (int i = 0; ; i++) {
            String key = EntityFunction.key("ctr", new String[] {"new-" + i}, 0, null, 0);
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(key, MAX_PARALLELISM, parallelism) == subtask) {
                return "new-" + i;
            }
        }
    }

    @Test
    void namesOfTheFeaturesAreTheModelsFieldsAndHalfLives() {
        assertArrayEquals(
                new String[] {"user.events_1h", "user.rate_1h", "user.since_last"},
                EntityEnrichment.of(CTR).field(0).names());
    }
}
