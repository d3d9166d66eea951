package dev.streamlearn.outcomes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.records.Impression;

/**
 * The labeled event an impression becomes once its label is known: the request as it came, with
 * the label, the impression's event time, what was served (so metrics can judge the served
 * score), and the features the stream added when it was scored, by name among its features and
 * marked {@code featuresAsServed}, so that it is learnt from exactly what was scored and nothing
 * is added again. It is written to the labeled-events topic, where the trainer reads it like any
 * other.
 */
public final class JoinedEvent {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String SERVED_SCORE = "servedScore";
    public static final String SERVED_VERSION = "servedVersion";
    public static final String FEATURES_AS_SERVED = "featuresAsServed";

    private JoinedEvent() {}

    public static String of(Impression impression, double label) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(impression.payload);
            event.remove("log");
            event.put("ts", impression.ts);
            event.put("label", label);
            event.put(SERVED_SCORE, impression.score);
            event.put(SERVED_VERSION, impression.modelVersion);
            if (impression.addedNames != null) {
                ObjectNode features = (ObjectNode) event.get("features");
                for (int i = 0; i < impression.addedNames.length; i++) {
                    features.put(impression.addedNames[i], impression.addedValues[i]);
                }
                event.put(FEATURES_AS_SERVED, true);
            }
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException | ClassCastException e) {
            // the payload was parsed as a JSON object when the request was scored
            throw new IllegalStateException("impression " + impression.id + " no longer reads as JSON", e);
        }
    }
}
