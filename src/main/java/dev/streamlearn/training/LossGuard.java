package dev.streamlearn.training;

import dev.streamlearn.metrics.DetectorState;
import dev.streamlearn.metrics.LossShiftDetector;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelSpec.GuardAction;

/**
 * Watches one model's prequential loss and says when to act: an alarm starts an episode (and,
 * with freeze or rollback, suspends learning); the episode ends when the loss has been back under
 * the threshold for {@code guard.quiet} examples, or when the rise has lasted {@code
 * guard.max-episode} examples and is taken as the new normal. No second alarm comes within an
 * episode, so a drifting world causes one action, not a storm. Plain Java, driven by {@link
 * ModelTrainer}.
 */
final class LossGuard {

    /** What the trainer is to do after an example. */
    enum Step {
        NOTHING,
        /** An alarm: act as configured. */
        ALARM,
        /** The loss is back: the episode ends (learning resumes when it was suspended). */
        RECOVERED,
        /** The rise persisted: it is the new normal (learning resumes when it was suspended). */
        ACCEPTED
    }

    private final GuardAction action;
    private final int quiet;
    private final long maxEpisode;
    private final LossShiftDetector detector;

    private boolean inEpisode;
    private long episodeLength;
    private long quietFor;
    private long alarms;
    private long lastAlarmMillis;
    private double lastAlarmRatio = Double.NaN;
    private GuardAction lastAction = GuardAction.NONE;

    LossGuard(ModelSpec spec) {
        this.action = spec.get(ModelOptions.GUARD_ACTION);
        this.quiet = spec.get(ModelOptions.GUARD_QUIET);
        this.maxEpisode = spec.get(ModelOptions.GUARD_MAX_EPISODE);
        this.detector = new LossShiftDetector(spec.get(ModelOptions.GUARD_WINDOW), spec.get(ModelOptions.GUARD_RATIO));
    }

    Step observe(double loss) {
        if (action == GuardAction.NONE) {
            return Step.NOTHING;
        }
        boolean alarming = detector.observe(loss);
        if (!inEpisode) {
            if (!alarming) {
                return Step.NOTHING;
            }
            inEpisode = true;
            episodeLength = 0;
            quietFor = 0;
            alarms++;
            return Step.ALARM;
        }
        episodeLength++;
        quietFor = alarming ? 0 : quietFor + 1;
        if (quietFor >= quiet) {
            inEpisode = false;
            return Step.RECOVERED;
        }
        if (episodeLength >= maxEpisode) {
            inEpisode = false;
            detector.accept();
            return Step.ACCEPTED;
        }
        return Step.NOTHING;
    }

    /** The trainer acts on an alarm raised at {@code nowMillis}, the window's mean loss at {@code ratio} times the reference. */
    void alarmed(long nowMillis, double ratio) {
        lastAlarmMillis = nowMillis;
        lastAlarmRatio = ratio;
    }

    /** What the trainer did about the last alarm. */
    void acted(GuardAction action) {
        lastAction = action;
    }

    long lastAlarmMillis() {
        return lastAlarmMillis;
    }

    double lastAlarmRatio() {
        return lastAlarmRatio;
    }

    GuardAction lastAction() {
        return lastAction;
    }

    /** @param action a {@link GuardAction} name; null in snapshots from before it was kept */
    void restoreLastAlarm(long atMillis, double ratio, String action) {
        lastAlarmMillis = atMillis;
        lastAction = action == null ? GuardAction.NONE : GuardAction.valueOf(action);
        lastAlarmRatio = lastAction == GuardAction.NONE ? Double.NaN : ratio;
    }

    /** An operator resumed the model by command: whatever the guard was waiting for, it is over. */
    void endEpisode() {
        if (inEpisode) {
            inEpisode = false;
            detector.accept();
        }
    }

    GuardAction action() {
        return action;
    }

    boolean inEpisode() {
        return inEpisode;
    }

    long alarms() {
        return alarms;
    }

    double shortMean() {
        return detector.shortMean();
    }

    double referenceMean() {
        return detector.referenceMean();
    }

    double threshold() {
        return detector.threshold();
    }

    DetectorState detectorState() {
        return detector.state();
    }

    void restore(DetectorState state, boolean inEpisode, long episodeLength, long quietFor, long alarms) {
        detector.restore(state);
        this.inEpisode = inEpisode;
        this.episodeLength = episodeLength;
        this.quietFor = quietFor;
        this.alarms = alarms;
    }

    long episodeLength() {
        return episodeLength;
    }

    long quietFor() {
        return quietFor;
    }
}
