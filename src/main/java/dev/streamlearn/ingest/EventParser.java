package dev.streamlearn.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.records.ControlCommand;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.DeadLetterReason;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Outcome;
import dev.streamlearn.records.PredictionRequest;
import dev.streamlearn.records.SeriesPoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Parses and validates the JSON events (README, "Topics and formats") and hashes their features. Never throws on
 * input: every problem becomes a {@link DeadLetter} with its reason. Reads Jackson's token stream
 * into reused fields ({@link EventReader}), then checks them in a fixed order, so each record gets
 * one reason whatever the order of its fields. One instance per parallel parser (it reuses
 * buffers); not thread-safe.
 */
public final class EventParser {

    /** Per configured model, its spec and the builder of its feature vectors: one lookup per record. */
    private final Map<String, ModelFeaturizer> models = new HashMap<>();

    private final InputLimits limits;
    private final String topic;
    private final LongSupplier clock;
    /** The model the record being parsed names, once read: a rejected record is reported to it too. */
    private String modelOfRecord;
    /** Whether the record being parsed was read whole: then a rejected record's dead letter names its id. */
    private boolean recordRead;

    private final EventReader event = new EventReader();

    public EventParser(Map<String, ModelSpec> models, InputLimits limits, String topic) {
        this(models, limits, topic, System::currentTimeMillis);
    }

    /** @param clock now in epoch millis: the time of events without {@code ts}, and what {@code ts} may not run ahead of */
    public EventParser(Map<String, ModelSpec> models, InputLimits limits, String topic, LongSupplier clock) {
        this.limits = limits;
        this.topic = topic;
        this.clock = clock;
        for (ModelSpec spec : models.values()) {
            this.models.put(spec.id, new ModelFeaturizer(spec, limits));
        }
    }

    public ParseResult<Example> parseLabeled(String payload) {
        return parse(payload, () -> {
            ModelFeaturizer model = model();
            ModelSpec spec = model.spec;
            double label = number(event.label, "label");
            if (!spec.loss().acceptsLabel(label)) {
                throw new Rejection(
                        DeadLetterReason.BAD_LABEL,
                        "label " + label + " is not valid for " + spec.loss().labelRule());
            }
            double weight = event.weight.type != JsonScalar.Type.MISSING ? number(event.weight, "weight") : 1.0;
            if (weight < 0) {
                throw new Rejection(DeadLetterReason.BAD_FIELD, "weight must be >= 0, was " + weight);
            }
            if (weight > limits.maxWeight) {
                throw new Rejection(
                        DeadLetterReason.OUT_OF_RANGE, "weight " + weight + " is above the limit " + limits.maxWeight);
            }
            Example example = new Example(
                    spec.id, optionalText(event.id, "id"), timestamp(), label, weight, model.features(event));
            example.entities = model.entities(event);
            if (!event.servedScore.isMissingOrNull()) {
                example.servedScore = number(event.servedScore, "servedScore");
            }
            example.featuresAsServed = flag(event.featuresAsServed, "featuresAsServed");
            example.use = use(optionalText(event.use, "use"), spec);
            if (example.use == Example.Use.CALIBRATE && !event.servedMargin.isMissingOrNull()) {
                example.servedMargin = number(event.servedMargin, "servedMargin");
            }
            return example;
        });
    }

    /** What the trainer does with a labeled event ({@code "use"}, written by the join); only logistic models learn from fake negatives. */
    private static Example.Use use(String text, ModelSpec spec) {
        if (text == null) {
            return Example.Use.LEARN;
        }
        for (Example.Use u : Example.Use.values()) {
            if (u.toString().equals(text)) {
                if (u != Example.Use.LEARN && spec.loss() != Loss.LOGISTIC) {
                    throw new Rejection(
                            DeadLetterReason.BAD_FIELD,
                            "use '" + text + "' is for models with logistic loss; '" + spec.id + "' has "
                                    + spec.loss());
                }
                return u;
            }
        }
        throw new Rejection(
                DeadLetterReason.BAD_FIELD,
                "use must be one of " + Arrays.toString(Example.Use.values()) + ", was '" + text + "'");
    }

