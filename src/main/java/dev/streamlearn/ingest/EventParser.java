package dev.streamlearn.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.features.FeaturesBuilder;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.records.ControlCommand;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.DeadLetterReason;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Features;
import dev.streamlearn.records.PredictionRequest;
import dev.streamlearn.records.SeriesPoint;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Parses and validates the JSON events (README, "Topics and formats") and hashes their features. Never throws on
 * input: every problem becomes a {@link DeadLetter} with its reason. One instance per parallel
 * parser (it reuses buffers); not thread-safe.
 */
public final class EventParser {

    /** NaN and Infinity literals parse (Python's json.dumps writes them) so they can be rejected by name. */
    private static final ObjectMapper JSON = JsonMapper.builder(new JsonFactory())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final Map<String, ModelSpec> models;
    private final Map<String, FeaturesBuilder> featureBuilders = new HashMap<>();
    private final int maxRecordBytes;
    private final String topic;
    /** The model the record being parsed names, once read: a rejected record is reported to it too. */
    private String modelOfRecord;

    public EventParser(Map<String, ModelSpec> models, int maxRecordBytes, String topic) {
        this.models = models;
        this.maxRecordBytes = maxRecordBytes;
        this.topic = topic;
        for (ModelSpec spec : models.values()) {
            featureBuilders.put(spec.id, new FeaturesBuilder(new FeatureHasher(spec.hashBits)));
        }
    }

    public ParseResult<Example> parseLabeled(String payload) {
        return parse(payload, event -> {
            ModelSpec spec = model(event);
            double label = number(event, "label");
            if (!spec.loss.acceptsLabel(label)) {
                throw new Rejection(
                        DeadLetterReason.BAD_LABEL, "label " + label + " is not valid for " + spec.loss.labelRule());
            }
            double weight = event.has("weight") ? number(event, "weight") : 1.0;
            if (weight < 0) {
                throw new Rejection(DeadLetterReason.BAD_FIELD, "weight must be >= 0, was " + weight);
            }
            if (weight > InputLimits.MAX_WEIGHT) {
                throw new Rejection(
                        DeadLetterReason.OUT_OF_RANGE,
                        "weight " + weight + " is above the limit " + InputLimits.MAX_WEIGHT);
            }
            return new Example(
                    spec.id, optionalText(event, "id"), timestamp(event), label, weight, features(event, spec));
        });
    }

    public ParseResult<PredictionRequest> parseRequest(String payload) {
        return parse(payload, event -> {
            String id = requiredText(event, "id");
            ModelSpec spec = model(event);
            return new PredictionRequest(id, spec.id, timestamp(event), features(event, spec));
        });
    }

    /** A time-series point: {@code {"series":"PJME","ts":1041379200000,"value":26498.0}}. */
    public ParseResult<SeriesPoint> parseSeriesPoint(String payload) {
        return parse(payload, event -> {
            String series = requiredText(event, "series");
            JsonNode ts = event.get("ts");
            if (ts == null || ts.isNull()) {
                throw new Rejection(DeadLetterReason.MISSING_FIELD, "ts");
            }
            return new SeriesPoint(series, timestamp(event), number(event, "value"));
        });
    }

    public ParseResult<ControlCommand> parseControl(String payload) {
        return parse(payload, event -> {
            String op = requiredText(event, "op");
            ModelSpec spec = model(event);
            switch (op) {
                case "freeze":
                    return new ControlCommand(ControlCommand.Op.FREEZE, spec.id);
                case "resume":
                    return new ControlCommand(ControlCommand.Op.RESUME, spec.id);
                case "rollback":
                    return new ControlCommand(ControlCommand.Op.ROLLBACK, spec.id, rollbackTarget(event));
                default:
                    throw new Rejection(
                            DeadLetterReason.UNKNOWN_OP, "op '" + op + "' is none of freeze, resume, rollback");
            }
        });
    }

    /** What a record becomes, or the rejection that says why it cannot be used. */
    @FunctionalInterface
    private interface Body<T> {
        T of(JsonNode event);
    }

    /** The record as a JSON object, made into a value by {@code body}; any rejection becomes the dead letter. */
    private <T> ParseResult<T> parse(String payload, Body<T> body) {
        modelOfRecord = null;
        try {
            return ParseResult.ok(body.of(object(payload)));
        } catch (Rejection r) {
            DeadLetter dead = new DeadLetter(r.reason, r.getMessage(), topic, payload);
            dead.modelId = modelOfRecord;
            return ParseResult.rejected(dead);
        }
    }

