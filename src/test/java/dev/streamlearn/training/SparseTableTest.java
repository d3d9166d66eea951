package dev.streamlearn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelSpec.OptimizerKind;
import dev.streamlearn.model.ModelState;
import dev.streamlearn.model.SparseWeights;
import dev.streamlearn.model.TableColumns;
import dev.streamlearn.records.Features;
import dev.streamlearn.testing.Specs;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A learner whose table holds only the coordinates it has learns, scores, drains and snapshots
 * to the last bit as the same learner with a plain table of every coordinate, for every optimizer,
 * while its table grows and when it turns plain itself; and learners that share one table, as a
 * model's champion and challengers do, as each in a table of its own.
 */
class SparseTableTest {

    @Test
    void everyOptimizerLearnsAndScoresBitForBitAsWithAPlainTable() {
        for (OptimizerKind kind : OptimizerKind.values()) {
            Loss loss = kind == OptimizerKind.RLS ? Loss.SQUARED : Loss.LOGISTIC;
            for (int bits : new int[] {16, 10}) {
                ModelSpec spec = (loss == Loss.SQUARED ? Specs.squared("m", kind) : Specs.logistic("m", 10, 1000))
                        .toBuilder()
                                .set(ModelOptions.OPTIMIZER, kind)
                                .set(ModelOptions.HASH_BITS, bits)
                                .set(ModelOptions.L1, kind == OptimizerKind.RLS ? 0.0 : 0.01)
                                .build();
                Optimizer plainOptimizer = Optimizers.create(spec);
                plainOptimizer.columns().table().becomeDense();
                Learner plain = new Learner(spec, plainOptimizer);
                Optimizer sparseOptimizer = Optimizers.create(spec);
                Learner sparse = new Learner(spec, sparseOptimizer);
                Random r = new Random(bits);
                // 2^16: a few thousand coordinates used, the table stays sparse; 2^10: it turns plain
                int used = kind == OptimizerKind.RLS ? (bits == 10 ? 400 : 200) : 3_000;
                for (int i = 0; i < 4_000; i++) {
                    Features f = features(r, spec.dimension() - 1, used);
                    double label = loss == Loss.SQUARED ? 3 + r.nextGaussian() : r.nextInt(2);
                    String at = kind + " 2^" + bits + " example " + i;
                    assertBits(plain.predict(f), sparse.predict(f), at);
                    assertBits(plain.learn(f, label, 1.0), sparse.learn(f, label, 1.0), at);
                    if (i % 100 == 99) {
                        SparseWeights a = plain.drainChanged();
                        SparseWeights b = sparse.drainChanged();
                        assertArrayEquals(a.coords, b.coords, at);
                        assertArrayEquals(a.values, b.values, 0.0, at);
                    }
                }
                assertEquals(bits == 10, sparseOptimizer.columns().table().isDense(), kind + " 2^" + bits);
                assertState(plain.state(), sparse.state(), kind + " 2^" + bits);
                SparseWeights a = plain.nonZeroWeights();
                SparseWeights b = sparse.nonZeroWeights();
                assertArrayEquals(a.coords, b.coords);
                assertArrayEquals(a.values, b.values, 0.0);

                // a learner restored from the sparse one's state goes on as the plain one does
                Learner restored = new Learner(spec, Optimizers.create(spec));
                restored.load(sparse.state());
                for (int i = 0; i < 200; i++) {
                    Features f = features(r, spec.dimension() - 1, used);
                    double label = loss == Loss.SQUARED ? 3 + r.nextGaussian() : r.nextInt(2);
                    assertBits(plain.learn(f, label, 1.0), restored.learn(f, label, 1.0), kind + " restored " + i);
                }
            }
        }
    }

