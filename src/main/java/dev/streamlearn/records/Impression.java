package dev.streamlearn.records;

import java.util.Arrays;

/**
 * A scored request that waits for its outcome: what was served (score, version), the request as
 * it came and the values the stream added to its features (entity features) when it was scored,
 * so the joined example is learnt from exactly the features that were scored.
 */
public class Impression {
    public String id;
    public String modelId;
    /** The request's event time. */
    public long ts;

    public double score;
    /** The margin the score was made from, before its version's calibration (logistic models); NaN when unknown. */
    public double margin = Double.NaN;

    public long modelVersion;
    /** The request's JSON as it came. */
    public String payload;
    /** The names of the numeric features the stream added when it was scored; null for none. */
    public String[] addedNames;
    /** Their values then, in the same order. */
    public double[] addedValues;

    /** The label of its outcome once joined, while the impression waits for its window's end; NaN before. */
    public double label = Double.NaN;

    public Impression() {}

    /**
     * The impression of {@code request}, scored {@code score} from {@code margin} by {@code
     * version}, with the values the stream added to it.
     */
    public static Impression of(PredictionRequest request, double score, double margin, long version) {
        Impression impression =
                new Impression(request.id, request.modelId, request.ts, score, version, request.impressionPayload);
        impression.margin = margin;
        if (request.added != null) {
            double[] values = request.features.numericValues;
            impression.addedNames = request.added;
            impression.addedValues = Arrays.copyOfRange(values, values.length - request.added.length, values.length);
        }
        return impression;
    }

    public Impression(String id, String modelId, long ts, double score, long modelVersion, String payload) {
        this.id = id;
        this.modelId = modelId;
        this.ts = ts;
        this.score = score;
        this.modelVersion = modelVersion;
        this.payload = payload;
    }
}
