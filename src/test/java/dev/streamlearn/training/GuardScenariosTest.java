package dev.streamlearn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.datasets.BikeSharingEvents;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.ingest.EventParser;
import dev.streamlearn.ingest.InputLimits;
import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelSpec.GuardAction;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.records.Example;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Poisoning on a real stream (UCI bike sharing, busy hours): the trainer with its guard, as the
 * job runs it, scored prequentially. A burst starts after {@value #BURST_AT} examples and lasts
 * {@value #BURST} examples; the loss "after" is the mean log loss of the {@value #AFTER} examples
 * that follow the burst, "before" of the {@value #AFTER} before it. A run without poison learns
 * from 5,000 more true labels than any defence can, so the bar is the level before the burst.
 */
class GuardScenariosTest {

    static final int BURST_AT = 8000;
    static final int BURST = 5000;
    static final int AFTER = 2000;
    /** Versions are kept as the job keeps them every store.interval (10 s); here every 500 examples. */
    static final int STORE_EVERY = 500;

    static final ObjectMapper JSON = new ObjectMapper();
    static List<DatasetEvent> bike;

    @BeforeAll
    static void read() {
        bike = BikeSharingEvents.read(
                "bike", Path.of("src/data/bike_sharing/hour.csv"), BikeSharingEvents.Label.BUSY_HOUR);
    }

    /** What a run did: its guard events with the example at which each came, and the losses after the burst. */
    static final class Run {
        final List<GuardPolicy.Event> events = new ArrayList<>();
        final List<Integer> eventAt = new ArrayList<>();
        final Map<Long, Long> examplesTrainedByVersion = new HashMap<>();
        double lossBefore;
        double lossAfter;
        boolean frozenAtEnd;

        int firstAt(ModelLogEntry.Event event) {
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).event == event) {
                    return eventAt.get(i);
                }
            }
            return -1;
        }

        long count(ModelLogEntry.Event event) {
            return events.stream().filter(e -> e.event == event).count();
        }
    }

    static Run run(GuardAction action, UnaryOperator<DatasetEvent> poison) {
        return run(action, poison, bike);
    }

    static Run run(GuardAction action, UnaryOperator<DatasetEvent> poison, List<DatasetEvent> events) {
        return run(action, poison, events, false);
    }

    /** With {@code operatorFreezes}, an operator also freezes the model by command as soon as the guard has. */
    static Run run(
            GuardAction action,
            UnaryOperator<DatasetEvent> poison,
            List<DatasetEvent> events,
            boolean operatorFreezes) {
        ModelSpec spec =
                ModelSpec.builder("bike").set(ModelOptions.GUARD_ACTION, action).build();
        EventParser parser = new EventParser(Map.of("bike", spec), InputLimits.defaults(), "labeled");
        ModelTrainer trainer = new ModelTrainer(spec);
        Run run = new Run();
        double[] last = new double[1];
        trainer.onScored((prediction, label) -> last[0] = prediction);
        int end = BURST_AT + BURST + AFTER;
        for (int i = 0; i < end; i++) {
            DatasetEvent event = i >= BURST_AT && i < BURST_AT + BURST ? poison.apply(events.get(i)) : events.get(i);
            Example e = parser.parseLabeled(event.json).value();
            if (trainer.add(e, i)) {
                trainer.applyBatch();
            }
            for (GuardPolicy.Event g : trainer.guard().drainEvents()) {
                run.events.add(g);
                run.eventAt.add(i);
                if (operatorFreezes && g.event == ModelLogEntry.Event.FREEZE) {
                    trainer.freeze();
                }
            }
            double loss = spec.loss().loss(last[0], e.label) / AFTER;
            if (i >= BURST_AT + BURST) {
                run.lossAfter += loss;
            } else if (i >= BURST_AT - AFTER && i < BURST_AT) {
                run.lossBefore += loss;
            }
            if ((i + 1) % STORE_EVERY == 0) {
                trainer.applyBatch();
                StoredModel stored = trainer.store(i);
                run.examplesTrainedByVersion.put(stored.version, stored.examplesTrained);
            }
        }
        run.frozenAtEnd = trainer.frozen();
        return run;
    }

    static DatasetEvent flipped(DatasetEvent e) {
        ObjectNode n = parse(e);
        n.put("label", 1 - e.label);
        return DatasetEvent.fromJson(n.toString(), null);
    }

    /** The feature "temp" stuck at an absurd value a broken sensor might send, far beyond any real one yet finite. */
    static DatasetEvent stuckSensor(DatasetEvent e) {
        ObjectNode n = parse(e);
        ((ObjectNode) n.get("features")).put("temp", 1e25);
        return DatasetEvent.fromJson(n.toString(), null);
    }

    private static ObjectNode parse(DatasetEvent e) {
        try {
            return (ObjectNode) JSON.readTree(e.json);
        } catch (JsonProcessingException x) {
            throw new IllegalStateException(x);
        }
    }

    @Test
    void withoutPoisonTheGuardStaysQuiet() {
        Run clean = run(GuardAction.ROLLBACK, e -> e);
        assertEquals(0, clean.events.size(), "no alarm on the clean stream: " + clean.eventAt);
    }

    @Test
    void flippedLabelsAreDetectedUndoneAndTheLossReturnsToItsLevelBefore() {
        Run clean = run(GuardAction.NONE, e -> e);
        Run unguarded = run(GuardAction.NONE, GuardScenariosTest::flipped);
        Run alert = run(GuardAction.ALERT, GuardScenariosTest::flipped);
        Run freeze = run(GuardAction.FREEZE, GuardScenariosTest::flipped);
        Run rollback = run(GuardAction.ROLLBACK, GuardScenariosTest::flipped);

        int detectedAfter = rollback.firstAt(ModelLogEntry.Event.ROLLBACK) - BURST_AT;
        int resumedAt = rollback.firstAt(ModelLogEntry.Event.RESUME);
        System.out.printf(
                "guard, %d flipped labels: detected after %d examples, resumed %d after the burst; log loss of the"
                        + " %d before %.4f; of the %d after: no guard %.4f, alert %.4f, freeze %.4f, rollback %.4f"
                        + " (a stream without the burst: %.4f)%n",
                BURST,
                detectedAfter,
                resumedAt - BURST_AT - BURST,
                AFTER,
                rollback.lossBefore,
                AFTER,
                unguarded.lossAfter,
                alert.lossAfter,
                freeze.lossAfter,
                rollback.lossAfter,
                clean.lossAfter);
        assertTrue(detectedAfter >= 0 && detectedAfter <= 200, "detected " + detectedAfter + " examples in");
        assertEquals(1, rollback.count(ModelLogEntry.Event.ROLLBACK), "one action, not a storm");
        Matcher target = Pattern.compile("back to v(\\d+),").matcher(rollback.events.get(0).reason);
        assertTrue(target.find(), rollback.events.get(0).reason);
        long examplesOfTarget = rollback.examplesTrainedByVersion.get(Long.parseLong(target.group(1)));
        assertTrue(
                examplesOfTarget <= BURST_AT
                        && examplesOfTarget > BURST_AT - STORE_EVERY - ModelOptions.GUARD_WINDOW.defaultValue,
                "to a version from before the burst, at most a window and a store interval before it: trained on "
                        + examplesOfTarget);
        assertTrue(
                resumedAt > BURST_AT + BURST && resumedAt < BURST_AT + BURST + AFTER,
                "learning resumes once the burst is over: " + resumedAt);
        assertTrue(rollback.lossAfter < rollback.lossBefore * 1.05, "rollback: " + rollback.lossAfter);
        // freeze keeps what was learnt before the burst was detected: the served blend leans on the learner that
        // forgets fastest, which took the most of those examples; rollback undoes them
        assertTrue(freeze.lossAfter < freeze.lossBefore * 1.25, "freeze: " + freeze.lossAfter);
        assertTrue(freeze.lossAfter < unguarded.lossAfter / 2, "freeze: " + freeze.lossAfter);
        assertEquals(1, freeze.count(ModelLogEntry.Event.FREEZE));
        // alert lets the model learn the flipped labels: the loss rises when the burst starts and again when it ends
        assertEquals(2, alert.count(ModelLogEntry.Event.ALARM));
        assertEquals(unguarded.lossAfter, alert.lossAfter, 1e-12, "an alert changes nothing in learning");
        assertTrue(unguarded.lossAfter > unguarded.lossBefore * 2, "the poison does harm: " + unguarded.lossAfter);
    }

    @Test
    void aFreezeByCommandWhileTheGuardHasFrozenTheModelOutlastsTheGuardsEpisode() {
        Run guardAlone = run(GuardAction.FREEZE, GuardScenariosTest::flipped, bike, false);
        assertEquals(
                1, guardAlone.count(ModelLogEntry.Event.RESUME), "the guard resumes learning once the loss is back");
        assertFalse(guardAlone.frozenAtEnd);

        Run operatorToo = run(GuardAction.FREEZE, GuardScenariosTest::flipped, bike, true);
        assertEquals(1, operatorToo.count(ModelLogEntry.Event.FREEZE));
        assertEquals(
                0, operatorToo.count(ModelLogEntry.Event.RESUME), "the operator's freeze is not the guard's to end");
        assertTrue(operatorToo.frozenAtEnd);
    }

    @Test
    void aStuckSensorIsAbsorbedByTheScaling() {
        Run clean = run(GuardAction.NONE, e -> e);
        Run stuck = run(GuardAction.ROLLBACK, GuardScenariosTest::stuckSensor);
        System.out.printf(
                "guard, temp stuck at 1e25 for %d examples: %d guard events; log loss of the next %d: clean %.4f,"
                        + " stuck %.4f%n",
                BURST, stuck.events.size(), AFTER, clean.lossAfter, stuck.lossAfter);
        // winsorized at scale.clip standard deviations before it enters the statistics, the value cannot drag them
        assertEquals(0, stuck.events.size(), "nothing to undo");
        assertTrue(stuck.lossAfter < clean.lossAfter * 1.02, "stuck: " + stuck.lossAfter);
    }

    @Test
    void oneExtremeRecordWithinTheLimitsMovesTheModelLikeAFewOrdinaryOnes() {
        Run clean = run(GuardAction.NONE, e -> e);
        // one record at the limits: weight 1000, a label against the hour and temp 1e29; then the stream as usual
        List<DatasetEvent> withOne = new ArrayList<>(bike);
        withOne.add(
                BURST_AT,
                DatasetEvent.fromJson(
                        "{\"model\":\"bike\",\"label\":1,\"weight\":1000,\"features\":{\"temp\":1e29,\"hr\":\"3\"}}",
                        null));
        Run one = run(GuardAction.ROLLBACK, e -> e, withOne);
        System.out.printf(
                "guard, one extreme record: log loss after %.4f, clean %.4f%n", one.lossAfter, clean.lossAfter);
        assertEquals(0, one.events.size(), "nothing for the guard to see");
        assertTrue(
                Math.abs(one.lossAfter - clean.lossAfter) < 0.01 * clean.lossAfter,
                one.lossAfter + " vs " + clean.lossAfter);
    }
}
