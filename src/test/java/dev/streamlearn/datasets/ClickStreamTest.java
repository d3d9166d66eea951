package dev.streamlearn.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.ingest.EventParser;
import dev.streamlearn.ingest.InputLimits;
import dev.streamlearn.metrics.Auc;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.records.Example;
import dev.streamlearn.training.Learner;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated click stream has the truth it claims: the job's learner finds the effects it was drawn from. */
class ClickStreamTest {

    private static final int CATEGORICALS_CHECKED = 5;
    /** The most frequent values of each (Zipf): enough examples each to learn from. */
    private static final int VALUES_CHECKED = 20;

    @Test
    void theJobsLearnerRecoversTheKnownCategoricalEffects() {
        double[][] learned = learnedAndTrue(new ClickStream.Spec(), 300_000);
        double r = correlation(learned[0], learned[1]);
        assertTrue(r > 0.8, "learnt effects against the true ones: correlation " + r);
    }

    @Test
    void afterADriftTheOldEffectsNoLongerHold() {
        ClickStream.Spec spec = new ClickStream.Spec();
        spec.driftAt.add(1000L);
        ClickStream stream = new ClickStream(spec);
        ClickStream.Truth before = stream.truth();
        stream.take(1001);
        ClickStream.Truth after = stream.truth();
        assertNotEquals(before.bias, after.bias);
        double r = correlation(effects(before), effects(after));
        assertTrue(Math.abs(r) < 0.5, "new effects are drawn anew, not kept: correlation " + r);
    }

    @Test
    void duringAGradualDriftWhatWasLearntHoldsLessAndLess() {
        ClickStream.Spec spec = new ClickStream.Spec();
        spec.gradualDrift.add(new ClickStream.Gradual(100_000, 200_000));
        ClickStream stream = new ClickStream(spec);
        ModelSpec model = ModelSpec.builder(spec.model).build();
        EventParser parser = new EventParser(Map.of(spec.model, model), InputLimits.defaults(), "test");
        Learner learner = new Learner(model);
        for (DatasetEvent e : stream.take(100_000)) {
            Example x = parser.parseLabeled(e.json).value();
            learner.learn(x.features, x.label, x.weight);
        }
        ClickStream.Truth before = stream.truth();
        // the model learnt before the drift ranks each fifth of it, and what follows, without learning more
        // (AUC, not log loss: halfway the blended log-odds are flatter and the labels easier to guess)
        double[] auc = new double[6];
        for (int part = 0; part < auc.length; part++) {
            double[] scores = new double[20_000];
            double[] labels = new double[scores.length];
            int i = 0;
            for (DatasetEvent e : stream.take(scores.length)) {
                Example x = parser.parseLabeled(e.json).value();
                scores[i] = learner.predict(x.features);
                labels[i++] = x.label;
            }
            auc[part] = Auc.of(scores, labels);
        }
        for (int part = 1; part < 5; part++) {
            assertTrue(auc[part] < auc[part - 1], "AUC falls through the drift: " + Arrays.toString(auc));
        }
        assertTrue(auc[5] < auc[4] + 0.01, "and stays down after it: " + Arrays.toString(auc));
        assertTrue(auc[0] - auc[5] > 0.15, "the new truth is another: " + Arrays.toString(auc));
        assertNotEquals(before.bias, stream.truth().bias, "after the drift the labels follow the new truth");
    }

    @Test
    void theSameSeedGivesTheSameStream() {
        assertEquals(
                new ClickStream(new ClickStream.Spec())
                        .take(50).stream().map(e -> e.json).toList(),
                new ClickStream(new ClickStream.Spec())
                        .take(50).stream().map(e -> e.json).toList());
    }

    /** The learnt and the true effects of the frequent values, each centred within its categorical. */
    private static double[][] learnedAndTrue(ClickStream.Spec spec, int events) {
        ClickStream stream = new ClickStream(spec);
        ModelSpec model = ModelSpec.builder(spec.model).build();
        EventParser parser = new EventParser(Map.of(spec.model, model), InputLimits.defaults(), "test");
        Learner learner = new Learner(model);
        for (DatasetEvent e : stream.take(events)) {
            Example x = parser.parseLabeled(e.json).value();
            learner.learn(x.features, x.label, x.weight);
        }
        FeatureHasher hasher = new FeatureHasher(model.hashBits());
        double[] learnt = new double[CATEGORICALS_CHECKED * VALUES_CHECKED];
        double[] truth = effects(stream.truth());
        for (int c = 0; c < CATEGORICALS_CHECKED; c++) {
            for (int v = 0; v < VALUES_CHECKED; v++) {
                String value = Integer.toHexString(v * 0x2545F491 + c); // as ClickStream writes it
                learnt[c * VALUES_CHECKED + v] = learner.weight(hasher.categoricalIndex("c" + (c + 1), value));
            }
        }
        centreWithinCategoricals(learnt);
        return new double[][] {learnt, truth};
    }

    private static double[] effects(ClickStream.Truth truth) {
        double[] e = new double[CATEGORICALS_CHECKED * VALUES_CHECKED];
        for (int c = 0; c < CATEGORICALS_CHECKED; c++) {
            for (int v = 0; v < VALUES_CHECKED; v++) {
                e[c * VALUES_CHECKED + v] = truth.categoricalEffect(c, v);
            }
        }
        centreWithinCategoricals(e);
        return e;
    }

    /** One categorical's effects are known only up to a shift the bias takes: compare them centred. */
    private static void centreWithinCategoricals(double[] x) {
        for (int c = 0; c < CATEGORICALS_CHECKED; c++) {
            double mean = 0;
            for (int v = 0; v < VALUES_CHECKED; v++) {
                mean += x[c * VALUES_CHECKED + v] / VALUES_CHECKED;
            }
            for (int v = 0; v < VALUES_CHECKED; v++) {
                x[c * VALUES_CHECKED + v] -= mean;
            }
        }
    }

    private static double correlation(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] / a.length;
            mb += b[i] / b.length;
        }
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.sqrt(aa * bb);
    }
}
