package dev.streamlearn.records;

import dev.streamlearn.records.flink.PredictionRequestSerializer;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A prediction request after parsing and feature hashing. The annotation only names the
 * serializer Flink uses for it ({@link PredictionRequestSerializer}); nothing here needs Flink.
 */
@TypeInfo(PredictionRequestSerializer.TypeFactory.class)
public class PredictionRequest {
    public String id;
    /** Whether the request's id was a JSON number: its prediction's id is then that number, as sent. */
    public boolean idIsNumber;

    public String modelId;
    public long ts;
    public Features features;
    /** For a forecast request: the series, and how its features were standardized; else null. */
    public String series;

    public SeriesScale scale;
    /** For an impression (a request to remember until its outcome): the request as it came; else null. */
    public String impressionPayload;
    /** The values of the model's entity fields (null where the request has none); null when the model has none. */
    public String[] entities;
    /** For a request that asked for its explanation ({@code "explain":true}): its features' names; else null. */
    public FeatureNames explained;
    /**
     * For an impression: the names of the numeric features the stream added to it (entity
     * features), in the order they end its numeric features; else null.
     */
    public String[] added;
    /** When the source read it and when it was parsed ({@link Stamps}), and in which process; 0: not stamped. */
    public long readAtNanos;

    public long parsedAtNanos;
    public int stampedBy;

    public PredictionRequest() {}

    public PredictionRequest(String id, String modelId, long ts, Features features) {
        this.id = id;
        this.modelId = modelId;
        this.ts = ts;
        this.features = features;
    }
}
