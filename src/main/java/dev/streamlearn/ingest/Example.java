package dev.streamlearn.ingest;

/** A labeled event after parsing and feature hashing: what a trainer learns from. */
public class Example {
    public String modelId;
    public String id;
    public long ts;
    public double label;
    public double weight;
    public int[] indices;
    public double[] values;
    /** Where the event was in the labeled topic; -1 when it did not come from Kafka. */
    public int partition = -1;
    public long offset = -1;
    /** For a time-series example: the scale its label was standardized with (std 0: not a series example). */
    public double scaleMean;
    public double scaleStd;
    /** The seasonal-naive forecast of the label, in the series' scale; NaN when there is none. */
    public double baseline = Double.NaN;

    public Example() {}

    public Example(String modelId, String id, long ts, double label, double weight, int[] indices, double[] values) {
        this.modelId = modelId;
        this.id = id;
        this.ts = ts;
        this.label = label;
        this.weight = weight;
        this.indices = indices;
        this.values = values;
    }
}
