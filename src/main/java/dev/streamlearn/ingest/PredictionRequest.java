package dev.streamlearn.ingest;

/** A prediction request after parsing and feature hashing. */
public class PredictionRequest {
    public String id;
    public String modelId;
    public long ts;
    public int[] indices;
    public double[] values;

    public PredictionRequest() {}

    public PredictionRequest(String id, String modelId, long ts, int[] indices, double[] values) {
        this.id = id;
        this.modelId = modelId;
        this.ts = ts;
        this.indices = indices;
        this.values = values;
    }
}
