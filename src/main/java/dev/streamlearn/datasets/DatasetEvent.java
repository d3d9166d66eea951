package dev.streamlearn.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One row of a dataset as a labeled event: its event time, label and JSON form. */
public final class DatasetEvent {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final long ts;
    public final double label;
    public final String json;

    private DatasetEvent(long ts, double label, String json) {
        this.ts = ts;
        this.label = label;
        this.json = json;
    }

    /** A prediction request with this event's features (and model), under the given id. */
    public String asRequest(String id) {
        return request(id, false);
    }

    /** A prediction request that asks to be remembered until its outcome ({@code "log":true}). */
    public String asImpression(String id) {
        return request(id, true);
    }

    private String request(String id, boolean log) {
        try {
            ObjectNode n = (ObjectNode) JSON.readTree(json);
            n.remove("label");
            n.remove("weight");
            n.put("id", id);
            if (log) {
                n.put("log", true);
            }
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An event read from a JSON-lines file, with the model replaced when one is given. */
    public static DatasetEvent fromJson(String line, String model) {
        try {
            ObjectNode n = (ObjectNode) JSON.readTree(line);
            if (model != null) {
                n.put("model", model);
            }
            return new DatasetEvent(
                    n.path("ts").asLong(0),
                    n.path("label").asDouble(Double.NaN),
                    model == null ? line : JSON.writeValueAsString(n));
        } catch (JsonProcessingException | ClassCastException e) {
            // replay sends it as it is: the job's dead-letter topic is where bad records are explained
            return new DatasetEvent(0, Double.NaN, line);
        }
    }

    /** An empty features object to fill in. */
    static ObjectNode features() {
        return JSON.createObjectNode();
    }

    /** The labeled event in the wire format of the job. */
    static DatasetEvent of(String id, long ts, String model, double label, ObjectNode features) {
        ObjectNode event = JSON.createObjectNode();
        event.put("id", id);
        event.put("ts", ts);
        event.put("model", model);
        event.put("label", label);
        event.set("features", features);
        try {
            return new DatasetEvent(ts, label, JSON.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
