package dev.streamlearn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.features.Crosses;
import dev.streamlearn.ingest.EventParser;
import dev.streamlearn.ingest.InputLimits;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.Calibration;
import dev.streamlearn.model.Challenger;
import dev.streamlearn.model.CoordinateTable;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelState;
import dev.streamlearn.model.TableColumns;
import dev.streamlearn.records.Features;
import dev.streamlearn.testing.Specs;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LearnerTest {

    private static final double EPS = 1e-12;
    private static final int BIAS = 256;

    private static Features numeric(int coordinate, double value) {
        return new Features(new int[0], new int[] {coordinate}, new double[] {value});
    }

    @Test
    void eachExampleIsScoredWithWhatTheExamplesBeforeItTaught() {
        // FTRL alpha 0.5, beta 1, no regularization. Example 1 (feature 3, y=1) is scored 0.5; its gradient -0.5 on
        // the bias and on 3: n = 0.25, sigma = 0.5/0.5 = 1, z = -0.5, w = 0.5 / ((1 + 0.5) / 0.5) = 1/6 each.
        Learner l = new Learner(Specs.logistic("m", 100, 1000));
        assertEquals(0.5, l.learn(Features.categorical(3), 1.0, 1.0), EPS);
        assertEquals(1.0 / 6, l.weight(3), EPS);
        assertEquals(1.0 / 6, l.weight(BIAS), EPS);
        // example 2 is scored with both: margin 1/3, in the same batch (batches only make versions)
        assertEquals(Loss.LOGISTIC.predict(1.0 / 3), l.learn(Features.categorical(3), 1.0, 1.0), EPS);
    }

    @Test
    void aNumericFeatureCountsOnlyOnceItsScaleIsKnownAndIsLearntInItsScaledValue() {
        Learner l = new Learner(Specs.logistic("m", 100, 1000));
        l.learn(numeric(5, 10), 1.0, 1.0);
        l.learn(numeric(5, 20), 1.0, 1.0);
        assertEquals(0.0, l.weight(5), "scaled value 0 while there was no spread: no gradient");
        double before = l.predict(numeric(5, 30));
        double bias = l.weight(BIAS);
        l.learn(numeric(5, 30), 0.0, 1.0); // scaled (30 - 15) / 5 = 3
        // gradient p - y = before on the scaled value 3: n = 9 before^2, sigma = 3 before / 0.5, z = 3 before
        double g = 3 * before;
        assertEquals(-g / ((1 + Math.abs(g)) / 0.5), l.weight(5), EPS);
        assertTrue(l.weight(BIAS) < bias);
    }

    @Test
    void squaredLossLearnsInTheLabelsStandardScaleAndPredictsInItsOwn() {
        ModelSpec spec = Specs.squared("m", ModelSpec.OptimizerKind.FTRL);
        Learner l = new Learner(spec);
        assertEquals(0.0, l.predict(numeric(1, 5)), "nothing learnt: 0");
        Random r = new Random(3);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < 20_000; i++) {
            double x = 50 + 10 * r.nextGaussian();
            double y = 1000 + 30 * x + 5 * r.nextGaussian(); // the label's scale: thousands
            double p = l.learn(numeric(1, x), y, 1.0);
            if (i >= 15_000) {
                sum += (p - y) * (p - y);
                n++;
            }
        }
        double rmse = Math.sqrt(sum / n);
        assertTrue(rmse < 10, "prequential RMSE on the last 5,000: " + rmse + " (noise 5, label deviation 300)");
        assertEquals(1000 + 30 * 60, l.predict(numeric(1, 60)), 15);
    }

    @Test
    void extremeButAcceptedValuesNeverMakeAWeightOrAScoreNonFinite() {
        for (ModelSpec.OptimizerKind kind : ModelSpec.OptimizerKind.values()) {
            for (ModelSpec spec : new ModelSpec[] {
                Specs.squared("m", kind),
                Specs.logistic("m", 10, 100).toBuilder()
                        .set(ModelOptions.OPTIMIZER, kind)
                        .set(ModelOptions.LEARNING_RATE, 0.1)
                        .build()
            }) {
                if (kind == ModelSpec.OptimizerKind.RLS && spec.loss() != Loss.SQUARED) {
                    continue; // least squares is for squared loss only
                }
                Learner l = new Learner(spec);
                Random r = new Random(1);
                for (int i = 0; i < 2000; i++) {
                    boolean extreme = i % 97 == 0 || i < 3;
                    double x = extreme ? (i % 2 == 0 ? 1e30 : -1e30) : r.nextGaussian();
                    double label = spec.loss() == Loss.SQUARED ? (extreme ? -1e30 : x) : (x > 0 ? 1 : 0);
                    double p = l.learn(
                            new Features(new int[] {i % 5}, new int[] {10, 11}, new double[] {x, 1e30}),
                            label,
                            extreme ? 1000 : 1);
                    assertTrue(Double.isFinite(p), kind + " " + spec.loss() + " example " + i + ": " + p);
                }
                for (int c = 0; c < l.dimension(); c++) {
                    assertTrue(Double.isFinite(l.weight(c)), kind + " weight " + c);
                }
            }
        }
    }

    @Test
    void stateRoundTripContinuesExactlyAndABatchStateSeedsTheOptimizer() {
        for (ModelSpec.OptimizerKind kind : ModelSpec.OptimizerKind.values()) {
            ModelSpec spec = Specs.squared("m", kind).toBuilder()
                    .set(ModelOptions.FORGET_HALF_LIFE, 50L)
                    .build();
            Learner a = new Learner(spec);
            Random r = new Random(7);
            for (int i = 0; i < 300; i++) {
                a.learn(example(r), r.nextGaussian(), 1.0);
            }
            Learner b = new Learner(spec);
            b.load(a.state());
            Random ra = new Random(9);
            Random rb = new Random(9);
            for (int i = 0; i < 300; i++) {
                double y = ra.nextGaussian();
                rb.nextGaussian();
                assertEquals(a.learn(example(ra), y, 1.0), b.learn(example(rb), y, 1.0), 0.0, kind + " example " + i);
            }
            for (int c = 0; c < a.dimension(); c++) {
                assertEquals(a.weight(c), b.weight(c), 0.0, kind + " weight " + c);
            }

            ModelState batch = a.state();
            batch.optimizerArrays = 0;
            batch.optimizerState = new double[0];
            Learner warm = new Learner(spec);
            warm.load(batch);
            Features f = example(new Random(11));
            assertEquals(a.predict(f), warm.predict(f), EPS, kind + ": a batch model is served as it is");
        }
    }

    private static Features example(Random r) {
        return new Features(
                new int[] {r.nextInt(8)}, new int[] {20, 21}, new double[] {r.nextGaussian() * 100, r.nextDouble()});
    }

    @Test
    void aFakeNegativeReleaseIsLearntWeightedByTheLearnersOwnPrediction() {
        Learner fake = new Learner(Specs.logistic("m", 100, 1000));
        Learner twin = new Learner(Specs.logistic("m", 100, 1000));
        Random r = new Random(5);
        for (int i = 0; i < 200; i++) {
            Features f = Features.categorical(r.nextInt(6));
            double y = r.nextInt(4) == 0 ? 1 : 0;
            double p = twin.predict(f);
            assertEquals(p, fake.learnFakeNegative(f, y, 2.0), 0.0, "it returns the prediction before learning");
            twin.learn(f, y, 2.0 * (y > 0 ? 1 + p : (1 - p) * (1 + p)));
        }
        for (int c = 0; c < 6; c++) {
            assertEquals(twin.weight(c), fake.weight(c), 0.0);
        }
    }

    @Test
    void itServesItsPredictionsThroughItsCalibrationAndBitForBitWithoutOne() {
        Learner l = new Learner(Specs.logistic("m", 100, 1000));
        Random r = new Random(3);
        for (int i = 0; i < 100; i++) {
            l.learn(example(r), r.nextInt(3) == 0 ? 1 : 0, 1.0);
        }
        Features f = example(r);
        double p = l.predict(f);
        assertEquals(Double.doubleToLongBits(p), Double.doubleToLongBits(l.serve(f)));
        double margin = Math.log(p / (1 - p));
        for (int i = 0; i < 50; i++) {
            l.calibrate(margin, 0);
        }
        Calibration c = l.calibration();
        assertEquals(50, c.labels);
        assertTrue(c.offset < 0, "fifty negatives at this margin lower it: " + c);
        assertEquals(Loss.LOGISTIC.predict(c.slope * margin + c.offset), l.serve(f), 1e-12);
        assertEquals(p, l.predict(f), 0.0, "what it learns from is not calibrated");

        ModelState state = l.state();
        Learner restored = new Learner(Specs.logistic("m", 100, 1000));
        restored.load(state);
        assertEquals(l.serve(f), restored.serve(f), 0.0, "the calibration is part of its state");
        state.calibration.slope = 3;
        assertEquals(c.slope, l.calibration().slope, 0.0, "a state is a copy");
    }

    @Test
    void aWeightedExampleMovesTheModelAsMuchAsTheGradientClipAllows() {
        // FTRL's first step on a coordinate is alpha g / (beta + |g|): g = slope, clipped to 10 (the default)
        Learner heavy = new Learner(Specs.logistic("m", 100, 1000));
        heavy.learn(Features.categorical(3), 1.0, 1000.0); // slope -0.5 x 1000 = -500, clipped to -10
        Learner atTheClip = new Learner(Specs.logistic("m", 100, 1000));
        atTheClip.learn(Features.categorical(3), 1.0, 20.0); // slope -0.5 x 20 = -10
        assertEquals(atTheClip.weight(3), heavy.weight(3), EPS);
        assertEquals(0.5 * 10 / (1 + 10), heavy.weight(3), EPS);
    }

    @Test
    void aStepThatWouldLeaveANonFiniteValueIsUndoneAndReported() {
        ModelSpec spec = Specs.logistic("m", 100, 1000);
        Optimizer ftrl = Optimizers.create(spec);
        // an optimizer that breaks on feature 7: the learner must not keep what it did
        Optimizer breaking = new Optimizer() {
            @Override
            public void step(int[] coords, int[] rows, double[] values, int count, double lossSlope, double weight) {
                ftrl.step(coords, rows, values, count, lossSlope, weight);
                for (int k = 0; k < count; k++) {
                    if (coords[k] == 7) {
                        CoordinateTable t = ftrl.columns().table();
                        t.values()[ftrl.stride() * t.rowOf(7) + 1] = Double.POSITIVE_INFINITY;
                        t.values()[ftrl.stride() * t.rowOf(BIAS)] = Double.NaN;
                    }
                }
            }

            @Override
            public TableColumns columns() {
                return ftrl.columns();
            }

            @Override
            public int stride() {
                return ftrl.stride();
            }

            @Override
            public long steps() {
                return ftrl.steps();
            }

            @Override
            public void restoreSteps(long steps) {
                ftrl.restoreSteps(steps);
            }

            @Override
            public void seed() {}
        };
        Learner l = new Learner(spec, breaking);
        l.learn(Features.categorical(3), 1.0, 1.0);
        assertFalse(l.lastUpdateRefused());
        ModelState before = l.state();
        double scoreBefore = l.predict(Features.categorical(7));

        double scored = l.learn(Features.categorical(7), 1.0, 1.0);

        assertTrue(l.lastUpdateRefused());
        assertEquals(scoreBefore, scored, EPS, "the example was still scored");
        ModelState after = l.state();
        assertArrayEquals(before.coords, after.coords);
        assertArrayEquals(before.weights, after.weights);
        assertArrayEquals(before.optimizerState, after.optimizerState);
        assertEquals(before.optimizerSteps, after.optimizerSteps);
        assertEquals(0, l.drainChanged().coords.length - 2, "only the first example's two weights changed");
        l.learn(Features.categorical(3), 0.0, 1.0);
        assertFalse(l.lastUpdateRefused(), "the next example learns as usual");
    }

    @Test
    void aLearnerThatLeavesCrossesOutLearnsAsAModelWithoutThemAndIsServedAsItScores() {
        ModelSpec plain = Specs.logistic("ctr", 100, 1000);
        ModelSpec crossed = plain.toBuilder()
                .set(ModelOptions.CROSSES, Crosses.TYPE.parse("user*genre,user*age"))
                .build();
        ModelSpec leftOut = crossed.learner(new Challenger("nocross", Map.of(ModelOptions.CROSSES_USE.key, "false")));
        EventParser plainParser = new EventParser(Map.of("ctr", plain), InputLimits.defaults(), "in");
        EventParser crossedParser = new EventParser(Map.of("ctr", crossed), InputLimits.defaults(), "in");
        Learner withoutCrosses = new Learner(plain);
        Learner leavingOut = new Learner(leftOut);
        Learner withCrosses = new Learner(crossed);
        Random random = new Random(7);
        double largestGap = 0;
        for (int i = 0; i < 2000; i++) {
            int user = random.nextInt(20);
            int genre = random.nextInt(4);
            String event = "{\"model\":\"ctr\",\"label\":" + ((user + genre) % 3 == 0 ? 1 : 0)
                    + ",\"features\":{\"user\":\"u" + user + "\",\"genre\":\"g" + genre + "\",\"age\":"
                    + (20 + user) + "}}";
            Features own = plainParser.parseLabeled(event).value().features;
            Features all = crossedParser.parseLabeled(event).value().features;
            assertEquals(withoutCrosses.learn(own, own.size() % 2, 1.0), leavingOut.learn(all, own.size() % 2, 1.0));
            largestGap = Math.max(largestGap, Math.abs(withCrosses.predict(all) - withoutCrosses.predict(own)));
            withCrosses.learn(all, own.size() % 2, 1.0);
            // served: every weight of its table (the crosses' are 0), the request's crosses included
            CoordinateTable weights = new CoordinateTable(leavingOut.dimension(), 1);
            for (int c = 0; c < leavingOut.dimension(); c++) {
                int row = weights.rowFor(c);
                weights.values()[row] = leavingOut.weight(c);
            }
            assertEquals(
                    leavingOut.predict(all),
                    LinearScorer.predict(Loss.LOGISTIC, weights, leftOut.biasIndex(), leavingOut.scaler(), all),
                    EPS);
        }
        assertTrue(largestGap > 0.01, "the learner with crosses learns otherwise: " + largestGap);
    }
}
