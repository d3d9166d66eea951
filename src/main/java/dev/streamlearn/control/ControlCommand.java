package dev.streamlearn.control;

/** An operator's command to one model's trainer. */
public class ControlCommand {

    public enum Op { FREEZE, RESUME }

    public Op op;
    public String modelId;

    public ControlCommand() {}

    public ControlCommand(Op op, String modelId) {
        this.op = op;
        this.modelId = modelId;
    }

    @Override
    public String toString() {
        return op + " " + modelId;
    }
}
