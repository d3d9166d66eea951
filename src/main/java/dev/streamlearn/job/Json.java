package dev.streamlearn.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.ingest.DeadLetter;
import dev.streamlearn.inference.Prediction;

/** The JSON the job writes to its output topics (formats in README.md). */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    public static String prediction(Prediction p) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", p.id);
        n.put("model", p.modelId);
        n.put("modelVersion", p.modelVersion);
        n.put("score", p.score);
        n.put("ts", p.ts);
        return write(n);
    }

    public static String deadLetter(DeadLetter d) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("reason", d.reason);
        n.put("detail", d.detail);
        n.put("topic", d.topic);
        n.put("payload", d.payload);
        return write(n);
    }

    private static String write(ObjectNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
