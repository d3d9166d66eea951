package dev.streamlearn.outcomes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.datasets.ClickStream;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.ingest.EventParser;
import dev.streamlearn.ingest.InputLimits;
import dev.streamlearn.metrics.Auc;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.records.Example;
import dev.streamlearn.training.Learner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Why {@link AttributionWindow.Release#WINDOW_END} is the default: the job's learner, trained on
 * the generated click stream in the order each release policy hands examples to the trainer, then
 * scored on the events that follow. Released at the window's end, the order is the stream's own;
 * released at the outcome, positives come a window ahead of the negatives of their time, and the
 * stream's timestamp-like feature stands in for the label.
 */
class ReleaseOrderTest {

    private static final int EVENTS = 6000;
    private static final int HELD_OUT = 2000;
    private static final long WINDOW_MILLIS = 30_000;
    private static final long MEDIAN_DELAY_MILLIS = 2_000;

    @Test
    void releasingPositivesAtOnceTeachesTheModelTimeInsteadOfClicks() {
        ClickStream.Spec spec = new ClickStream.Spec();
        List<DatasetEvent> events = new ClickStream(spec).take(EVENTS + HELD_OUT);
        ModelSpec model = ModelSpec.builder(spec.model).build();
        EventParser parser = new EventParser(Map.of(spec.model, model), InputLimits.defaults(), "test");
        List<Example> examples = new ArrayList<>();
        for (DatasetEvent e : events) {
            examples.add(parser.parseLabeled(e.json).value());
        }
        SplittableRandom random = new SplittableRandom(3);
        long[] atOutcome = new long[EVENTS];
        long[] atWindowEnd = new long[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            long ts = events.get(i).ts;
            atWindowEnd[i] = ts + WINDOW_MILLIS;
            atOutcome[i] = examples.get(i).label == 1
                    ? ts + Math.round(MEDIAN_DELAY_MILLIS * Math.exp(random.nextGaussian()))
                    : atWindowEnd[i];
        }
        double[] inTimeOrder = heldOut(model, examples, order(i -> events.get(i).ts));
        double[] windowEnd = heldOut(model, examples, order(i -> atWindowEnd[i]));
        double[] outcome = heldOut(model, examples, order(i -> atOutcome[i]));
        System.out.printf(
                "release order, held-out AUC / log loss: stream's own order %.3f / %.4f, window-end %.3f / %.4f,"
                        + " outcome %.3f / %.4f%n",
                inTimeOrder[0], inTimeOrder[1], windowEnd[0], windowEnd[1], outcome[0], outcome[1]);
        assertEquals(inTimeOrder[0], windowEnd[0], 1e-12, "window-end hands the trainer the stream in its own order");
        assertTrue(outcome[0] < inTimeOrder[0] - 0.05, "at the outcome, the ranking suffers: " + outcome[0]);
        assertTrue(outcome[1] > inTimeOrder[1] * 1.1, "and so does the log loss: " + outcome[1]);
    }

    private interface ReleaseTime {
        long of(int event);
    }

    private static int[] order(ReleaseTime release) {
        Integer[] order = new Integer[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(release::of)); // stable: ties keep the stream's order
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    /** Held-out AUC and log loss of the learner trained on the first events in the given order. */
    private static double[] heldOut(ModelSpec model, List<Example> examples, int[] order) {
        Learner learner = new Learner(model);
        for (int i : order) {
            Example x = examples.get(i);
            learner.learn(x.features, x.label, x.weight);
        }
        double[] scores = new double[HELD_OUT];
        double[] labels = new double[HELD_OUT];
        double loss = 0;
        for (int k = 0; k < HELD_OUT; k++) {
            Example x = examples.get(EVENTS + k);
            scores[k] = learner.predict(x.features);
            labels[k] = x.label;
            loss += Loss.LOGISTIC.loss(scores[k], labels[k]) / HELD_OUT;
        }
        return new double[] {Auc.of(scores, labels), loss};
    }
}
