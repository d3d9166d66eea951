package dev.streamlearn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
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
        assertFalse(t.add(new int[] {BIAS, 3}, new double[] {1, 1}, 1, 1, 0));
        assertTrue(t.add(new int[] {BIAS, 4}, new double[] {1, 1}, 0, 1, 5));
        ModelUpdate first = t.applyBatch();
        assertEquals(1, first.version);
        assertEquals(0, first.baseVersion);
        assertTrue(first.full, "the first update after start is full");
        assertEquals(5, first.newestExampleMillis);

        t.add(new int[] {BIAS, 3}, new double[] {1, 1}, 1, 1, 10);
        ModelUpdate second = t.applyBatch();
        assertEquals(2, second.version);
        assertEquals(1, second.baseVersion);
        assertFalse(second.full);
        assertArrayEquals(new int[] {BIAS, 3}, second.indices, "a delta carries the touched weights only");
        assertEquals(t.weight(3), second.values[1]);

        for (int v = 3; v <= 5; v++) {
            t.add(new int[] {BIAS}, new double[] {1}, 0, 1, 20);
            assertEquals(v, t.applyBatch().version);
        }
        assertEquals(2 + 1 + 3, t.examplesTrained());
        assertEquals(5, t.batchesApplied());
        assertNull(t.applyBatch(), "no examples, no version");
    }

    @Test
    void firstBatchGradientIsPredictionMinusLabel() {
        // weights start at 0 so p=0.5: example 1 (y=1) pushes coordinate 3 by -0.5, example 2 (y=0) coordinate 4 by
        // +0.5 and the bias by -0.5+0.5=0. FTRL alpha=0.5, beta=1, no regularization: w = -z/((1+|g|)/0.5).
        ModelTrainer t = new ModelTrainer(Specs.logistic("m", 2, 1000));
        t.add(new int[] {BIAS, 3}, new double[] {1, 1}, 1, 1, 0);
        t.add(new int[] {BIAS, 4}, new double[] {1, 1}, 0, 1, 0);
        t.applyBatch();
        assertEquals(0.5 / 1.5 * 0.5, t.weight(3), 1e-12);
        assertEquals(-0.5 / 1.5 * 0.5, t.weight(4), 1e-12);
        assertEquals(0.0, t.weight(BIAS));
        assertEquals(Math.log(2), t.metrics().totalLoss(), 1e-12, "both scored at p=0.5 before learning");
    }

    @Test
    void frozenModelScoresButDoesNotLearn() {
        ModelTrainer t = new ModelTrainer(Specs.logistic("m", 1, 1000));
        t.add(new int[] {BIAS}, new double[] {1}, 1, 1, 0);
        t.applyBatch();
        t.freeze();
        double before = t.weight(BIAS);
        t.add(new int[] {BIAS}, new double[] {1}, 1, 1, 0);
        assertNull(t.applyBatch());
        assertEquals(before, t.weight(BIAS));
        assertEquals(1, t.version());
        assertEquals(2, t.metrics().seen());
        t.resume();
        t.add(new int[] {BIAS}, new double[] {1}, 1, 1, 0);
        assertEquals(2, t.applyBatch().version);
    }

    @Test
    void restoredTrainerContinuesExactlyAsIfNeverStopped() {
        for (ModelSpec.OptimizerKind kind : ModelSpec.OptimizerKind.values()) {
            ModelSpec spec = Specs.squared("m", kind);
            List<double[]> stream = randomStream(200, 42);
            ModelTrainer uninterrupted = new ModelTrainer(spec);
            ModelTrainer first = new ModelTrainer(spec);
            feed(uninterrupted, stream, 0, 200);
            feed(first, stream, 0, 101); // leaves one example in an open batch
            assertTrue(first.hasOpenBatch());
            ModelSnapshot snapshot = first.snapshot();
            ModelTrainer resumed = ModelTrainer.restore(spec, snapshot);
            assertEquals(first.version(), resumed.version());
            feed(resumed, stream, 101, 200);

            assertEquals(uninterrupted.version(), resumed.version(), kind.name());
            assertEquals(uninterrupted.examplesTrained(), resumed.examplesTrained());
            for (int i = 0; i < spec.dimension(); i++) {
                assertEquals(uninterrupted.weight(i), resumed.weight(i), 0.0, kind + " weight " + i);
            }
            assertEquals(uninterrupted.metrics().totalRmse(), resumed.metrics().totalRmse(), 0.0);
        }
    }

    @Test
    void aRestoredOlderModelContinuesAfterTheNewestExistingVersion() {
        ModelTrainer t = new ModelTrainer(Specs.logistic("m", 1, 1000));
        for (int i = 0; i < 3; i++) {
            t.add(new int[] {BIAS}, new double[] {1}, 1, 1, 0);
            t.applyBatch();
        }
        t.continueAfter(10); // versions up to 10 exist elsewhere
        assertEquals(11, t.version());
        t.add(new int[] {BIAS}, new double[] {1}, 1, 1, 0);
        ModelUpdate next = t.applyBatch();
        assertEquals(12, next.version);
        assertTrue(next.full, "inference may hold any of the other line's versions: send in full");
        t.continueAfter(5); // nothing newer: no change
        assertEquals(12, t.version());
    }

    @Test
    void tracksTheLabeledTopicOffsetsTrainedThrough() {
        ModelTrainer t = new ModelTrainer(Specs.logistic("m", 2, 1000));
        t.add(new int[] {BIAS}, new double[] {1}, 1, 1, 5L, 1, 40L, 0);
        t.add(new int[] {BIAS}, new double[] {1}, 0, 1, 6L, 0, 7L, 0);
        t.applyBatch();
        t.add(new int[] {BIAS}, new double[] {1}, 1, 1, 7L, 2, 3L, 0); // open: not trained yet
        assertArrayEquals(new long[] {7, 40}, t.trainedOffsets());
        ModelTrainer restored = ModelTrainer.restore(t.spec(), t.snapshot());
        restored.add(new int[] {BIAS}, new double[] {1}, 0, 1, 8L, 1, 41L, 0);
        restored.applyBatch();
        assertArrayEquals(new long[] {7, 41, 3}, restored.trainedOffsets());
        assertArrayEquals(new long[] {7, 41, 3}, restored.store(0).offsetsThrough);
        assertEquals(8L, restored.store(0).eventTimeThrough);
    }

    @Test
    void timeSeriesExamplesAreAlsoScoredInTheirOwnScaleAgainstTheSeasonalNaiveForecast() {
        ModelTrainer t = new ModelTrainer(Specs.squared("m", ModelSpec.OptimizerKind.SGD));
        dev.streamlearn.ingest.Example e = new dev.streamlearn.ingest.Example("m", "s", 0L, 1.0, 1.0,
                new int[] {BIAS}, new double[] {1});
        e.scaleMean = 100;
        e.scaleStd = 10; // label 1.0 standardized: the value was 110
        e.baseline = 104; // the value one season ago
        t.add(e, 0);
        t.add(e, 0);
        t.applyBatch(); // zero weights: both forecasts are 0 standardized, i.e. 100
        assertEquals(10.0, t.forecastMetrics().windowMae(), 1e-12);
        assertEquals(10.0 / 110, t.forecastMetrics().windowMape(), 1e-12);
        assertEquals(6.0, t.naiveMetrics().windowMae(), 1e-12);
        ModelTrainer restored = ModelTrainer.restore(t.spec(), t.snapshot());
        assertEquals(6.0, restored.naiveMetrics().windowMae(), 1e-12);
        assertEquals(0, new ModelTrainer(Specs.squared("m", ModelSpec.OptimizerKind.SGD)).forecastMetrics().seen());
    }

    private static List<double[]> randomStream(int n, long seed) {
        Random r = new Random(seed);
        List<double[]> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x1 = r.nextGaussian();
            double x2 = r.nextGaussian();
            s.add(new double[] {x1, x2, 2 * x1 - x2 + 0.5 + 0.1 * r.nextGaussian()});
        }
        return s;
    }

    private static void feed(ModelTrainer t, List<double[]> stream, int from, int to) {
        for (int i = from; i < to; i++) {
            double[] row = stream.get(i);
            if (t.add(new int[] {BIAS, 1, 2}, new double[] {1, row[0], row[1]}, row[2], 1, i)) {
                t.applyBatch();
            }
        }
    }
}
