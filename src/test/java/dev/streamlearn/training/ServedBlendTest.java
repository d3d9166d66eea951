package dev.streamlearn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.features.NumericScaler;
import dev.streamlearn.inference.ServedModel;
import dev.streamlearn.model.ChallengerList;
import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.records.ControlCommand;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Features;
import dev.streamlearn.testing.Examples;
import dev.streamlearn.testing.Specs;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A model that serves the blend of its learners ({@link ServedBlend}), on a stream whose meaning
 * flips: inference, fed the trainer's updates, serves what the trainer scores; the mix moves to
 * the learner that follows the flip; a restore continues it exactly; a rollback serves the stored
 * version as it is.
 */
class ServedBlendTest extends FlippingStreamTest {

    static final int WINDOW = 200;

    static ModelSpec spec(String challengers) {
        return Specs.logistic("m", 10, 10_000).toBuilder()
                .set(ModelOptions.CHALLENGERS, ChallengerList.TYPE.parse(challengers))
                .set(ModelOptions.PROMOTION_WINDOW, WINDOW)
                .build();
    }

    /** What an inference subtask serves for the features, fed every update so far. */
    private static double served(ServedModel model, ModelSpec spec, Features f) {
        NumericScaler empty = Scaling.newScaler(spec);
        NumericScaler scaler = model.scaler(empty);
        double margin = LinearScorer.margin(model.weights(), spec.biasIndex(), scaler, f);
        return LinearScorer.served(spec.loss(), scaler, model.calibration, margin);
    }

    @Test
    void inferenceServesWhatTheTrainerScoresAndTheMixFollowsTheLearnerThatFollowsTheFlip() throws Exception {
        ModelSpec spec = spec("fast:forget.half-life=20").toBuilder()
                .set(ModelOptions.SERVE, ModelSpec.Serving.BLEND)
                .build();
        ModelTrainers trainers = trainers(spec);
        CollectedOutput out = new CollectedOutput(new ModelStore(dir.toUri().toString()));
        ServedModel model = new ServedModel("m", spec.dimension());
        NumericScaler empty = Scaling.newScaler(spec);
        Features[] probes = {Examples.categorical(0, 1).features, Examples.categorical(0, 2).features};
        int applied = 0;
        int versionsChecked = 0;
        for (int k = 0; k < FLIP_AT + 3 * WINDOW; k++) {
            learn(trainers, 1, out);
            ModelTrainer t = trainers.existing("m");
            if (out.updates.size() == applied) {
                continue;
            }
            for (; applied < out.updates.size(); applied++) {
                ModelUpdate u = out.updates.get(applied);
                assertTrue(model.accepts(u), "every update applies: " + u);
                model.apply(u, empty);
            }
            if (t.openBatchSize() > 0) {
                continue; // the trainer has learnt past the version
            }
            for (Features f : probes) {
                assertEquals(t.predict(f), served(model, spec, f), 1e-12, "version " + t.version());
            }
            versionsChecked++;
        }
        ModelTrainer t = trainers.existing("m");
        double[] mix = t.contest().blendWeights();
        assertTrue(mix[1] > 0.9, "the fast learner carries the blend after the flip: " + mix[1]);
        assertTrue(versionsChecked > 20, "versions checked: " + versionsChecked);
        long full = out.updates.stream().filter(u -> u.full).count();
        assertTrue(full >= 3 && full < out.updates.size() / 2, full + " full updates of " + out.updates.size());
        assertTrue(t.predict(probes[0]) < 0.3, "the served model follows the flip: " + t.predict(probes[0]));
    }

    @Test
    void aRestoredTrainerServesAndScoresAsTheUninterruptedOne() throws Exception {
        ModelSpec spec = spec("fast:forget.half-life=20");
        ModelTrainers trainers = trainers(spec);
        CollectedOutput out = new CollectedOutput(new ModelStore(dir.toUri().toString()));
        learn(trainers, FLIP_AT + WINDOW / 2, out);
        ModelTrainer original = trainers.existing("m");
        ModelSnapshot snapshot = original.snapshot();
        ModelTrainers again = trainers(spec);
        ModelTrainer restored = again.restore(snapshot, now);
        assertArrayEquals(original.contest().blendWeights(), restored.contest().blendWeights());

        CollectedOutput a =
                new CollectedOutput(new ModelStore(dir.resolve("a").toUri().toString()));
        CollectedOutput b =
                new CollectedOutput(new ModelStore(dir.resolve("b").toUri().toString()));
        double[] scoresA = new double[2 * WINDOW];
        double[] scoresB = new double[2 * WINDOW];
        int[] at = new int[1];
        original.onScored((p, label) -> scoresA[at[0]] = p);
        restored.onScored((p, label) -> scoresB[at[0]] = p);
        for (; at[0] < 2 * WINDOW; at[0]++) {
            Example e = stream.next();
            Example copy = Examples.at(Examples.categorical(e.label, e.features.categorical), e.ts, 0, e.offset);
            trainers.learn(original, e, now, a);
            again.learn(restored, copy, now, b);
            now++;
        }
        assertArrayEquals(scoresA, scoresB, "the served scores, blend and all");
        assertArrayEquals(original.contest().blendWeights(), restored.contest().blendWeights());
    }