    public ParseResult<PredictionRequest> parseRequest(String payload) {
        return parse(payload, () -> {
            String id = requiredText(event.id, "id");
            ModelFeaturizer model = model();
            PredictionRequest request = new PredictionRequest(id, model.spec.id, timestamp(), model.features(event));
            request.idIsNumber = event.id.type == JsonScalar.Type.NUMBER;
            request.entities = model.entities(event);
            if (flag(event.explain, "explain")) {
                request.explained = model.explained(event, request.features);
            }
            if (model.logRequests || flag(event.log, "log")) {
                request.impressionPayload = payload;
            }
            return request;
        });
    }

    /** An outcome of a served request: {@code {"id":"r1","ts":...,"label":1}}; the label is checked against the model at the join. */
    public ParseResult<Outcome> parseOutcome(String payload) {
        return parse(
                payload,
                () -> new Outcome(requiredText(event.id, "id"), timestamp(), number(event.label, "label"), payload));
    }

    /** A time-series point: {@code {"series":"PJME","ts":1041379200000,"value":26498.0}}. */
    public ParseResult<SeriesPoint> parseSeriesPoint(String payload) {
        return parse(payload, () -> {
            String series = requiredText(event.series, "series");
            if (event.ts.isMissingOrNull()) {
                throw new Rejection(DeadLetterReason.MISSING_FIELD, "ts");
            }
            return new SeriesPoint(series, timestamp(), number(event.value, "value"));
        });
    }

    /** A command; its {@code id}, when it has one, names the model-log line that answers it. */
    public ParseResult<ControlCommand> parseControl(String payload) {
        return parse(payload, () -> {
            ControlCommand command = command(requiredText(event.op, "op"), model().spec);
            command.id = optionalText(event.id, "id");
            return command;
        });
    }

    private ControlCommand command(String op, ModelSpec spec) {
        switch (op) {
            case "freeze":
                return new ControlCommand(ControlCommand.Op.FREEZE, spec.id);
            case "resume":
                return new ControlCommand(ControlCommand.Op.RESUME, spec.id);
            case "rollback":
                ControlCommand rollback = new ControlCommand(ControlCommand.Op.ROLLBACK, spec.id, rollbackTarget());
                return flag(event.force, "force") ? rollback.forced() : rollback;
            case "promote":
                return ControlCommand.promote(spec.id, requiredText(event.to, "to"));
            case "pin":
                return new ControlCommand(ControlCommand.Op.PIN, spec.id);
            case "unpin":
                return new ControlCommand(ControlCommand.Op.UNPIN, spec.id);
            default:
                throw new Rejection(
                        DeadLetterReason.UNKNOWN_OP,
                        "op '" + op + "' is none of freeze, resume, rollback, promote, pin, unpin");
        }
    }

    /** What the fields of a read record become, or the rejection that says why they cannot be used. */
    @FunctionalInterface
    private interface Body<T> {
        T of();
    }

    /** The record read into {@link #event}, made into a value by {@code body}; any rejection becomes the dead letter. */
    private <T> ParseResult<T> parse(String payload, Body<T> body) {
        modelOfRecord = null;
        recordRead = false;
        try {
            read(payload);
            recordRead = true;
            return ParseResult.ok(body.of());
        } catch (Rejection r) {
            DeadLetter dead = deadLetter(r.reason, r.getMessage(), payload);
            dead.modelId = modelOfRecord;
            dead.recordId = recordRead ? readableId(event.id) : null;
            return ParseResult.rejected(dead);
        }
    }

    /** The dead letter of a record of this parser's topic, its payload cut to the configured bound. */
    public DeadLetter deadLetter(DeadLetterReason reason, String detail, String payload) {
        return new DeadLetter(reason, detail, topic, payload, limits.deadLetterPayloadChars);
    }

    /** The dead letter of a record of this parser's topic whose bytes are not text. */
    public DeadLetter deadLetterOfBytes(DeadLetterReason reason, String detail, byte[] raw) {
        return DeadLetter.ofBytes(reason, detail, topic, raw, limits.deadLetterPayloadChars);
    }

    private static boolean flag(JsonScalar v, String field) {
        if (v.type == JsonScalar.Type.MISSING) {
            return false;
        }
        if (v.type != JsonScalar.Type.BOOLEAN) {
            throw new Rejection(DeadLetterReason.BAD_FIELD, field + " must be true or false");
        }
        return v.bool;
    }

