package dev.streamlearn.outcomes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.records.Impression;

/**
 * The labeled event an impression becomes once its label is known: the request as it came, with
 * the label, the impression's event time, and what was served (so metrics can judge the served
 * score). It is written to the labeled-events topic, where the trainer reads it like any other.
 */
public final class JoinedEvent {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String SERVED_SCORE = "servedScore";
    public static final String SERVED_VERSION = "servedVersion";

    private JoinedEvent() {}

    public static String of(Impression impression, double label) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(impression.payload);
            event.remove("log");
            event.put("ts", impression.ts);
            event.put("label", label);
            event.put(SERVED_SCORE, impression.score);
            event.put(SERVED_VERSION, impression.modelVersion);
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException | ClassCastException e) {
            // the payload was parsed as a JSON object when the request was scored
            throw new IllegalStateException("impression " + impression.id + " no longer reads as JSON", e);
        }
    }
}
