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
import dev.streamlearn.records.Features;
import dev.streamlearn.testing.Specs;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A learner whose table holds only the coordinates it has learns, scores, drains and snapshots
 * to the last bit as the same learner with a plain table of every coordinate, for every optimizer,
 * while its table grows and when it turns plain itself.
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
                plainOptimizer.table().becomeDense();
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
                assertEquals(bits == 10, sparseOptimizer.table().isDense(), kind + " 2^" + bits);
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
        assertFalse(optimizer.table().isDense());
        long plain = 8L * optimizer.stride() * spec.dimension();
        assertTrue(learner.tableBytes() * 40 < plain, learner.tableBytes() + " bytes against " + plain);
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