    private long rollbackTarget() {
        JsonScalar v = event.version;
        JsonScalar to = event.to;
        if (v.type == JsonScalar.Type.NUMBER && v.fitsLong && v.longValue >= 0) {
            return v.longValue;
        }
        if ("previous-better".equals(v.asText()) || "previous-better".equals(to.asText())) {
            return ControlCommand.PREVIOUS_BETTER;
        }
        if (v.type == JsonScalar.Type.MISSING && to.type == JsonScalar.Type.MISSING) {
            throw new Rejection(DeadLetterReason.MISSING_FIELD, "version (a number, or \"previous-better\")");
        }
        throw new Rejection(DeadLetterReason.BAD_FIELD, "version must be a whole number >= 0 or \"previous-better\"");
    }

    private void read(String payload) {
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
        try {
            event.read(payload);
        } catch (StreamConstraintsException e) {
            // nesting, name and number length limits: valid JSON, but more than an event needs
            throw new Rejection(DeadLetterReason.TOO_LARGE, e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new Rejection(DeadLetterReason.NOT_JSON, e.getOriginalMessage());
        } catch (IOException e) {
            throw new Rejection(DeadLetterReason.NOT_JSON, e.getMessage()); // reading a String: no other I/O
        }
    }

    private ModelFeaturizer model() {
        String id = requiredText(event.model, "model");
        modelOfRecord = id;
        ModelFeaturizer model = models.get(id);
        if (model == null) {
            throw new Rejection(DeadLetterReason.UNKNOWN_MODEL, "model '" + id + "' is not configured");
        }
        return model;
    }

    private double number(JsonScalar v, String field) {
        if (v.isMissingOrNull()) {
            throw new Rejection(DeadLetterReason.MISSING_FIELD, field);
        }
        if (v.type != JsonScalar.Type.NUMBER) {
            throw new Rejection(DeadLetterReason.NOT_NUMERIC, field + " must be a number, was " + v.type);
        }
        return limits.checked(v.number, v.underflows, field);
    }

    private long timestamp() {
        JsonScalar ts = event.ts;
        long now = clock.getAsLong();
        if (ts.isMissingOrNull()) {
            return now;
        }
        if (ts.type != JsonScalar.Type.NUMBER || !ts.fitsLong) {
            throw new Rejection(DeadLetterReason.NOT_NUMERIC, "ts must be epoch milliseconds, was " + ts.display());
        }
        long millis = ts.longValue;
        if (millis < 0) {
            throw new Rejection(DeadLetterReason.OUT_OF_RANGE, "ts " + millis + " is before 1970");
        }
        if (millis >= InputLimits.SECONDS_LOOK_FROM && millis < InputLimits.SECONDS_LOOK_BEFORE) {
            // int(time.time()) in Python: taken as milliseconds it would be January 1970, and silently wrong
            throw new Rejection(
                    DeadLetterReason.OUT_OF_RANGE,
                    "ts " + millis + " reads as epoch seconds (" + Instant.ofEpochSecond(millis)
                            + "); send epoch milliseconds, " + millis + "000");
        }
        if (millis - now > limits.maxTsAheadMillis) {
            throw new Rejection(
                    DeadLetterReason.OUT_OF_RANGE,
                    "ts " + millis + " is " + (millis - now) + " ms ahead of now (limit " + limits.maxTsAheadMillis
                            + " ms)");
        }
        return millis;
    }

    private static String requiredText(JsonScalar v, String field) {
        if (v.isMissingOrNull()) {
            throw new Rejection(DeadLetterReason.MISSING_FIELD, field);
        }
        return text(v, field);
    }

    /** An id as {@link #text} reads one, or null where that would reject it. */
    private static String readableId(JsonScalar v) {
        if (v.type != JsonScalar.Type.STRING && v.type != JsonScalar.Type.NUMBER) {
            return null;
        }
        String text = v.asText();
        return text.length() <= InputLimits.MAX_ID_CHARS ? text : null;
    }

    private static String optionalText(JsonScalar v, String field) {
        return v.isMissingOrNull() ? null : text(v, field);
    }

    private static String text(JsonScalar v, String field) {
        if (v.type != JsonScalar.Type.STRING && v.type != JsonScalar.Type.NUMBER) {
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
}
