package dev.streamlearn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.records.ControlCommand;
import dev.streamlearn.records.Example;
import dev.streamlearn.testing.Examples;
import dev.streamlearn.testing.Specs;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelTrainersTest {

    @TempDir
    java.nio.file.Path dir;

    private ModelStore store() {
        return new ModelStore(dir.toUri().toString());
    }

    private static ModelTrainers trainers(ModelSpec spec, ModelStore store) {
        return ModelTrainers.onHeap(Map.of(spec.id, spec), store, ModelStore::readFile);
    }

    /** Learns {@code batches} batches of two examples at time {@code now}; every version is stored (interval 0). */
    private static void learn(ModelTrainers trainers, String model, int batches, long now, CollectedOutput out)
            throws Exception {
        learn(trainers, model, batches, now, out, i -> Examples.categorical(i % 2, i % 5));
    }

    /** The same, the i-th example made by {@code example}. */
    private static void learn(
            ModelTrainers trainers,
            String model,
            int batches,
            long now,
            CollectedOutput out,
            IntFunction<Example> example)
            throws Exception {
        for (int i = 0; i < batches * 2; i++) {
            ModelTrainer t = trainers.trainer(model, now, out);
            if (trainers.learn(t, example.apply(i), now, out)) {
                trainers.applyBatch(t, now, out);
            }
        }
    }

    @Test
    void aNewJobAgainstAKeptStoreContinuesAfterItsVersionsAndSaysSo() throws Exception {
        ModelSpec spec = Specs.logistic("m", 2, 10_000);
        ModelStore store = store();
        CollectedOutput first = new CollectedOutput(store);
        learn(trainers(spec, store), "m", 3, 1, first);
        assertEquals(List.of(1L, 2L, 3L), store.versions("m"));
        StoredModel v3 = store.read("m", 3);

        CollectedOutput second = new CollectedOutput(store); // a job submitted anew: no state, the same store
        ModelTrainers fresh = trainers(spec, store);
        learn(fresh, "m", 2, 2, second);
        assertEquals(List.of(1L, 2L, 3L, 5L, 6L), store.versions("m"), "4 is the empty model it started as");
        assertEquals(v3.createdAtMillis, store.read("m", 3).createdAtMillis, "version 3 is the first job's still");
        ModelLogEntry start = second.lines(ModelLogEntry.Event.START).get(0);
        assertEquals(4, start.version);
        assertEquals(3, start.parentVersion, "after the store's newest");
        assertTrue(start.reason.contains("started empty"), start.reason);
        assertTrue(start.reason.contains("holds versions up to 3"), start.reason);
        assertEquals(3, fresh.existing("m").continuedAfter());
        assertEquals(
                List.of(5L, 6L), second.updates.stream().map(u -> u.version).toList());
        assertTrue(second.updates.get(0).full, "inference may hold the other job's version: in full");
    }

    @Test
    void aVersionWaitingForItsCheckpointIsNotUsedAgain() throws Exception {
        ModelSpec spec = Specs.logistic("m", 2, 10_000);
        ModelStore store = store();
        StoredModel pending = new ModelTrainer(spec).store(1);
        pending.version = 8;
        store.writePending(pending, "an-old-job"); // a restore of that job's checkpoint would still publish it
        CollectedOutput out = new CollectedOutput(store);
        learn(trainers(spec, store), "m", 1, 1, out);
        assertEquals(List.of(10L), store.versions("m"));
    }

    @Test
    void aRestoreFromAnOlderSnapshotContinuesAfterTheStore() throws Exception {
        ModelSpec spec = Specs.logistic("m", 2, 10_000);
        ModelStore store = store();
        ModelTrainers running = trainers(spec, store);
        CollectedOutput out = new CollectedOutput(store);
        learn(running, "m", 1, 1, out);
        ModelSnapshot old = running.existing("m").snapshot(); // version 1
        learn(running, "m", 3, 2, out); // versions 2..4 stored
        ModelTrainers restored = trainers(spec, store);
        ModelTrainer t = restored.restore(old, 3);
        assertEquals(5, t.version(), "the restored weights are the next version");
        CollectedOutput after = new CollectedOutput(store);
        learn(restored, "m", 1, 4, after);
        ModelLogEntry start = after.lines(ModelLogEntry.Event.START).get(0);
        assertTrue(start.reason.contains("restored at version 1"), start.reason);
        assertEquals(List.of(1L, 2L, 3L, 4L, 6L), store.versions("m"));
    }

    @Test
    void aRestoreAtTheStoresNewestVersionIsThatVersion() throws Exception {
        ModelSpec spec = Specs.logistic("m", 2, 10_000);
        ModelStore store = store();
        ModelTrainers running = trainers(spec, store);
        learn(running, "m", 2, 1, new CollectedOutput(store));
        ModelTrainer t = trainers(spec, store).restore(running.existing("m").snapshot(), 2);
        assertEquals(2, t.version());
        assertEquals(-1, t.continuedAfter());
    }

    @Test
    void aRollbackSaysWhetherAVersionNeverExistedOrIsNotKept() throws Exception {
        ModelSpec spec = Specs.logistic("m", 2, 10_000).toBuilder()
                .set(ModelOptions.STORE_RECENT, 2)
                .build();
        ModelStore store = store();
        ModelTrainers trainers = trainers(spec, store);
        CollectedOutput out = new CollectedOutput(store);
        learn(trainers, "m", 5, 1, out);
        store.pathOf("m", 2).getFileSystem().delete(store.pathOf("m", 2), false); // as retention would

        trainers.command(new ControlCommand(ControlCommand.Op.ROLLBACK, "m", 99_999_999), 2, out);
        trainers.command(new ControlCommand(ControlCommand.Op.ROLLBACK, "m", 2), 2, out);
        List<ModelLogEntry> rejected = out.lines(ModelLogEntry.Event.REJECTED);
        assertEquals("version 99999999 never existed: model 'm' is at version 5", rejected.get(0).reason);
        assertTrue(rejected.get(1).reason.startsWith("version 2 is not kept"), rejected.get(1).reason);
        assertTrue(rejected.get(1).reason.endsWith("kept: 1, 3..5 (4)"), rejected.get(1).reason);
        assertEquals(10, rejected.get(1).examplesTrained, "the real count");

        trainers.command(new ControlCommand(ControlCommand.Op.ROLLBACK, "m", 1), 3, out); // from the store
        ModelLogEntry rollback = out.lines(ModelLogEntry.Event.ROLLBACK).get(0);
        assertEquals(6, rollback.version);
        assertEquals(1, rollback.parentVersion);
        assertNull(rollback.reason);
    }

    /** Learns {@code batches} batches of two examples whose label its one coordinate tells (10: 0, 11: 1). */
    private static void learnTheRule(ModelTrainers trainers, int batches, long now, CollectedOutput out)
            throws Exception {
        learn(trainers, "m", batches, now, out, i -> Examples.categorical(i % 2, 10 + i % 2));
    }

    @Test
    void aRolledBackVersionCarriesTheFiguresOfTheWeightsItHoldsSoPreviousBetterUndoesASlip() throws Exception {
        ModelSpec spec = Specs.logistic("m", 2, 10_000);
        ModelStore store = store();
        ModelTrainers trainers = trainers(spec, store);
        CollectedOutput out = new CollectedOutput(store);
        learnTheRule(trainers, 1, 1, out); // v1: two examples in, still guessing
        learnTheRule(trainers, 60, 2, out); // v61: the rule learnt
        StoredModel early = store.read("m", 1);
        StoredModel learnt = store.read("m", 61);
        assertTrue(
                learnt.qualityLoss() < early.qualityLoss() / 2,
                learnt.qualityLoss() + " against " + early.qualityLoss());

        // a slip: back to v1, whose weights v62 holds, and one batch learnt from them
        trainers.command(new ControlCommand(ControlCommand.Op.ROLLBACK, "m", 1), 3, out);
        StoredModel slipped = store.read("m", 62);
        assertEquals(1, slipped.parentVersion);
        assertEquals(early.qualityLoss(), slipped.qualityLoss(), "the figures of v1, whose weights it holds");
        ModelLogEntry line = out.lines(ModelLogEntry.Event.ROLLBACK).get(0);
        assertEquals(
                early.qualityLoss(), line.metricValues[List.of(line.metricNames).indexOf("logLoss")], "its log line");
        learnTheRule(trainers, 1, 4, out);
        assertTrue(store.read("m", 63).qualityLoss() > learnt.qualityLoss(), "the examples after the slip cost more");

        trainers.command(new ControlCommand(ControlCommand.Op.ROLLBACK, "m", ControlCommand.PREVIOUS_BETTER), 5, out);
        ModelLogEntry undone = out.lines(ModelLogEntry.Event.ROLLBACK).get(1);
        assertEquals(61, undone.parentVersion, "back to the learnt model, not to v62's copy of v1");
    }

    @Test
    void theLinesThatAnswerACommandCarryItsIdAndNoOthersDo() throws Exception {
        ModelSpec spec = Specs.logistic("m", 2, 10_000);
        ModelStore store = store();
        ModelTrainers trainers = trainers(spec, store);
        CollectedOutput out = new CollectedOutput(store);
        learn(trainers, "m", 2, 1, out);
        ControlCommand freeze = new ControlCommand(ControlCommand.Op.FREEZE, "m");
        freeze.id = "c-1";
        trainers.command(freeze, 5, out);
        ControlCommand missing = new ControlCommand(ControlCommand.Op.ROLLBACK, "m", 99).forced();
        missing.id = "c-2";
        trainers.command(missing, 6, out);
        trainers.command(new ControlCommand(ControlCommand.Op.RESUME, "m"), 7, out);

        assertEquals("c-1", out.lines(ModelLogEntry.Event.FREEZE).get(0).command);
        assertEquals("c-2", out.lines(ModelLogEntry.Event.REJECTED).get(0).command);
        assertNull(out.lines(ModelLogEntry.Event.RESUME).get(0).command, "a command without an id");
        assertTrue(out.lines(ModelLogEntry.Event.STORED).stream().allMatch(l -> l.command == null));
    }

    @Test
    void aFreezeAndAResumeOfAStoredVersionWriteNoSecondFile() throws Exception {
        ModelSpec spec = Specs.logistic("m", 2, 10_000);
        ModelStore store = store();
        ModelTrainers trainers = trainers(spec, store);
        CollectedOutput out = new CollectedOutput(store);
        learn(trainers, "m", 2, 1, out); // versions 1 and 2, each stored
        trainers.command(new ControlCommand(ControlCommand.Op.FREEZE, "m"), 5, out);
        trainers.command(new ControlCommand(ControlCommand.Op.RESUME, "m"), 6, out);
        assertEquals(List.of(1L, 2L), store.versions("m"));
        assertEquals(1L, store.read("m", 2).createdAtMillis, "version 2 as it was first written");
        assertEquals(2, out.lines(ModelLogEntry.Event.FREEZE).get(0).version);
        assertEquals(6, out.lines(ModelLogEntry.Event.RESUME).get(0).ts);
        assertEquals(2, out.lines(ModelLogEntry.Event.STORED).size(), "one stored line per version");
    }

    @Test
    void anAlarmLineCarriesTheModelsRealCounts() throws Exception {
        ModelSpec spec = Specs.logistic("m", 50, 10_000).toBuilder()
                .set(ModelOptions.GUARD_ACTION, ModelSpec.GuardAction.ALERT)
                .set(ModelOptions.GUARD_WINDOW, 50)
                .set(ModelOptions.GUARD_RATIO, 1.0)
                .set(ModelOptions.GUARD_QUIET, 25)
                .set(ModelOptions.GUARD_MAX_EPISODE, 10_000L)
                .build();
        ModelTrainers trainers = trainers(spec, null);
        CollectedOutput out = new CollectedOutput(null);
        long now = 1_000;
        // a learnable stream, then its labels flipped: the loss more than doubles
        for (int i = 0; i < 3000; i++) {
            ModelTrainer t = trainers.trainer("m", now, out);
            boolean flipped = i >= 2000;
            int category = i % 2;
            double label = flipped ? 1 - category : category;
            Example e =
                    new Example("m", "e" + i, i, label, 1.0, dev.streamlearn.records.Features.categorical(category));
            if (trainers.learn(t, e, now + i, out)) {
                trainers.applyBatch(t, now + i, out);
            }
        }
        ModelLogEntry alarm = out.lines(ModelLogEntry.Event.ALARM).get(0);
        assertTrue(alarm.examplesTrained > 2000, "counted when it rang: " + alarm.examplesTrained);
        ModelTrainer t = trainers.existing("m");
        assertEquals(1, t.guard().alarms());
        assertEquals(ModelSpec.GuardAction.ALERT, t.guard().lastAction());
        assertTrue(
                t.guard().lastAlarmMillis() >= now + 2000, "when: " + t.guard().lastAlarmMillis());
        assertTrue(t.guard().lastAlarmRatio() > 2, "ratio " + t.guard().lastAlarmRatio());
        ModelTrainer restored = TrainerRestore.fromSnapshot(spec, t.snapshot());
        assertEquals(t.guard().lastAlarmMillis(), restored.guard().lastAlarmMillis());
        assertEquals(t.guard().lastAlarmRatio(), restored.guard().lastAlarmRatio());
        assertEquals(ModelSpec.GuardAction.ALERT, restored.guard().lastAction());
    }
}