    private static long rollbackTarget(JsonNode event) {
        JsonNode v = event.get("version");
        JsonNode to = event.get("to");
        if (v != null && v.isIntegralNumber() && v.asLong() >= 0) {
            return v.asLong();
        }
        if ((v != null && "previous-better".equals(v.asText()))
                || (to != null && "previous-better".equals(to.asText()))) {
            return ControlCommand.PREVIOUS_BETTER;
        }
        if (v == null && to == null) {
            throw new Rejection(DeadLetterReason.MISSING_FIELD, "version (a number, or \"previous-better\")");
        }
        throw new Rejection(DeadLetterReason.BAD_FIELD, "version must be a whole number >= 0 or \"previous-better\"");
    }

    private JsonNode object(String payload) {
        if (payload == null || payload.isEmpty()) {
            throw new Rejection(DeadLetterReason.NOT_JSON, "empty record");
        }
        // a char is at most 3 UTF-8 bytes: count bytes only when the length leaves doubt
        if (payload.length() > maxRecordBytes / 3) {
            int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxRecordBytes) {
                throw new Rejection(
                        DeadLetterReason.TOO_LARGE, "record is " + bytes + " bytes, limit is " + maxRecordBytes);
            }
        }
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new Rejection(DeadLetterReason.NOT_JSON, e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new Rejection(DeadLetterReason.NOT_JSON, "expected a JSON object");
        }
        return node;
    }

    private ModelSpec model(JsonNode event) {
        String id = requiredText(event, "model");
        modelOfRecord = id;
        ModelSpec spec = models.get(id);
        if (spec == null) {
            throw new Rejection(DeadLetterReason.UNKNOWN_MODEL, "model '" + id + "' is not configured");
        }
        return spec;
    }

    private Features features(JsonNode event, ModelSpec spec) {
        JsonNode features = event.get("features");
        if (features == null || features.isNull()) {
            throw new Rejection(DeadLetterReason.MISSING_FIELD, "features");
        }
        if (!features.isObject()) {
            throw new Rejection(DeadLetterReason.BAD_FIELD, "features must be an object");
        }
        FeaturesBuilder vector = featureBuilders.get(spec.id).reset();
        Iterator<Map.Entry<String, JsonNode>> fields = features.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode v = f.getValue();
            if (v.isTextual()) {
                vector.categorical(f.getKey(), v.textValue());
            } else if (v.isNumber()) {
                double x = v.doubleValue();
                if (!Double.isFinite(x)) {
                    throw new Rejection(DeadLetterReason.NOT_FINITE, "features." + f.getKey() + " is " + x);
                }
                if (Math.abs(x) > InputLimits.MAX_ABS_VALUE) {
                    throw new Rejection(
                            DeadLetterReason.OUT_OF_RANGE,
                            "features." + f.getKey() + " is " + x + ", beyond the limit of +-"
                                    + InputLimits.MAX_ABS_VALUE);
                }
                vector.numeric(f.getKey(), x);
            } else if (v.isBoolean()) {
                vector.categorical(f.getKey(), v.asText());
            } else if (!v.isNull()) {
                throw new Rejection(
                        DeadLetterReason.NOT_NUMERIC,
                        "features." + f.getKey() + " must be a string, number or boolean");
            }
        }
        return vector.build();
    }

    private static double number(JsonNode event, String field) {
        JsonNode v = event.get(field);
        if (v == null || v.isNull()) {
            throw new Rejection(DeadLetterReason.MISSING_FIELD, field);
        }
        if (!v.isNumber()) {
            throw new Rejection(DeadLetterReason.NOT_NUMERIC, field + " must be a number, was " + v.getNodeType());
        }
        double x = v.doubleValue();
        if (!Double.isFinite(x)) {
            throw new Rejection(DeadLetterReason.NOT_FINITE, field + " is " + x);
        }
        if (Math.abs(x) > InputLimits.MAX_ABS_VALUE) {
            throw new Rejection(
                    DeadLetterReason.OUT_OF_RANGE,
                    field + " is " + x + ", beyond the limit of +-" + InputLimits.MAX_ABS_VALUE);
        }
        return x;
    }

    private static long timestamp(JsonNode event) {
        JsonNode ts = event.get("ts");
        if (ts == null || ts.isNull()) {
            return System.currentTimeMillis();
        }
        if (!ts.canConvertToLong() || !ts.isIntegralNumber()) {
            throw new Rejection(DeadLetterReason.NOT_NUMERIC, "ts must be epoch milliseconds, was " + ts);
        }
        return ts.longValue();
    }

    private static String requiredText(JsonNode event, String field) {
        JsonNode v = event.get(field);
        if (v == null || v.isNull()) {
            throw new Rejection(DeadLetterReason.MISSING_FIELD, field);
        }
        if (!v.isTextual() && !v.isNumber()) {
            throw new Rejection(DeadLetterReason.BAD_FIELD, field + " must be a string");
        }
        return v.asText();
    }

    private static String optionalText(JsonNode event, String field) {
        JsonNode v = event.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Control flow for a rejected record; no stack trace, it is not an error of the job. */
    private static final class Rejection extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final DeadLetterReason reason;

        Rejection(DeadLetterReason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }
}
