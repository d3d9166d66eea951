package dev.streamlearn.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamlearn.features.ScalerState;
import dev.streamlearn.model.ModelState;
import dev.streamlearn.records.Example;
import dev.streamlearn.testing.Examples;
import dev.streamlearn.testing.Specs;
import dev.streamlearn.training.Learner;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShardedRunTest {

    private static ModelState state(int[] coords, double[] weights, double[] optimizer, long steps) {
        ModelState s = new ModelState();
        s.coords = coords;
        s.weights = weights;
        s.optimizerArrays = 1;
        s.optimizerState = optimizer;
        s.optimizerSteps = steps;
        s.scale = ScalerState.empty();
        return s;
    }

    @Test
    void oneLearnerIsTheLearnerItself() {
        List<Example> examples = new ArrayList<>();
        Random r = new Random(4);
        for (int i = 0; i < 500; i++) {
            examples.add(Examples.categorical(r.nextInt(3) == 0 ? 1 : 0, r.nextInt(20), 20 + r.nextInt(5)));
        }
        ShardedRun.Result one =
                ShardedRun.run(Specs.logistic("m", 10, 100), examples, 1, Integer.MAX_VALUE, ShardedRun.Merge.AVERAGE);
        Learner alone = new Learner(Specs.logistic("m", 10, 100));
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            assertEquals(
                    alone.learn(e.features, e.label, e.weight), one.scores().prediction(i), 0.0);
        }
        assertEquals(0, one.merges());
    }

    @Test
    void theSumOfChangesCountsEachLearnersChangeOnceAndTheAverageOneKth() {
        ModelState base = state(new int[] {1}, new double[] {1.0}, new double[] {4.0}, 10);
        ModelState a = state(new int[] {1, 2}, new double[] {1.5, 0.5}, new double[] {5.0, 1.0}, 13);
        ModelState b = state(new int[] {1, 3}, new double[] {0.5, -1.0}, new double[] {6.0, 2.0}, 12);
        ModelState sum = ShardedRun.merged(base, new ModelState[] {a, b}, ShardedRun.Merge.SUM_OF_CHANGES);
        assertArrayEquals(new int[] {1, 2, 3}, sum.coords);
        assertArrayEquals(new double[] {1.0, 0.5, -1.0}, sum.weights, 1e-12, "1 + 0.5 - 0.5 at coordinate 1");
        assertArrayEquals(new double[] {7.0, 1.0, 2.0}, sum.optimizerState, 1e-12, "4 + 1 + 2");
        assertEquals(15, sum.optimizerSteps, "10 + 3 + 2");
        ModelState mean = ShardedRun.merged(base, new ModelState[] {a, b}, ShardedRun.Merge.AVERAGE);
        assertArrayEquals(new double[] {1.0, 0.25, -0.5}, mean.weights, 1e-12);
        assertArrayEquals(new double[] {5.5, 0.5, 1.0}, mean.optimizerState, 1e-12);
        assertEquals(13, mean.optimizerSteps);
    }

    @Test
    void scalingStatisticsMergeThroughTheSumsTheyStandFor() {
        ModelState base = state(new int[0], new double[0], new double[0], 0);
        ModelState a = state(new int[0], new double[0], new double[0], 0);
        ModelState b = state(new int[0], new double[0], new double[0], 0);
        a.scale = new ScalerState(new int[] {7}, new double[] {2}, new double[] {1.0}, new double[] {0.0});
        b.scale = new ScalerState(new int[] {7}, new double[] {2}, new double[] {3.0}, new double[] {0.0});
        ScalerState m = ShardedRun.merged(base, new ModelState[] {a, b}, ShardedRun.Merge.SUM_OF_CHANGES).scale;
        assertEquals(4, m.counts[0], 1e-12);
        assertEquals(2.0, m.means[0], 1e-12);
        assertEquals(1.0, m.variances[0], 1e-12, "values 1, 1, 3, 3 about their mean 2");
    }
}
