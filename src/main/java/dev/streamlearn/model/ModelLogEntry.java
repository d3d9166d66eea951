package dev.streamlearn.model;

import java.util.Locale;

/**
 * One line of a model's history on the model-log topic: a stored version, a rollback, a freeze
 * or resume, a promotion, or a rejected command with its reason.
 */
public class ModelLogEntry {

    /** What happened to the model. */
    public enum Event {
        STORED,
        ROLLBACK,
        FREEZE,
        RESUME,
        REJECTED,
        /** The guard saw the loss rise suddenly (action alert; freeze and rollback log what they did). */
        ALARM,
        /** A model started or was restored while the model store held newer versions: where its versions go on. */
        START,
        /** A challenger became the champion (it beat it, or by command): its weights are the version. */
        PROMOTE,
        /** Automatic promotions stopped by command. */
        PIN,
        /** Automatic promotions again. */
        UNPIN;

        /** As written on the model-log topic: {@code stored}, {@code rollback}, ... */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Event event;
    public String modelId;
    public long version;
    public long parentVersion;
    /** Where the version is in the model store, or null when the job has no store. */
    public String path;

    public long examplesTrained;
    /** The learner that made the version ({@code default}, or a challenger); null on lines that store none. */
    public String learner;

    public long ts;
    public String reason;
    /** The id of the control command this line answers, when the command had one; else null. */
    public String command;

    public String[] metricNames;
    public double[] metricValues;

    public ModelLogEntry() {}

    public static ModelLogEntry of(Event event, StoredModel m, String path) {
        ModelLogEntry e = new ModelLogEntry();
        e.event = event;
        e.modelId = m.modelId;
        e.version = m.version;
        e.parentVersion = m.parentVersion;
        e.path = path;
        e.examplesTrained = m.examplesTrained;
        e.learner = m.learnerName();
        e.ts = m.createdAtMillis;
        e.metricNames = m.metricNames;
        e.metricValues = m.metricValues;
        return e;
    }

    public static ModelLogEntry rejected(String modelId, long currentVersion, String reason, long ts) {
        return note(Event.REJECTED, modelId, currentVersion, 0, reason, ts);
    }

    /** A line about the model that stores no version: a rejected command, an alarm, a start. */
    public static ModelLogEntry note(
            Event event, String modelId, long currentVersion, long examplesTrained, String reason, long ts) {
        ModelLogEntry e = new ModelLogEntry();
        e.event = event;
        e.modelId = modelId;
        e.version = currentVersion;
        e.parentVersion = -1;
        e.examplesTrained = examplesTrained;
        e.reason = reason;
        e.ts = ts;
        e.metricNames = new String[0];
        e.metricValues = new double[0];
        return e;
    }

    @Override
    public String toString() {
        return event + " " + modelId + " v" + version + (reason == null ? "" : " (" + reason + ")");
    }
}
