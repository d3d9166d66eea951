package dev.streamlearn.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Open Inference Protocol's REST infer message (KServe, Seldon MLServer and Triton's "V2"),
 * translated to the job's prediction requests and back. A request names one tensor per feature,
 * each with a batch dimension ({@code shape [N]} or {@code [N, 1]}, its data flat or, for
 * {@code [N, 1]}, nested as the shape): row i of every tensor
 * together is one prediction request. Numbers ({@code FP64}, {@code FP32}, {@code INT64},
 * {@code INT32}) are numeric features, {@code BYTES} strings categorical ones, {@code BOOL}
 * booleans; a {@code null} in the data leaves the feature out of that row. The request's
 * {@code parameters} {@code explain} and {@code log} apply to every row.
 */
public final class InferenceProtocol {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** An infer request translated: the job's request of each row, without its id. */
    public record Rows(String requestId, List<ObjectNode> requests, boolean explain) {}

    /** What makes a request unanswerable, with the HTTP status that says so. */
    public static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        public final int status;

        public Refusal(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private InferenceProtocol() {}

    /** The rows of an infer request for {@code model}. */
    public static Rows rows(String model, byte[] body) throws Refusal {
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new Refusal(400, "the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Refusal(400, "the body could not be read: " + e.getMessage());
        }
        if (request == null || !request.isObject()) {
            throw new Refusal(400, "the body must be a JSON object with \"inputs\"");
        }
        JsonNode inputs = request.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw new Refusal(400, "\"inputs\" must be a non-empty array of tensors, one per feature");
        }
        JsonNode parameters = request.path("parameters");
        boolean explain = flag(parameters, "explain");
        boolean log = flag(parameters, "log");
        int rows = -1;
        List<ObjectNode> requests = new ArrayList<>();
        for (JsonNode input : inputs) {
            String name = input.path("name").asText("");
            if (name.isEmpty()) {
                throw new Refusal(400, "every input needs a \"name\": the feature it carries");
            }
            String datatype = input.path("datatype").asText("").toUpperCase(Locale.ROOT);
            JsonNode data = input.get("data");
            if (data == null || !data.isArray()) {
                throw new Refusal(400, "input '" + name + "': \"data\" must be an array");
            }
            int n = batchSize(name, input.get("shape"), data.size());
            if (rows < 0) {
                rows = n;
                for (int r = 0; r < n; r++) {
                    ObjectNode row = NODES.objectNode();
                    row.put("model", model);
                    row.putObject("features");
                    if (explain) {
                        row.put("explain", true);
                    }
                    if (log) {
                        row.put("log", true);
                    }
                    requests.add(row);
                }
            } else if (n != rows) {
                throw new Refusal(400, "input '" + name + "' has " + n + " rows, the first input " + rows);
            }
            boolean nestedAllowed = input.get("shape").size() == 2;
            for (int r = 0; r < n; r++) {
                JsonNode value = element(name, data.get(r), nestedAllowed);
                if (value.isNull()) {
                    continue;
                }
                ((ObjectNode) requests.get(r).get("features")).set(name, typed(name, datatype, value));
            }
        }
        JsonNode id = request.get("id");
        return new Rows(id == null || id.isNull() ? null : id.asText(), requests, explain);
    }

    /** The rows of a tensor: its shape must be [N] or [N, 1] and agree with its data. */
    private static int batchSize(String name, JsonNode shape, int values) throws Refusal {
        if (shape == null || !shape.isArray() || shape.isEmpty() || shape.size() > 2) {
            throw new Refusal(400, "input '" + name + "': \"shape\" must be [rows] or [rows, 1]");
        }
        long rows = shape.get(0).asLong(-1);
        if (shape.size() == 2 && shape.get(1).asLong(-1) != 1) {
            throw new Refusal(400, "input '" + name + "': one value per row, so shape [rows, 1], was " + shape);
        }
        if (rows < 1 || rows != values) {
            throw new Refusal(
                    400, "input '" + name + "': shape " + shape + " does not match its " + values + " values");
        }
        return (int) rows;
    }

    /**
     * A row's value: the protocol lets a tensor's data be flattened or nested as its shape, so a
     * tensor of shape [N, 1] may hold each row's value in an array of one, as {@code
     * df[["price"]].values.tolist()} writes it.
     */
    private static JsonNode element(String name, JsonNode value, boolean nestedAllowed) throws Refusal {
        if (!value.isArray()) {
            return value;
        }
        if (!nestedAllowed || value.size() != 1) {
            throw new Refusal(
                    400,
                    "input '" + name + "': a row holds " + value
                            + "; nested data must follow the shape [rows, 1], one value per row");
        }
        return value.get(0);
    }

    private static JsonNode typed(String name, String datatype, JsonNode value) throws Refusal {
        switch (datatype) {
            case "FP64", "FP32", "FP16", "INT64", "INT32", "INT16", "INT8", "UINT64", "UINT32", "UINT16", "UINT8":
                if (!value.isNumber()) {
                    throw new Refusal(400, "input '" + name + "' is " + datatype + " but holds " + value);
                }
                return value;
            case "BYTES":
                if (!value.isTextual()) {
                    throw new Refusal(400, "input '" + name + "' is BYTES but holds " + value + " (send strings)");
                }
                return value;
            case "BOOL":
                if (!value.isBoolean()) {
                    throw new Refusal(400, "input '" + name + "' is BOOL but holds " + value);
                }
                return value;
            default:
                throw new Refusal(
                        400,
                        "input '" + name + "': datatype '" + datatype
                                + "' is none of FP64, FP32, INT64, INT32, BYTES, BOOL");
        }
    }

    private static boolean flag(JsonNode parameters, String name) throws Refusal {
        JsonNode v = parameters.get(name);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new Refusal(400, "parameter '" + name + "' must be true or false, was " + v);
        }
        return v.booleanValue();
    }

    /**
     * The infer response: one {@code score} per row, in order, and the version that scored them
     * (the newest of the rows', should a new version have come between them); with {@code explain},
     * each row's explanation among the parameters.
     */
    public static ObjectNode response(String model, String requestId, List<JsonNode> predictions, boolean explain) {
        ObjectNode response = NODES.objectNode();
        response.put("model_name", model);
        long version = 0;
        ArrayNode scores = NODES.arrayNode();
        ArrayNode versions = NODES.arrayNode();
        ArrayNode explanations = NODES.arrayNode();
        for (JsonNode p : predictions) {
            long v = p.path("modelVersion").asLong();
            version = Math.max(version, v);
            versions.add(v);
            scores.add(p.path("score").asDouble());
            if (explain) {
                explanations.add(p.path("explanation"));
            }
        }
        response.put("model_version", Long.toString(version));
        if (requestId != null) {
            response.put("id", requestId);
        }
        ObjectNode parameters = response.putObject("parameters");
        parameters.set("model_versions", versions);
        if (explain) {
            parameters.set("explanations", explanations);
        }
        ObjectNode score = response.putArray("outputs").addObject();
        score.put("name", "score");
        score.putArray("shape").add(predictions.size());
        score.put("datatype", "FP64");
        score.set("data", scores);
        return response;
    }

    /** The protocol's error body. */
    public static ObjectNode error(String message) {
        return NODES.objectNode().put("error", message);
    }
}
