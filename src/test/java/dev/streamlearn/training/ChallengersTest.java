package dev.streamlearn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.Calibration;
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
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A model with a challenger that forgets fast, on a stream whose meaning flips: the champion,
 * which never forgets, keeps its old belief for long; the challenger follows within a few hundred
 * examples, beats it and is promoted. The champion is served alone (the blend: {@link ServedBlendTest}).
 */
class ChallengersTest extends FlippingStreamTest {

    static final int WINDOW = 200;

    static ModelSpec spec() {
        return Specs.logistic("m", 10, 10_000).toBuilder()
                .set(ModelOptions.CHALLENGERS, ChallengerList.TYPE.parse("fast:forget.half-life=20"))
                .set(ModelOptions.PROMOTION_WINDOW, WINDOW)
                .set(ModelOptions.SERVE, ModelSpec.Serving.CHAMPION)
                .build();
    }

    @Test
    void aChallengerThatWinsBecomesTheNextVersionInFullStoredAndLogged() throws Exception {
        ModelTrainers trainers = trainers(spec());
        CollectedOutput out = new CollectedOutput(new ModelStore(dir.toUri().toString()));
        learn(trainers, FLIP_AT, out);
        assertTrue(out.lines(ModelLogEntry.Event.PROMOTE).isEmpty(), "before the flip the champion holds");
        ModelTrainer t = trainers.existing("m");
        assertEquals("default", t.champion());

        for (int k = 0; k < 1000 && out.lines(ModelLogEntry.Event.PROMOTE).isEmpty(); k++) {
            learn(trainers, 1, out);
        }
        List<ModelLogEntry> promotions = out.lines(ModelLogEntry.Event.PROMOTE);
        assertEquals(1, promotions.size(), "promoted within 1,000 examples of the flip");
        long afterFlip = now - FLIP_AT;
        assertTrue(afterFlip <= WINDOW, "promoted " + afterFlip + " examples after the flip, within one window");
        ModelLogEntry line = promotions.get(0);
        assertEquals("fast", line.learner);
        assertTrue(line.reason.startsWith("challenger 'fast' beat 'default' over the last 200 examples"), line.reason);
        assertEquals("fast", t.champion());

        ModelUpdate update = out.updates.get(out.updates.size() - 1);
        assertTrue(update.full, "inference gets the champion's weights at once");
        assertEquals(t.version(), update.version);
        assertEquals(line.version, update.version);
        assertEquals(t.weight(1), valueAt(update, 1));
        assertEquals(t.weight(2), valueAt(update, 2));
        StoredModel stored = out.store.read("m", update.version);
        assertEquals("fast", stored.learner);
        assertEquals("forget.half-life=20", stored.learnerOptions);

        int promotedAt = out.updates.size() - 1;
        learn(trainers, 5 * WINDOW, out);
        assertEquals(1, out.lines(ModelLogEntry.Event.PROMOTE).size(), "the former champion does not come back");
        assertTrue(t.predict(Examples.categorical(0, 1).features) < 0.3, "the served model follows the flip");
        // the versions after the promotion reach inference as deltas of the new champion's changes
        double[] served = new double[spec().dimension()];
        for (ModelUpdate u : out.updates.subList(promotedAt, out.updates.size())) {
            if (u.full) {
                java.util.Arrays.fill(served, 0.0);
            }
            for (int k = 0; k < u.indices.length; k++) {
                served[u.indices[k]] = u.values[k];
            }
        }
        assertTrue(out.updates.stream().skip(promotedAt + 1L).anyMatch(u -> !u.full), "deltas after the promotion");
        for (int c = 0; c < served.length; c++) {
            assertEquals(t.weight(c), served[c], "weight " + c + " as inference holds it");
        }
    }

    private static double valueAt(ModelUpdate u, int coordinate) {
        for (int k = 0; k < u.indices.length; k++) {
            if (u.indices[k] == coordinate) {
                return u.values[k];
            }
        }
        return 0;
    }

