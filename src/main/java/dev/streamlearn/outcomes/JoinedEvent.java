package dev.streamlearn.outcomes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.records.Example;
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
    public static final String SERVED_MARGIN = "servedMargin";
    public static final String USE = "use";

    private JoinedEvent() {}

    /** The impression with its final label, learnt from. */
    public static String of(Impression impression, double label) {
        return of(impression, label, Example.Use.LEARN);
    }

    /**
     * The impression with a label and what the trainer does with it: a fake-negative release
     * (learnt at once, weighted) carries no served score, since its label is not final; a final
     * label to calibrate with carries the served score and the margin it was made from.
     */
    public static String of(Impression impression, double label, Example.Use use) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(impression.payload);
            event.remove("log");
            event.put("ts", impression.ts);
            event.put("label", label);
            if (use != Example.Use.LEARN) {
                event.put(USE, use.toString());
            }
            if (use != Example.Use.LEARN_FAKE_NEGATIVE) {
                event.put(SERVED_SCORE, impression.score);
                event.put(SERVED_VERSION, impression.modelVersion);
            }
            if (use == Example.Use.CALIBRATE && Double.isFinite(impression.margin)) {
                event.put(SERVED_MARGIN, impression.margin);
            }
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
