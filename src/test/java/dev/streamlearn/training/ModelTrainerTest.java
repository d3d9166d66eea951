package dev.streamlearn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Features;
import dev.streamlearn.records.SeriesScale;
import dev.streamlearn.testing.Examples;
import dev.streamlearn.testing.Specs;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ModelTrainerTest {

    private static final int BIAS = 256;

    @Test
    void eachBatchMakesTheNextVersionWithDeltasBetweenFullUpdates() {
        ModelTrainer t = new ModelTrainer(Specs.logistic("m", 2, 1000));
        assertFalse(t.add(Examples.categorical(1, 3), 0));
        assertTrue(t.add(Examples.categorical(0, 4), 5));
        ModelUpdate first = t.applyBatch();
        assertEquals(1, first.version);
        assertEquals(0, first.baseVersion);
        assertTrue(first.full, "the first update after start is full");
        assertEquals(5, first.newestExampleMillis);

        t.add(Examples.numeric(1, new int[] {3}, new double[] {2.0}), 10);
        ModelUpdate second = t.applyBatch();
        assertEquals(2, second.version);
        assertEquals(1, second.baseVersion);
        assertFalse(second.full);
        assertArrayEquals(new int[] {BIAS, 3}, second.indices, "a delta carries the changed weights only");
        assertEquals(t.weight(3), second.values[1]);
        assertArrayEquals(new int[] {3}, second.scale.keys, "and the changed scaling entries");

        for (int v = 3; v <= 5; v++) {
            t.add(Examples.categorical(0), 20);
            assertEquals(v, t.applyBatch().version);
        }
        assertTrue(t.applyBatch() == null, "no examples, no version");
        assertEquals(2 + 1 + 3, t.examplesTrained());
        assertEquals(5, t.batchesApplied());
    }

    @Test
    void examplesAreLearntAsTheyArriveAndTheBatchOnlyMakesTheVersion() {
        ModelTrainer t = new ModelTrainer(Specs.logistic("m", 100, 1000));
        t.add(Examples.categorical(1, 3), 0);
        assertEquals(1.0 / 6, t.weight(3), 1e-12, "learnt at once (LearnerTest has the arithmetic)");
        List<Double> scores = new ArrayList<>();
        t.onScored((p, y) -> scores.add(p));
        t.add(Examples.categorical(1, 3), 1);
        assertEquals(Loss.LOGISTIC.predict(1.0 / 3), scores.get(0), 1e-12);
        assertEquals(2, t.metrics().seen());
        assertEquals(Math.log(2) / 2 - Math.log(scores.get(0)) / 2, t.metrics().totalLoss(), 1e-12);
    }

    @Test
    void frozenModelScoresButDoesNotLearn() {
        ModelTrainer t = new ModelTrainer(Specs.logistic("m", 1, 1000));
        t.add(Examples.categorical(1), 0);
        t.applyBatch();
        t.freeze();
        double before = t.weight(BIAS);
        assertFalse(t.add(Examples.categorical(1), 0), "a frozen model's batch never fills");
        assertNull(t.applyBatch());
        assertEquals(before, t.weight(BIAS));
        assertEquals(1, t.version());
        assertEquals(2, t.metrics().seen());
        assertEquals(1, t.examplesTrained());
        t.resume();
        t.add(Examples.categorical(1), 0);
        assertEquals(2, t.applyBatch().version);
    }

    @Test
    void restoredTrainerContinuesExactlyAsIfNeverStopped() {
        for (ModelSpec.OptimizerKind kind : ModelSpec.OptimizerKind.values()) {
            ModelSpec spec = Specs.squared("m", kind).toBuilder()
                    .set(ModelOptions.BATCH_SIZE, 7)
                    .set(ModelOptions.FORGET_HALF_LIFE, 100L)
                    .build();
            List<Example> stream = randomStream(200, 42);
            ModelTrainer uninterrupted = new ModelTrainer(spec);
            ModelTrainer first = new ModelTrainer(spec);
            List<ModelUpdate> expected = feed(uninterrupted, stream, 0, 200);
            feed(first, stream, 0, 101); // leaves examples in an open batch
            assertTrue(first.openBatchSize() > 0);
            ModelSnapshot snapshot = first.snapshot();
            ModelTrainer resumed = TrainerRestore.fromSnapshot(spec, snapshot);
            assertEquals(first.version(), resumed.version());
            List<ModelUpdate> after = feed(resumed, stream, 101, 200);

            assertEquals(uninterrupted.version(), resumed.version(), kind.name());
            assertEquals(expected.get(expected.size() - 1).version, after.get(after.size() - 1).version);
            assertEquals(uninterrupted.examplesTrained(), resumed.examplesTrained());
            for (int i = 0; i < spec.dimension(); i++) {
                assertEquals(uninterrupted.weight(i), resumed.weight(i), 0.0, kind + " weight " + i);
            }
            Features probe = new Features(new int[] {4}, new int[] {1, 2}, new double[] {0.3, -2});
            assertEquals(uninterrupted.predict(probe), resumed.predict(probe), 0.0, kind + ": scaling restored too");
            assertEquals(uninterrupted.metrics().totalRmse(), resumed.metrics().totalRmse(), 0.0);
        }
    }

    @Test
    void aRestoredOlderModelContinuesAfterTheNewestExistingVersion() {
        ModelTrainer t = new ModelTrainer(Specs.logistic("m", 1, 1000));
        for (int i = 0; i < 3; i++) {
            t.add(Examples.categorical(1), 0);
            t.applyBatch();
        }
        assertTrue(t.continueAfter(10, true)); // versions up to 10 exist elsewhere
        assertEquals(11, t.version());
        assertEquals(10, t.continuedAfter());
        t.add(Examples.categorical(1), 0);
        ModelUpdate next = t.applyBatch();
        assertEquals(12, next.version);
        assertTrue(next.full, "inference may hold any of the other line's versions: send in full");
        assertFalse(t.continueAfter(5, true)); // nothing newer: no change
        assertEquals(12, t.version());
        assertFalse(t.continueAfter(12, true), "the existing version 12 is this model");
        assertEquals(12, t.version());
        assertTrue(t.continueAfter(12, false), "the existing version 12 is another model: this one moves past it");
        assertEquals(13, t.version());
    }

    @Test
    void anEmptyModelMovesPastAnExistingVersionZero() {
        ModelTrainer t = new ModelTrainer(Specs.logistic("m", 1, 1000));
        assertTrue(t.continueAfter(0, false), "a batch model stored as version 0 is not this empty one");
        assertEquals(1, t.version());
        t.add(Examples.categorical(1), 0);
        assertEquals(2, t.applyBatch().version);
    }

    @Test
    void aSnapshotFromBeforeFeatureScalingLearnsAnewAfterItsVersion() {
        ModelSnapshot old = new ModelSnapshot(); // as restored from a savepoint of that job: no learnt state
        old.modelId = "m";
        old.version = 41;
        ModelTrainer t = TrainerRestore.fromSnapshot(Specs.logistic("m", 1, 1000), old);
        assertEquals(42, t.version());
        t.add(Examples.categorical(1), 0);
        ModelUpdate next = t.applyBatch();
        assertEquals(43, next.version);
        assertTrue(next.full);
    }

    @Test
    void rollbackMakesAStoredVersionsWeightsAndScalingTheNextVersion() {
        ModelTrainer t = new ModelTrainer(Specs.squared("m", ModelSpec.OptimizerKind.ADAGRAD));
        List<Example> stream = randomStream(40, 5);
        feed(t, stream, 0, 20);
        StoredModel v10 = t.store(0);
        Features probe = new Features(new int[] {2}, new int[] {1}, new double[] {1.5});
        double scoreAt10 = t.predict(probe);
        feed(t, stream, 20, 40);
        assertTrue(t.predict(probe) != scoreAt10);
        ModelUpdate back = t.rollbackTo(v10, 99);
        assertEquals(v10.version + 10 + 1, back.version);
        assertTrue(back.full);
        assertEquals(scoreAt10, t.predict(probe), 0.0, "weights, optimizer state and scaling of v" + v10.version);
    }

    @Test
    void tracksTheLabeledTopicOffsetsTrainedThrough() {
        ModelTrainer t = new ModelTrainer(Specs.logistic("m", 2, 1000));
        t.add(Examples.at(Examples.categorical(1), 5L, 1, 40L), 0);
        t.add(Examples.at(Examples.categorical(0), 6L, 0, 7L), 0);
        t.applyBatch();
        t.add(Examples.at(Examples.categorical(1), 7L, 2, 3L), 0); // not in a version yet
        assertArrayEquals(new long[] {7, 40}, t.trainedOffsets());
        ModelTrainer restored = TrainerRestore.fromSnapshot(t.spec(), t.snapshot());
        restored.add(Examples.at(Examples.categorical(0), 8L, 1, 41L), 0);
        restored.applyBatch();
        assertArrayEquals(new long[] {7, 41, 3}, restored.trainedOffsets());
        assertArrayEquals(new long[] {7, 41, 3}, restored.store(0).offsetsThrough);
        assertEquals(8L, restored.store(0).eventTimeThrough);
    }

    @Test
    void timeSeriesExamplesAreAlsoScoredInTheirOwnScaleAgainstTheSeasonalNaiveForecast() {
        ModelTrainer t = new ModelTrainer(Specs.squared("m", ModelSpec.OptimizerKind.SGD));
        Example e = Examples.categorical(1.0);
        e.series = new SeriesScale(100, 10, 104); // label 1.0 standardized: the value was 110; 104 a season ago
        t.add(e, 0); // nothing learnt: the forecast is 0 standardized, i.e. 100
        assertEquals(10.0, t.forecastMetrics().windowMae(), 1e-12);
        assertEquals(10.0 / 110, t.forecastMetrics().windowMape(), 1e-12);
        assertEquals(6.0, t.naiveMetrics().windowMae(), 1e-12);
        ModelTrainer restored = TrainerRestore.fromSnapshot(t.spec(), t.snapshot());
        assertEquals(6.0, restored.naiveMetrics().windowMae(), 1e-12);
        assertEquals(
                0,
                new ModelTrainer(Specs.squared("m", ModelSpec.OptimizerKind.SGD))
                        .forecastMetrics()
                        .seen());
    }

    private static List<Example> randomStream(int n, long seed) {
        Random r = new Random(seed);
        List<Example> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x1 = r.nextGaussian();
            double x2 = 1000 * r.nextGaussian();
            int category = r.nextInt(5);
            s.add(new Example(
                    "m",
                    null,
                    i,
                    2 * x1 - x2 / 1000 + category + 0.5 + 0.1 * r.nextGaussian(),
                    1.0,
                    new Features(new int[] {category}, new int[] {1, 2}, new double[] {x1, x2})));
        }
        return s;
    }

    private static List<ModelUpdate> feed(ModelTrainer t, List<Example> stream, int from, int to) {
        List<ModelUpdate> updates = new ArrayList<>();
        for (int i = from; i < to; i++) {
            if (t.add(stream.get(i), i)) {
                updates.add(t.applyBatch());
            }
        }
        return updates;
    }
}