    @Test
    void aPromotedChallengerServesThroughTheCalibrationLearntOnTheChampionsServedMargins() throws Exception {
        ModelTrainers trainers = trainers(spec());
        CollectedOutput out = new CollectedOutput(new ModelStore(dir.toUri().toString()));
        learn(trainers, 20, out);
        ModelTrainer t = trainers.existing("m");
        for (int k = 0; k < 200; k++) {
            Example finalLabel = stream.next();
            finalLabel.use = Example.Use.CALIBRATE;
            finalLabel.servedScore = 0.9;
            finalLabel.servedMargin = 2.2;
            finalLabel.label = 0; // served confidently, and wrong
            trainers.learn(t, finalLabel, now++, out);
        }
        assertEquals(20, t.examplesTrained(), "final labels calibrate; they are not learnt");
        assertEquals(200, t.servedMetrics().seen());
        Calibration served = t.contest().champion().learner.calibration();
        assertEquals(200, served.labels);
        trainers.command(ControlCommand.promote("m", "fast"), now, out);
        assertEquals("fast", t.champion());
        ModelUpdate promotion = out.updates.get(out.updates.size() - 1);
        assertEquals(served.slope, promotion.calibration.slope, 0.0);
        assertEquals(served.offset, promotion.calibration.offset, 0.0);
        Features f = stream.next().features;
        Learner fast = t.contest().champion().learner;
        double p = fast.predict(f);
        assertEquals(Loss.LOGISTIC.predict(served.slope * Math.log(p / (1 - p)) + served.offset), t.predict(f), 1e-12);
    }

    @Test
    void aPinnedModelIsPromotedOnlyByCommandAndAnUnknownLearnerIsRefused() throws Exception {
        ModelTrainers trainers = trainers(spec());
        CollectedOutput out = new CollectedOutput(new ModelStore(dir.toUri().toString()));
        learn(trainers, 10, out);
        trainers.command(new ControlCommand(ControlCommand.Op.PIN, "m"), now, out);
        learn(trainers, FLIP_AT + WINDOW, out);
        assertTrue(out.lines(ModelLogEntry.Event.PROMOTE).isEmpty(), "pinned");
        assertEquals(1, out.lines(ModelLogEntry.Event.PIN).size());

        trainers.command(ControlCommand.promote("m", "slow"), now, out);
        assertEquals(
                "model 'm' has no learner 'slow' (its learners: default, fast)",
                out.lines(ModelLogEntry.Event.REJECTED).get(0).reason);
        ModelTrainer t = trainers.existing("m");
        long before = t.version();
        trainers.command(ControlCommand.promote("m", "fast"), now, out);
        assertEquals("fast", t.champion());
        assertEquals(before + 1, t.version());
        assertEquals(
                "by command, in place of 'default'",
                out.lines(ModelLogEntry.Event.PROMOTE).get(0).reason);

        trainers.command(ControlCommand.promote("m", "default"), now, out);
        assertEquals("default", t.champion(), "the former champion learnt on beside it");
        trainers.command(new ControlCommand(ControlCommand.Op.UNPIN, "m"), now, out);
        for (int k = 0; k < WINDOW && t.champion().equals("default"); k++) {
            learn(trainers, 1, out);
        }
        assertEquals("fast", t.champion(), "unpinned, the better one wins again within a window");
        assertEquals(3, out.lines(ModelLogEntry.Event.PROMOTE).size());
    }

    @Test
    void aRestoreBetweenAPromotionAndTheNextVersionServesTheSameChampionAndEveryLearnerGoesOnAlike() throws Exception {
        ModelTrainers trainers = trainers(spec());
        CollectedOutput out = new CollectedOutput(new ModelStore(dir.toUri().toString()));
        learn(trainers, FLIP_AT, out);
        while (out.lines(ModelLogEntry.Event.PROMOTE).isEmpty()) {
            learn(trainers, 1, out);
        }
        ModelTrainer original = trainers.existing("m");
        ModelSnapshot snapshot = original.snapshot();

        ModelTrainers again = trainers(spec());
        ModelTrainer restored = again.restore(snapshot, now);
        assertEquals("fast", restored.champion());
        assertEquals(original.version(), restored.version());
        assertEquals(original.contest().promotions(), restored.contest().promotions());

        CollectedOutput a =
                new CollectedOutput(new ModelStore(dir.resolve("a").toUri().toString()));
        CollectedOutput b =
                new CollectedOutput(new ModelStore(dir.resolve("b").toUri().toString()));
        double[][] scoresA = new double[2][300];
        double[][] scoresB = new double[2][300];
        original.onLearnerScored((k, p) -> scoresA[k][(int) (now % 300)] = p);
        restored.onLearnerScored((k, p) -> scoresB[k][(int) (now % 300)] = p);
        for (int k = 0; k < 300; k++) {
            Example e = stream.next();
            Example copy = Examples.at(Examples.categorical(e.label, e.features.categorical), e.ts, 0, e.offset);
            trainers.learn(original, e, now, a);
            again.learn(restored, copy, now, b);
            now++;
        }
        assertArrayEquals(scoresA[0], scoresB[0], "the former champion, restored with its state");
        assertArrayEquals(scoresA[1], scoresB[1], "the champion");
        assertEquals(
                original.contest().comparison(0).standardErrors,
                restored.contest().comparison(0).standardErrors);
    }