    @Test
    void aModelOfFiveThousandCoordinatesOfAMillionTakesAFractionOfThePlainTable() {
        ModelSpec spec = Specs.logistic("m", 10, 1000).toBuilder()
                .set(ModelOptions.HASH_BITS, 20)
                .build();
        Optimizer optimizer = Optimizers.create(spec);
        Learner learner = new Learner(spec, optimizer);
        Random r = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            learner.learn(features(r, spec.dimension() - 1, 5_000), r.nextInt(2), 1.0);
        }
        assertFalse(optimizer.columns().table().isDense());
        long plain = 8L * optimizer.stride() * spec.dimension();
        assertTrue(learner.tableBytes() * 40 < plain, learner.tableBytes() + " bytes against " + plain);
    }

    @Test
    void learnersInOneTableLearnScoreAndLoadBitForBitAsEachInATableOfItsOwn() {
        ModelSpec logistic = Specs.logistic("m", 10, 1000).toBuilder()
                .set(ModelOptions.HASH_BITS, 16)
                .set(ModelOptions.L1, 0.01)
                .build();
        ModelSpec squared = Specs.squared("s", OptimizerKind.FTRL).toBuilder()
                .set(ModelOptions.HASH_BITS, 9)
                .build();
        assertLearnAsAlone(List.of(
                logistic,
                logistic.toBuilder().set(ModelOptions.FORGET_HALF_LIFE, 100L).build(),
                logistic.toBuilder().set(ModelOptions.SCALE_LOG, List.of("*")).build(),
                logistic.toBuilder()
                        .set(ModelOptions.OPTIMIZER, OptimizerKind.ADAGRAD)
                        .build(),
                logistic.toBuilder()
                        .set(ModelOptions.OPTIMIZER, OptimizerKind.SGD)
                        .build()));
        // a series' automatic learners, in a space small enough that the shared table turns plain
        assertLearnAsAlone(List.of(
                squared,
                squared.toBuilder()
                        .set(ModelOptions.OPTIMIZER, OptimizerKind.RLS)
                        .build()));
    }

    /**
     * The learners of the specs, each in a table of its own and all in one, learn the same examples
     * (in the shared table, the rows the first finds for an example serve all); the first of each
     * kind drains its changes, as a champion does. Then the second is loaded
     * with its own earlier state: the others in the shared table keep theirs.
     */
    private static void assertLearnAsAlone(List<ModelSpec> specs) {
        int n = specs.size();
        TableColumns[] columns = Optimizers.sharedColumns(specs);
        ExampleRows rows = new ExampleRows();
        Learner[] alone = new Learner[n];
        Learner[] shared = new Learner[n];
        for (int k = 0; k < n; k++) {
            alone[k] = new Learner(specs.get(k));
            shared[k] = new Learner(specs.get(k), columns[k], rows, k == 0 ? null : shared[0].changes());
            alone[k].trackChanges(k == 0, k == 0);
            shared[k].trackChanges(k == 0, k == 0);
        }
        boolean squared = specs.get(0).loss() == Loss.SQUARED;
        int used = squared ? 300 : 3_000;
        Random r = new Random(n);
        ModelState earlier = null;
        for (int i = 0; i < 4_000; i++) {
            Features f = features(r, specs.get(0).dimension() - 1, used);
            double label = squared ? 3 + r.nextGaussian() : r.nextInt(2);
            rows.nextExample();
            for (int k = 0; k < n; k++) {
                String at = "learner " + k + " example " + i;
                assertBits(alone[k].predict(f), shared[k].predict(f), at);
                assertBits(alone[k].learn(f, label, 1.0), shared[k].learn(f, label, 1.0), at);
            }
            if (i % 100 == 99) {
                SparseWeights a = alone[0].drainChanged();
                SparseWeights b = shared[0].drainChanged();
                assertArrayEquals(a.coords, b.coords, "example " + i);
                assertArrayEquals(a.values, b.values, 0.0, "example " + i);
            }
            if (i == 1_000) {
                earlier = alone[1].state();
            }
        }
        assertEquals(squared, columns[0].table().isDense(), "a table of 2^9 coordinates turns plain, of 2^16 not");
        alone[1].load(earlier);
        shared[1].load(earlier);
        for (int k = 0; k < n; k++) {
            assertState(alone[k].state(), shared[k].state(), "learner " + k + " after learner 1 was loaded");
            SparseWeights a = alone[k].nonZeroWeights();
            SparseWeights b = shared[k].nonZeroWeights();
            assertArrayEquals(a.coords, b.coords);
            assertArrayEquals(a.values, b.values, 0.0);
        }
        Features f = features(r, specs.get(0).dimension() - 1, used);
        rows.nextExample();
        assertBits(alone[1].learn(f, 1.0, 1.0), shared[1].learn(f, 1.0, 1.0), "the loaded learner goes on");
    }

    /** Up to 20 categorical and 3 numeric features among the first {@code used} of a spread of coordinates. */
    private static Features features(Random r, int dimension, int used) {
        int[] categorical = new int[1 + r.nextInt(20)];
        for (int k = 0; k < categorical.length; k++) {
            categorical[k] = spread(r.nextInt(used), dimension);
        }
        int[] numeric = new int[r.nextInt(4)];
        double[] values = new double[numeric.length];
        for (int k = 0; k < numeric.length; k++) {
            numeric[k] = spread(used + k, dimension);
            values[k] = r.nextGaussian() * 10;
        }
        return new Features(categorical, numeric, values);
    }

    /** The i-th coordinate of a model, scattered over its space as hashing scatters them. */
    private static int spread(int i, int dimension) {
        return (int) ((i * 2_654_435_761L) % dimension);
    }

    private static void assertBits(double expected, double actual, String at) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual), at);
    }

    private static void assertState(ModelState a, ModelState b, String at) {
        assertArrayEquals(a.coords, b.coords, at);
        assertArrayEquals(a.weights, b.weights, 0.0, at);
        assertArrayEquals(a.optimizerState, b.optimizerState, 0.0, at);
        assertArrayEquals(a.optimizerGlobal, b.optimizerGlobal, 0.0, at);
        assertEquals(a.optimizerSteps, b.optimizerSteps, at);
    }
}
