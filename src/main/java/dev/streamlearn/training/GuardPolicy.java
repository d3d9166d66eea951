package dev.streamlearn.training;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelSpec.GuardAction;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.StoredModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one model's guard does about its prequential loss: {@link LossGuard} says when the loss
 * rose, fell back or stayed up; this policy acts as {@code guard.action} says (an alarm, a
 * freeze, a rollback to the newest healthy recent version, then a freeze), resumes learning when
 * the episode ends, and keeps what it did for the adapter to send and log.
 */
public final class GuardPolicy {

    /** What the guard did, for the adapter to send (a rollback's update) and log. */
    public static final class Event {
        public final ModelLogEntry.Event event;
        public final String reason;
        /** The update that serves a rolled-back version; null for other events. */
        public final ModelUpdate update;

        Event(ModelLogEntry.Event event, String reason, ModelUpdate update) {
            this.event = event;
            this.reason = reason;
            this.update = update;
        }
    }

    private final ModelTrainer trainer;
    private final LossGuard guard;
    private final Loss loss;
    private final int window;
    private final int quiet;
    private final long maxEpisode;
    /** Whether the guard (not an operator) froze the model, so the guard may resume it. */
    private boolean frozeTheModel;

    private final List<Event> events = new ArrayList<>();

    GuardPolicy(ModelTrainer trainer, ModelSpec spec) {
        this.trainer = trainer;
        this.guard = new LossGuard(spec);
        this.loss = spec.loss();
        this.window = spec.get(ModelOptions.GUARD_WINDOW);
        this.quiet = spec.get(ModelOptions.GUARD_QUIET);
        this.maxEpisode = spec.get(ModelOptions.GUARD_MAX_EPISODE);
    }

    /** Watches one prequential score, by the loss learners are judged by ({@link Loss#judged}). */
    void scored(double prediction, double label, long nowMillis) {
        switch (guard.observe(loss.judged(prediction, label))) {
            case ALARM:
                alarm(nowMillis);
                break;
            case RECOVERED:
                resume("guard: the loss has been back under " + round(guard.threshold()) + " for " + quiet
                        + " examples");
                break;
            case ACCEPTED:
                resume("guard: the rise lasted " + maxEpisode + " examples; it is taken as the new normal and learnt");
                break;
            default:
                break;
        }
    }

    private void alarm(long nowMillis) {
        double ratio = guard.shortMean() / guard.referenceMean();
        guard.alarmed(nowMillis, ratio);
        String why = String.format(
                Locale.ROOT,
                "guard: mean loss of the last %d examples %.4g is %.2fx the reference %.4g",
                window,
                guard.shortMean(),
                ratio,
                guard.referenceMean());
        if (guard.action() == GuardAction.ALERT || trainer.frozen()) {
            guard.acted(GuardAction.ALERT);
            events.add(new Event(ModelLogEntry.Event.ALARM, why, null));
            return;
        }
        if (guard.action() == GuardAction.ROLLBACK) {
            StoredModel target = healthyVersionBefore(trainer.examplesTrained() - window);
            if (target != null) {
                ModelUpdate update = trainer.rollbackTo(target, nowMillis);
                guard.acted(GuardAction.ROLLBACK);
                freeze();
                events.add(new Event(
                        ModelLogEntry.Event.ROLLBACK,
                        why + "; back to v" + target.version + ", learning paused until the loss is back",
                        update));
                return;
            }
            why += "; no healthy version from before the rise among the recent ones";
        }
        guard.acted(GuardAction.FREEZE);
        freeze();
        events.add(new Event(ModelLogEntry.Event.FREEZE, why + "; learning paused until the loss is back", null));
    }

    private void freeze() {
        trainer.frozenByGuard(true);
        frozeTheModel = true;
    }

    private void resume(String why) {
        if (frozeTheModel) {
            trainer.frozenByGuard(false);
            frozeTheModel = false;
            events.add(new Event(ModelLogEntry.Event.RESUME, why, null));
        }
    }

    /** An operator froze the model: it is theirs to resume, not the guard's at the end of its episode. */
    void operatorFroze() {
        frozeTheModel = false;
    }

    /** An operator resumed the model by command: whatever the guard was waiting for, it is over. */
    void operatorResumed() {
        frozeTheModel = false;
        guard.endEpisode();
    }

    /**
     * The newest recent version trained on no more than {@code examplesThrough} examples (before
     * the rise began), with only finite values, whose own loss was not above the guard's threshold.
     */
    private StoredModel healthyVersionBefore(long examplesThrough) {
        List<StoredModel> kept = trainer.recentVersions();
        for (int i = kept.size() - 1; i >= 0; i--) {
            StoredModel m = kept.get(i);
            double ownLoss = m.metric(ModelMetric.TRAINED_LOSS.metricName());
            if (m.examplesTrained <= examplesThrough
                    && m.version < trainer.version()
                    && m.isFinite()
                    && !(ownLoss > guard.threshold())) {
                return m;
            }
        }
        return null;
    }

    private static String round(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** What the guard did since the last call. */
    public List<Event> drainEvents() {
        if (events.isEmpty()) {
            return List.of();
        }
        List<Event> out = new ArrayList<>(events);
        events.clear();
        return out;
    }

    public long alarms() {
        return guard.alarms();
    }

    public boolean inEpisode() {
        return guard.inEpisode();
    }

    /** Wall-clock millis of the last alarm; 0 when there was none. */
    public long lastAlarmMillis() {
        return guard.lastAlarmMillis();
    }

    /** The window's mean loss over the reference at the last alarm; NaN when there was none. */
    public double lastAlarmRatio() {
        return guard.lastAlarmRatio();
    }

    /** What was done at the last alarm (alert, freeze or rollback); NONE when there was none. */
    public GuardAction lastAction() {
        return guard.lastAction();
    }

    void writeTo(ModelSnapshot s) {
        s.guardDetector = guard.detectorState();
        s.guardInEpisode = guard.inEpisode();
        s.guardEpisodeLength = guard.episodeLength();
        s.guardQuietFor = guard.quietFor();
        s.guardAlarms = guard.alarms();
        s.guardLastAlarmMillis = guard.lastAlarmMillis();
        s.guardLastAlarmRatio = guard.lastAlarmRatio();
        s.guardLastAction = guard.lastAction().name();
        s.frozenByGuard = frozeTheModel;
    }

    void readFrom(ModelSnapshot s) {
        guard.restore(s.guardDetector, s.guardInEpisode, s.guardEpisodeLength, s.guardQuietFor, s.guardAlarms);
        guard.restoreLastAlarm(s.guardLastAlarmMillis, s.guardLastAlarmRatio, s.guardLastAction);
        frozeTheModel = s.frozenByGuard;
    }
}