    @Test
    void aRestoredModelShowsItsLearnersAgainstTheChampionBeforeItLearnsAgain() throws Exception {
        ModelTrainers trainers = trainers(spec());
        CollectedOutput out = new CollectedOutput(new ModelStore(dir.toUri().toString()));
        learn(trainers, 3 * WINDOW, out);
        ModelTrainer original = trainers.existing("m");
        Standing before = original.contest().comparison(1);
        assertTrue(before != null && Double.isFinite(before.standardErrors), "compared over a full window");

        ModelTrainer restored = trainers(spec()).restore(original.snapshot(), now);
        Standing after = restored.contest().comparison(1);
        assertTrue(after != null, "the leaderboard of the restored window, with no example since");
        assertEquals(before.relativeImprovement, after.relativeImprovement, 1e-12);
        assertEquals(before.standardErrors, after.standardErrors, 1e-9);
    }

    @Test
    void aRollbackAcrossAPromotionMakesTheLearnerThatMadeTheVersionTheChampion() throws Exception {
        ModelTrainers trainers = trainers(spec());
        CollectedOutput out = new CollectedOutput(new ModelStore(dir.toUri().toString()));
        learn(trainers, FLIP_AT, out);
        ModelTrainer t = trainers.existing("m");
        long byDefault = t.version();
        StoredModel defaultVersion = out.store.read("m", byDefault);
        while (out.lines(ModelLogEntry.Event.PROMOTE).isEmpty()) {
            learn(trainers, 1, out);
        }
        long promoted = t.version();
        learn(trainers, 50, out);

        trainers.command(new ControlCommand(ControlCommand.Op.ROLLBACK, "m", byDefault), now, out);
        assertEquals("default", t.champion());
        assertEquals(defaultVersion.state.weights[0], t.weight(defaultVersion.state.coords[0]));
        ModelLogEntry rollback = out.lines(ModelLogEntry.Event.ROLLBACK).get(0);
        assertEquals("default", rollback.learner);

        trainers.command(new ControlCommand(ControlCommand.Op.PIN, "m"), now, out);
        trainers.command(new ControlCommand(ControlCommand.Op.ROLLBACK, "m", promoted), now, out);
        assertEquals("fast", t.champion());
        assertEquals(out.store.read("m", promoted).state.weights[0], t.weight(1));
        assertFalse(t.contest().contenders().get(t.contest().championIndex()).paused);
    }

    @Test
    void aChallengerItsGuardPausedIsNotPromotedUntilItLearnsAgain() throws Exception {
        ModelTrainers trainers = trainers(spec());
        CollectedOutput out = new CollectedOutput(new ModelStore(dir.toUri().toString()));
        trainers.command(new ControlCommand(ControlCommand.Op.PIN, "m"), now, out);
        learn(trainers, FLIP_AT + WINDOW, out); // the challenger has followed the flip, the champion not yet
        trainers.command(new ControlCommand(ControlCommand.Op.UNPIN, "m"), now, out);
        Contest contest = trainers.existing("m").contest();
        Contender fast = contest.contenders().get(contest.indexOf("fast"));
        for (int k = 0; k < WINDOW; k++) {
            fast.paused = true; // as its guard holds it while a rise of its loss lasts
            learn(trainers, 1, out);
        }
        assertTrue(out.lines(ModelLogEntry.Event.PROMOTE).isEmpty(), "paused, however much better");
        fast.paused = false;
        learn(trainers, WINDOW / ModelOptions.PROMOTION_BLOCKS, out);
        assertEquals(1, out.lines(ModelLogEntry.Event.PROMOTE).size(), "at the next check once it learns again");
    }
}
