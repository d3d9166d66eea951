package dev.streamlearn.records;

/** A scored request, tagged with the model version that scored it. */
public class Prediction {
    public String id;
    /** Whether the request's id was a JSON number (written back as that number). */
    public boolean idIsNumber;

    public String modelId;
    public long modelVersion;
    public double score;
    public long ts;
    /** For a request that asked for it: which feature did what; else null. */
    public Explanation explanation;

    public Prediction() {}

    public Prediction(String id, String modelId, long modelVersion, double score, long ts) {
        this.id = id;
        this.modelId = modelId;
        this.modelVersion = modelVersion;
        this.score = score;
        this.ts = ts;
    }

    @Override
    public String toString() {
        return id + " " + modelId + " v" + modelVersion + " " + score;
    }
}
