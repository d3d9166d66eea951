package dev.streamlearn.ingest;

/** A prediction request after parsing and feature hashing. */
public class PredictionRequest {
    public String id;
    public String modelId;
    public long ts;
    public int[] indices;
    public double[] values;
    /** For a forecast request: the series, and the scale its features were standardized with; else null. */
    public String series;
    public double scaleMean;
    public double scaleStd;

    public PredictionRequest() {}

    public PredictionRequest(String id, String modelId, long ts, int[] indices, double[] values) {
        this.id = id;
        this.modelId = modelId;
        this.ts = ts;
        this.indices = indices;
        this.values = values;
    }
}
