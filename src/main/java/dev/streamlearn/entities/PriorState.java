package dev.streamlearn.entities;

/** One model's {@link LabelMean} in a checkpoint of an entity operator's subtask. A Flink POJO. */
public class PriorState {
    public String modelId;
    public double mean;
    public long seen;

    public PriorState() {}

    public PriorState(String modelId, double mean, long seen) {
        this.modelId = modelId;
        this.mean = mean;
        this.seen = seen;
    }
}
