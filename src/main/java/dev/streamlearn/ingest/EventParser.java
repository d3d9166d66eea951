package dev.streamlearn.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
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
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Parses and validates the JSON events (README, "Topics and formats") and hashes their features. Never throws on
 * input: every problem becomes a {@link DeadLetter} with its reason. One instance per parallel
 * parser (it reuses buffers); not thread-safe.
 */
public final class EventParser {

    /**
     * Strict JSON: one object and nothing after it, no key twice (which value would count?). NaN
     * and Infinity literals parse (Python's json.dumps writes them) so they can be rejected by name.
     */
    private static final ObjectMapper JSON = JsonMapper.builder(new JsonFactory())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Map<String, ModelSpec> models;
    private final Map<String, FeaturesBuilder> featureBuilders = new HashMap<>();
    private final InputLimits limits;
    private final String topic;
    private final LongSupplier clock;
    /** The model the record being parsed names, once read: a rejected record is reported to it too. */
    private String modelOfRecord;
    /** The record being parsed, for the rare second look at its number literals. */
    private String payloadOfRecord;

    public EventParser(Map<String, ModelSpec> models, InputLimits limits, String topic) {
        this(models, limits, topic, System::currentTimeMillis);
    }

    /** @param clock now in epoch millis: the time of events without {@code ts}, and what {@code ts} may not run ahead of */
    public EventParser(Map<String, ModelSpec> models, InputLimits limits, String topic, LongSupplier clock) {
        this.models = models;
        this.limits = limits;
        this.topic = topic;
        this.clock = clock;
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
            if (weight > limits.maxWeight) {
                throw new Rejection(
                        DeadLetterReason.OUT_OF_RANGE, "weight " + weight + " is above the limit " + limits.maxWeight);
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
                    ControlCommand rollback =
                            new ControlCommand(ControlCommand.Op.ROLLBACK, spec.id, rollbackTarget(event));
                    JsonNode force = event.get("force");
                    if (force != null && !force.isBoolean()) {
                        throw new Rejection(DeadLetterReason.BAD_FIELD, "force must be true or false");
                    }
                    return force != null && force.booleanValue() ? rollback.forced() : rollback;
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
        payloadOfRecord = payload;
        try {
            return ParseResult.ok(body.of(object(payload)));
        } catch (Rejection r) {
            DeadLetter dead = deadLetter(r.reason, r.getMessage(), payload);
            dead.modelId = modelOfRecord;
            return ParseResult.rejected(dead);
        } finally {
            payloadOfRecord = null;
        }
    }

    /** The dead letter of a record of this parser's topic, its payload cut to the configured bound. */
    public DeadLetter deadLetter(DeadLetterReason reason, String detail, String payload) {
        return new DeadLetter(reason, detail, topic, payload, limits.deadLetterPayloadChars);
    }

    private static long rollbackTarget(JsonNode event) {
        JsonNode v = event.get("version");
        JsonNode to = event.get("to");
        if (v != null && v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0) {
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
        if (payload.length() > limits.maxRecordBytes / 3) {
            int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > limits.maxRecordBytes) {
                throw new Rejection(
                        DeadLetterReason.TOO_LARGE, "record is " + bytes + " bytes, limit is " + limits.maxRecordBytes);
            }
        }
        JsonNode node;
        try {
            node = JSON.readTree(payload);
        } catch (StreamConstraintsException e) {
            // nesting, name and number length limits: valid JSON, but more than an event needs
            throw new Rejection(DeadLetterReason.TOO_LARGE, e.getOriginalMessage());
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
                vector.numeric(f.getKey(), checked(v, "features." + f.getKey()));
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

    private double number(JsonNode event, String field) {
        JsonNode v = event.get(field);
        if (v == null || v.isNull()) {
            throw new Rejection(DeadLetterReason.MISSING_FIELD, field);
        }
        if (!v.isNumber()) {
            throw new Rejection(DeadLetterReason.NOT_NUMERIC, field + " must be a number, was " + v.getNodeType());
        }
        return checked(v, field);
    }

    /**
     * A number that learning can use: finite, within the limit, and what was written (a literal
     * like 1e-400 reads as 0, a sign or a label changed silently).
     */
    private double checked(JsonNode v, String field) {
        double x = v.doubleValue();
        if (!Double.isFinite(x)) {
            throw new Rejection(DeadLetterReason.NOT_FINITE, field + " is " + x);
        }
        double magnitude = Math.abs(x);
        if (magnitude > limits.maxAbsValue) {
            throw new Rejection(
                    DeadLetterReason.OUT_OF_RANGE,
                    field + " is " + x + ", beyond the limit of +-" + limits.maxAbsValue);
        }
        if (magnitude < Double.MIN_NORMAL && v.isFloatingPointNumber() && (x != 0.0 || underflows())) {
            throw new Rejection(DeadLetterReason.OUT_OF_RANGE, field + " underflows: it is too small to be a double");
        }
        return x;
    }

    /** Whether a number literal of the record is not zero but reads as zero (a second, rare look at the text). */
    private boolean underflows() {
        String payload = payloadOfRecord;
        // an underflow needs an exponent beyond -300 or hundreds of zeros: most zeros are a plain 0.0
        if (payload == null
                || (!payload.contains("e-") && !payload.contains("E-") && !payload.contains("0000000000"))) {
            return false;
        }
        try (JsonParser p = JSON.createParser(payload)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.VALUE_NUMBER_FLOAT
                        && !p.isNaN()
                        && p.getDoubleValue() == 0.0
                        && new BigDecimal(p.getText()).signum() != 0) {
                    return true;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false; // parsed once already: cannot happen
        }
        return false;
    }

    private long timestamp(JsonNode event) {
        JsonNode ts = event.get("ts");
        long now = clock.getAsLong();
        if (ts == null || ts.isNull()) {
            return now;
        }
        if (!ts.isIntegralNumber() || !ts.canConvertToLong()) {
            throw new Rejection(DeadLetterReason.NOT_NUMERIC, "ts must be epoch milliseconds, was " + ts);
        }
        long millis = ts.longValue();
        if (millis < 0) {
            throw new Rejection(DeadLetterReason.OUT_OF_RANGE, "ts " + millis + " is before 1970");
        }
        if (millis - now > limits.maxTsAheadMillis) {
            throw new Rejection(
                    DeadLetterReason.OUT_OF_RANGE,
                    "ts " + millis + " is " + (millis - now) + " ms ahead of now (limit " + limits.maxTsAheadMillis
                            + " ms)");
        }
        return millis;
    }

    private static String requiredText(JsonNode event, String field) {
        JsonNode v = event.get(field);
        if (v == null || v.isNull()) {
            throw new Rejection(DeadLetterReason.MISSING_FIELD, field);
        }
        return text(v, field);
    }

    private static String optionalText(JsonNode event, String field) {
        JsonNode v = event.get(field);
        return v == null || v.isNull() ? null : text(v, field);
    }

    private static String text(JsonNode v, String field) {
        if (!v.isTextual() && !v.isNumber()) {
            throw new Rejection(DeadLetterReason.BAD_FIELD, field + " must be a string");
        }
        String text = v.asText();
        if (text.length() > InputLimits.MAX_ID_CHARS) {
            throw new Rejection(
                    DeadLetterReason.BAD_FIELD,
                    field + " is " + text.length() + " characters, longer than " + InputLimits.MAX_ID_CHARS);
        }
        return text;
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
