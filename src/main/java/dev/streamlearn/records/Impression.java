package dev.streamlearn.records;

/**
 * A scored request that waits for its outcome: what was served (score, version) and the request
 * as it came, so the joined example is learnt from exactly the features that were scored.
 */
public class Impression {
    public String id;
    public String modelId;
    /** The request's event time. */
    public long ts;

    public double score;
    public long modelVersion;
    /** The request's JSON as it came. */
    public String payload;
    /** The label of its outcome once joined, while the impression waits for its window's end; NaN before. */
    public double label = Double.NaN;

    public Impression() {}

    public Impression(String id, String modelId, long ts, double score, long modelVersion, String payload) {
        this.id = id;
        this.modelId = modelId;
        this.ts = ts;
        this.score = score;
        this.modelVersion = modelVersion;
        this.payload = payload;
    }
}