    @Test
    void aRollbackServesTheStoredVersionAsItIsUntilTheOthersHaveShownAWindowAgain() throws Exception {
        ModelSpec spec = spec("fast:forget.half-life=20").toBuilder()
                .set(ModelOptions.STORE_INTERVAL, 1L)
                .set(ModelOptions.PROMOTION_STD_ERRORS, 100.0) // no promotion: the blend alone follows
                .build();
        ModelTrainers trainers = trainers(spec);
        CollectedOutput out = new CollectedOutput(new ModelStore(dir.toUri().toString()));
        learn(trainers, FLIP_AT, out);
        ModelTrainer t = trainers.existing("m");
        long beforeFlip = t.version();
        learn(trainers, 2 * WINDOW, out);
        assertEquals("default", t.champion());
        assertTrue(
                t.contest().blendWeights()[1] > 0.5, "blended: " + t.contest().blendWeights()[1]);

        trainers.command(new ControlCommand(ControlCommand.Op.ROLLBACK, "m", beforeFlip), now, out);
        StoredModel stored = out.store.read("m", beforeFlip);
        ModelUpdate rollback = out.updates.get(out.updates.size() - 1);
        assertTrue(rollback.full);
        assertArrayEquals(new double[] {1, 0}, t.contest().blendWeights(), "the champion alone");
        assertArrayEquals(stored.state.coords, rollback.indices, "the stored version's weights, as they are");
        assertArrayEquals(stored.state.weights, rollback.values);
        assertEquals(1, out.lines(ModelLogEntry.Event.ROLLBACK).size());

        learn(trainers, WINDOW - 1, out);
        assertArrayEquals(new double[] {1, 0}, t.contest().blendWeights(), "until a window has been scored");
        learn(trainers, WINDOW, out);
        assertTrue(
                t.contest().blendWeights()[1] > 0,
                "then the others again: " + t.contest().blendWeights()[1]);
    }

    @Test
    void aPinnedModelServesItsChampionAloneAtOnceAndTheBlendComesBackWhenUnpinned() throws Exception {
        ModelSpec spec = spec("fast:forget.half-life=20").toBuilder()
                .set(ModelOptions.PROMOTION_STD_ERRORS, 100.0)
                .build();
        ModelTrainers trainers = trainers(spec);
        CollectedOutput out = new CollectedOutput(new ModelStore(dir.toUri().toString()));
        learn(trainers, FLIP_AT + 2 * WINDOW, out);
        ModelTrainer t = trainers.existing("m");
        assertTrue(
                t.contest().blendWeights()[1] > 0.5, "blended: " + t.contest().blendWeights()[1]);
        long before = t.version();

        trainers.command(new ControlCommand(ControlCommand.Op.PIN, "m"), now, out);
        assertArrayEquals(new double[] {1, 0}, t.contest().blendWeights(), "the champion people chose, alone");
        ModelUpdate pinned = out.updates.get(out.updates.size() - 1);
        assertTrue(pinned.full, "at once, in full");
        assertEquals(before + 1, pinned.version);
        assertEquals(t.weight(1), pinned.values[Arrays.binarySearch(pinned.indices, 1)]);
        learn(trainers, 2 * WINDOW, out);
        assertArrayEquals(new double[] {1, 0}, t.contest().blendWeights(), "while pinned");

        int sent = out.updates.size();
        trainers.command(new ControlCommand(ControlCommand.Op.UNPIN, "m"), now, out);
        assertEquals(sent, out.updates.size(), "unpinning sends nothing by itself");
        learn(trainers, WINDOW / 20, out);
        assertTrue(
                t.contest().blendWeights()[1] > 0.5,
                "blended again: " + t.contest().blendWeights()[1]);
    }

    @Test
    void aLearnerThatTransformsFeaturesOtherwiseIsNotBlendedAndServingTheChampionSendsItsOwnWeights() throws Exception {
        ModelSpec spec = spec("fast:forget.half-life=20;log:scale.log=*");
        ModelTrainers trainers = trainers(spec);
        CollectedOutput out = new CollectedOutput(new ModelStore(dir.toUri().toString()));
        trainers.trainer("m", now, out);
        trainers.command(new ControlCommand(ControlCommand.Op.PIN, "m"), now, out);
        for (int k = 0; k < FLIP_AT; k++) {
            Example e =
                    Examples.at(Examples.numeric(k % 2, new int[] {3}, new double[] {1 + (k % 7) * (k % 2)}), k, 0, k);
            ModelTrainer t = trainers.trainer("m", now, out);
            if (trainers.learn(t, e, now++, out)) {
                trainers.applyBatch(t, now, out);
            }
        }
        ModelTrainer t = trainers.existing("m");
        assertEquals("default", t.champion());
        double[] mix = t.contest().blendWeights();
        assertEquals(0.0, mix[2], "the log learner's weights mean something else");
        assertEquals(1.0, mix[0] + mix[1], 1e-12);

        trainers.command(ControlCommand.promote("m", "log"), now, out);
        assertArrayEquals(new double[] {0, 0, 1}, t.contest().blendWeights(), "nobody transforms as it does");
        ModelUpdate promotion = out.updates.get(out.updates.size() - 1);
        assertTrue(promotion.full);
        Learner log = t.contest().champion().learner;
        for (int k = 0; k < promotion.indices.length; k++) {
            assertEquals(log.weight(promotion.indices[k]), promotion.values[k], "its own weights");
        }
        assertTrue(promotion.indices.length >= 2, "bias and feature: " + promotion.indices.length);
        int sent = out.updates.size();
        for (int k = 0; out.updates.size() == sent; k++) {
            Example e = Examples.at(Examples.numeric(k % 2, new int[] {3}, new double[] {2}), now, 0, now);
            if (trainers.learn(t, e, now++, out)) {
                trainers.applyBatch(t, now, out);
            }
        }
        assertTrue(!out.updates.get(sent).full, "the promotion carried every weight: a delta follows");

        ModelTrainer alone = new ModelTrainer(spec.toBuilder()
                .set(ModelOptions.SERVE, ModelSpec.Serving.CHAMPION)
                .build());
        assertEquals(null, alone.contest().blendWeights());
    }
}
