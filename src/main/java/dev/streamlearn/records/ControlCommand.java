package dev.streamlearn.records;

/** An operator's command to one model's trainer. */
public class ControlCommand {

    public enum Op {
        FREEZE,
        RESUME,
        ROLLBACK,
        /** Make a challenger the champion now. */
        PROMOTE,
        /** No automatic promotions (commands still promote). */
        PIN,
        /** Automatic promotions again. */
        UNPIN
    }

    /** {@link #version} of a rollback to the newest earlier version whose metrics were better than now. */
    public static final long PREVIOUS_BETTER = -1;

    public Op op;
    public String modelId;
    /** Rollback target, or {@link #PREVIOUS_BETTER}. */
    public long version;
    /** A rollback to a version with non-finite values, which is refused unless forced. */
    public boolean force;
    /** The challenger a promotion makes the champion. */
    public String learner;
    /** The sender's id for the command, which the model-log lines that answer it carry; null: none. */
    public String id;

    public ControlCommand() {}

    public ControlCommand(Op op, String modelId) {
        this(op, modelId, 0);
    }

    public ControlCommand(Op op, String modelId, long version) {
        this.op = op;
        this.modelId = modelId;
        this.version = version;
    }

    /** A promotion of the named challenger. */
    public static ControlCommand promote(String modelId, String challenger) {
        ControlCommand c = new ControlCommand(Op.PROMOTE, modelId);
        c.learner = challenger;
        return c;
    }

    /** A rollback that is carried out even to an unhealthy version. */
    public ControlCommand forced() {
        ControlCommand c = new ControlCommand(op, modelId, version);
        c.force = true;
        c.id = id;
        return c;
    }

    @Override
    public String toString() {
        return op + " " + modelId
                + (op == Op.ROLLBACK ? " to " + (version == PREVIOUS_BETTER ? "previous-better" : "v" + version) : "")
                + (op == Op.PROMOTE ? " " + learner : "")
                + (force ? " (forced)" : "");
    }
}
