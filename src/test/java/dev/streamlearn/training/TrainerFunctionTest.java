package dev.streamlearn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.records.ControlCommand;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Features;
import dev.streamlearn.testing.FlippingExamples;
import dev.streamlearn.testing.Specs;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateObject;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerFunctionTest {

    @TempDir
    java.nio.file.Path storeDir;

    private static KeyedTwoInputStreamOperatorTestHarness<String, Example, ControlCommand, ModelUpdate> harness(
            ModelSpec spec) throws Exception {
        return harness(spec, null);
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, Example, ControlCommand, ModelUpdate> harness(
            ModelSpec spec, ModelStore store) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new TrainerFunction(Map.of(spec.id, spec), store, "labeled", 4096)),
                e -> e.modelId,
                c -> c.modelId,
                Types.STRING);
    }

    private static Example example(int i) {
        return new Example("m", "e" + i, i, i % 3 == 0 ? 1 : 0, 1.0, Features.categorical(i % 7));
    }

    private static List<Long> versions(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, ModelUpdate> h) {
        return h.extractOutputValues().stream().map(u -> u.version).collect(Collectors.toList());
    }

    @Test
    void closesBatchesBySizeAndNumbersVersionsFromOne() throws Exception {
        try (var h = harness(Specs.logistic("m", 3, 10_000))) {
            h.open();
            for (int i = 0; i < 10; i++) {
                h.processElement1(example(i), i);
            }
            assertEquals(List.of(1L, 2L, 3L), versions(h), "10 examples in batches of 3: 3 batches, 1 left open");
            List<ModelUpdate> updates = h.extractOutputValues();
            assertTrue(updates.get(0).full);
            assertFalse(updates.get(1).full);
            assertEquals(1L, updates.get(1).baseVersion);
        }
    }

    @Test
    void closesBatchesByTime() throws Exception {
        try (var h = harness(Specs.logistic("m", 100, 50))) {
            h.open();
            h.setProcessingTime(1000);
            h.processElement1(example(1), 1);
            h.setProcessingTime(1030);
            h.processElement1(example(2), 2);
            h.setProcessingTime(1049);
            assertEquals(List.of(), versions(h));
            h.setProcessingTime(1050);
            assertEquals(List.of(1L), versions(h), "closed 50 ms after its first example");
            assertEquals(1030, h.extractOutputValues().get(0).newestExampleMillis);
            h.setProcessingTime(2000);
            assertEquals(List.of(1L), versions(h), "no examples, no version");
        }
    }

    @Test
    void aBatchOpenedWhileAnEarlierTimerIsPendingStillClosesAtItsOwnDeadline() throws Exception {
        try (var h = harness(Specs.logistic("m", 3, 50))) {
            h.open();
            h.setProcessingTime(1000);
            for (int i = 0; i < 3; i++) {
                h.processElement1(example(i), i); // closes by size; its timer at 1050 stays pending
            }
            assertEquals(List.of(1L), versions(h));
            h.setProcessingTime(1020);
            h.processElement1(example(3), 3); // due at 1070: no timer of its own yet, 1050 will ask for one
            h.setProcessingTime(1050);
            assertEquals(List.of(1L), versions(h), "the earlier timer fired before the batch was due");
            h.setProcessingTime(1069);
            assertEquals(List.of(1L), versions(h));
            h.setProcessingTime(1070);
            assertEquals(List.of(1L, 2L), versions(h), "closed 50 ms after its first example");
            for (int i = 4; i < 304; i++) {
                h.processElement1(example(i), i);
            }
            assertEquals(102, versions(h).size());
            assertTrue(h.numProcessingTimeTimers() <= 3, "timers pending: " + h.numProcessingTimeTimers());
        }
    }

    @Test
    void frozenModelMakesNoVersionsUntilResumed() throws Exception {
        try (var h = harness(Specs.logistic("m", 1, 10_000))) {
            h.open();
            h.processElement1(example(1), 1);
            h.processElement2(new ControlCommand(ControlCommand.Op.FREEZE, "m"), 2);
            h.processElement1(example(2), 3);
            h.processElement1(example(3), 4);
            assertEquals(List.of(1L), versions(h));
            h.processElement2(new ControlCommand(ControlCommand.Op.RESUME, "m"), 5);
            h.processElement1(example(4), 6);
            assertEquals(List.of(1L, 2L), versions(h));
        }
    }

    @Test
    void rollsBackToARecentVersionAsTheNextVersionAndAnswersUnknownVersionsOnTheModelLog() throws Exception {
        // every version stored, 3 kept, no full update but the first
        ModelSpec spec = Specs.logistic("m", 2, 10_000).toBuilder()
                .set(ModelOptions.FULL_UPDATE_EVERY, 100)
                .build();
        try (var h = harness(spec)) {
            h.open();
            for (int i = 0; i < 8; i++) {
                h.processElement1(example(i), i);
            }
            assertEquals(List.of(1L, 2L, 3L, 4L), versions(h));
            List<ModelLogEntry> log = log(h);
            assertEquals(
                    List.of("stored", "stored", "stored", "stored"),
                    log.stream().map(e -> e.event.toString()).collect(Collectors.toList()));

            h.processElement2(new ControlCommand(ControlCommand.Op.ROLLBACK, "m", 3), 20);
            ModelUpdate rolledBack = h.extractOutputValues().get(4);
            assertEquals(5L, rolledBack.version, "a rollback makes the next version");
            assertTrue(rolledBack.full);
            ModelUpdate v3 = h.extractOutputValues().get(2);
            ModelUpdate v4 = h.extractOutputValues().get(3);
            // v3's weights: v3 was a delta on top of the full v1 and the delta v2; rebuild them
            double[] expected = new double[spec.dimension()];
            for (ModelUpdate u : h.extractOutputValues().subList(0, 3)) {
                if (u.full) {
                    Arrays.fill(expected, 0.0);
                }
                for (int k = 0; k < u.indices.length; k++) {
                    expected[u.indices[k]] = u.values[k];
                }
            }
            double[] served = new double[spec.dimension()];
            for (int k = 0; k < rolledBack.indices.length; k++) {
                served[rolledBack.indices[k]] = rolledBack.values[k];
            }
            assertArrayEquals(expected, served, 0.0, "exactly version 3's weights");
            assertTrue(v4.version > v3.version);
            ModelLogEntry entry = log(h).get(4);
            assertEquals("rollback", entry.event.toString());
            assertEquals(5L, entry.version);
            assertEquals(3L, entry.parentVersion);

            h.processElement2(new ControlCommand(ControlCommand.Op.ROLLBACK, "m", 1), 21); // no longer kept
            assertEquals(6, log(h).size());
            assertEquals("rejected", log(h).get(5).event.toString());
            assertTrue(log(h).get(5).reason.startsWith("version 1 is not kept"), log(h).get(5).reason);
            assertEquals(5, h.extractOutputValues().size(), "nothing changes");

            h.processElement1(example(8), 22);
            h.processElement1(example(9), 23);
            ModelUpdate next = h.extractOutputValues().get(5);
            assertEquals(6L, next.version, "training continues from the rolled-back version");
            assertEquals(5L, next.baseVersion);
        }
    }

    private static List<ModelLogEntry> log(
            KeyedTwoInputStreamOperatorTestHarness<String, Example, ControlCommand, ModelUpdate> h) {
        var lines = h.getSideOutput(TrainerFunction.MODEL_LOG);
        return lines == null ? List.of() : lines.stream().map(r -> r.getValue()).collect(Collectors.toList());
    }

    @Test
    void restoreContinuesTheVersionSequenceWithIdenticalWeights() throws Exception {
        ModelSpec spec = Specs.logistic("m", 4, 10_000);
        OperatorSubtaskState snapshot;
        List<ModelUpdate> uninterrupted;
        try (var h = harness(spec)) {
            h.open();
            for (int i = 0; i < 30; i++) {
                h.processElement1(example(i), i);
            }
            uninterrupted = h.extractOutputValues();
        }
        try (var before = harness(spec)) {
            before.open();
            for (int i = 0; i < 14; i++) { // 3 batches and 2 examples in the open one
                before.processElement1(example(i), i);
            }
            assertEquals(List.of(1L, 2L, 3L), versions(before));
            snapshot = before.snapshot(1L, 100L);
        }
        try (var after = harness(spec)) {
            after.initializeState(snapshot);
            after.open();
            for (int i = 14; i < 30; i++) {
                after.processElement1(example(i), i);
            }
            List<ModelUpdate> resumed = after.extractOutputValues();
            assertEquals(List.of(4L, 5L, 6L, 7L), versions(after));
            assertTrue(resumed.get(0).full, "first update after a restore is full");
            ModelUpdate lastResumed = resumed.get(resumed.size() - 1);
            ModelUpdate lastUninterrupted = uninterrupted.get(uninterrupted.size() - 1);
            assertEquals(lastUninterrupted.version, lastResumed.version);
            assertArrayEquals(lastUninterrupted.indices, lastResumed.indices);
            assertArrayEquals(lastUninterrupted.values, lastResumed.values, 0.0);
        }
    }

    /**
     * Versions served since the last stored one (the store keeps one per store.interval) are claimed
     * at each checkpoint: a job stopped with a savepoint before its store was due, then rolled back
     * to an older savepoint, continues after what it served, not after what was stored.
     */
    @Test
    void aRestoreOfAnOlderSnapshotContinuesAfterTheVersionsServedSinceTheLastStoredOne() throws Exception {
        ModelSpec spec = Specs.logistic("m", 4, 10_000).toBuilder()
                .set(ModelOptions.STORE_INTERVAL, 3_600_000L)
                .build();
        ModelStore store = new ModelStore(storeDir.toUri().toString());
        OperatorSubtaskState older;
        try (var stopped = harness(spec, store)) {
            stopped.open();
            for (int i = 0; i < 8; i++) {
                stopped.processElement1(example(i), i);
            }
            older = stopped.snapshot(1L, 100L);
            for (int i = 8; i < 16; i++) {
                stopped.processElement1(example(i), i);
            }
            assertEquals(List.of(1L, 2L, 3L, 4L), versions(stopped));
            stopped.snapshot(2L, 200L); // the savepoint it stops with, before the next store is due
        }
        assertEquals(4, store.newestClaimed("m"), "version 4 was served: claimed, though not stored");
        try (var rolledBack = harness(spec, store)) {
            rolledBack.initializeState(older);
            rolledBack.open();
            for (int i = 8; i < 16; i++) {
                rolledBack.processElement1(example(i), i);
            }
            List<Long> versions = versions(rolledBack);
            assertFalse(versions.isEmpty());
            assertTrue(versions.stream().allMatch(v -> v > 4), "no number served before is used again: " + versions);
        }
    }

    /** The promoted learner's weights are the version; a checkpoint right after it restores the same champion. */
    @Test
    void aPromotionIsAFullVersionAndACheckpointBeforeTheNextVersionRestoresTheSameChampion() throws Exception {
        ModelSpec spec = ChallengersTest.spec();
        FlippingExamples stream = new FlippingExamples(ChallengersTest.FLIP_AT);
        List<Example> examples =
                IntStream.range(0, 4000).mapToObj(i -> stream.next()).collect(Collectors.toList());
        List<ModelUpdate> uninterrupted;
        try (var h = harness(spec)) {
            h.open();
            for (int i = 0; i < examples.size(); i++) {
                h.processElement1(examples.get(i), i);
            }
            uninterrupted = h.extractOutputValues();
        }
        OperatorSubtaskState snapshot;
        int promotedAt = -1;
        ModelUpdate promotion;
        try (var before = harness(spec)) {
            before.open();
            for (int i = 0; promotedAt < 0; i++) {
                before.processElement1(examples.get(i), i);
                if (log(before).stream().anyMatch(l -> l.event == ModelLogEntry.Event.PROMOTE)) {
                    promotedAt = i;
                }
            }
            List<ModelUpdate> updates = before.extractOutputValues();
            promotion = updates.get(updates.size() - 1);
            assertTrue(promotion.full, "inference gets the promoted learner's weights at once");
            ModelLogEntry line = log(before).get(log(before).size() - 1);
            assertEquals("fast", line.learner);
            assertEquals(promotion.version, line.version);
            snapshot = before.snapshot(1L, 100L);
        }
        try (var after = harness(spec)) {
            after.initializeState(snapshot);
            after.open();
            for (int i = promotedAt + 1; i < examples.size(); i++) {
                after.processElement1(examples.get(i), i);
            }
            List<ModelUpdate> resumed = after.extractOutputValues();
            assertEquals(promotion.version + 1, resumed.get(0).version, "the versions go on from the promotion");
            ModelUpdate last = resumed.get(resumed.size() - 1);
            ModelUpdate lastUninterrupted = uninterrupted.get(uninterrupted.size() - 1);
            assertEquals(lastUninterrupted.version, last.version);
            assertArrayEquals(lastUninterrupted.indices, last.indices);
            assertArrayEquals(lastUninterrupted.values, last.values, 0.0, "the same champion, learning alike");
            assertTrue(log(after).stream()
                    .filter(l -> l.event == ModelLogEntry.Event.STORED)
                    .allMatch(l -> l.learner.equals("fast")));
        }
    }

    @Test
    void recentVersionsSurviveARestoreInKeyedStateForRollback() throws Exception {
        ModelSpec spec = Specs.logistic("m", 2, 10_000).toBuilder()
                .set(ModelOptions.FULL_UPDATE_EVERY, 100)
                .build();
        ControlCommand backToThree = new ControlCommand(ControlCommand.Op.ROLLBACK, "m", 3);
        ModelUpdate uninterrupted;
        try (var h = harness(spec)) {
            h.open();
            for (int i = 0; i < 8; i++) {
                h.processElement1(example(i), i);
            }
            h.processElement2(backToThree, 20);
            uninterrupted = h.extractOutputValues().get(4);
        }
        OperatorSubtaskState snapshot;
        try (var before = harness(spec)) {
            before.open();
            for (int i = 0; i < 8; i++) {
                before.processElement1(example(i), i);
            }
            snapshot = before.snapshot(1L, 100L);
        }
        try (var after = harness(spec)) {
            after.initializeState(snapshot);
            after.open();
            after.processElement2(backToThree, 20);
            assertEquals(List.of(5L), versions(after));
            ModelUpdate rolledBack = after.extractOutputValues().get(0);
            assertEquals(uninterrupted.version, rolledBack.version);
            assertArrayEquals(uninterrupted.indices, rolledBack.indices);
            assertArrayEquals(uninterrupted.values, rolledBack.values, 0.0, "version 3's weights, kept in keyed state");
            assertEquals("rollback", log(after).get(0).event.toString());
        }
    }

    @Test
    void keptVersionsGoToKeyedStateNotToTheOperatorStateEveryCheckpointRewrites() throws Exception {
        ModelSpec keepOne = Specs.logistic("m", 2, 10_000).toBuilder()
                .set(ModelOptions.STORE_RECENT, 1)
                .build();
        ModelSpec keepFour =
                keepOne.toBuilder().set(ModelOptions.STORE_RECENT, 4).build();
        OperatorSubtaskState one = snapshotAfterWideExamples(keepOne);
        OperatorSubtaskState four = snapshotAfterWideExamples(keepFour);
        long version = ((1L << 8) + 1) * (4 + 3 * 8); // every coordinate: index, weight, two FTRL accumulators
        assertEquals(bytes(one.getManagedOperatorState()), bytes(four.getManagedOperatorState()));
        long moreKeyed = bytes(four.getManagedKeyedState()) - bytes(one.getManagedKeyedState());
        assertTrue(moreKeyed >= 3 * version, "three more kept versions add " + moreKeyed + " B of keyed state");
    }

    private static OperatorSubtaskState snapshotAfterWideExamples(ModelSpec spec) throws Exception {
        int[] every = IntStream.range(0, spec.dimension() - 1).toArray();
        try (var h = harness(spec)) {
            h.open();
            for (int i = 0; i < 10; i++) {
                h.processElement1(new Example("m", "e" + i, i, i % 2, 1.0, Features.categorical(every)), i);
            }
            assertEquals(5, h.extractOutputValues().size());
            return h.snapshot(1L, 100L);
        }
    }

    private static long bytes(Collection<? extends StateObject> state) {
        return state.stream().mapToLong(StateObject::getStateSize).sum();
    }
}
