package dev.streamlearn.job;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.Explanation;
import dev.streamlearn.records.Forecast;
import dev.streamlearn.records.Prediction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The JSON the job writes to its output topics (formats in README.md), in UTF-8 as it goes to Kafka.
 * Written field by field with Jackson's generator, without a tree; the common prediction straight
 * into its bytes ({@link PredictionBytes}).
 */
public final class Json {

    /**
     * Doubles in the shortest form that reads back to the same double (Schubfach, as Java 19's
     * {@code Double.toString}): Java 17's took a third of writing a prediction. A character beyond
     * the Basic Multilingual Plane is written as its two escapes, and so is a lone surrogate (a
     * request can carry one as an escape): the text reads back as it came. Combining pairs into one
     * UTF-8 sequence (Jackson's COMBINE_UNICODE_SURROGATES_IN_UTF8) joins a lone high surrogate with
     * the character after it.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private Json() {}

    /** What writes one record's fields between its braces. */
    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    public static byte[] prediction(Prediction p) {
        byte[] common = PredictionBytes.of(p);
        return common != null ? common : predictionWithGenerator(p);
    }

    /** Any prediction, written with the generator: what {@link PredictionBytes} writes for the common one, and the rest. */
    public static byte[] predictionWithGenerator(Prediction p) {
        return object(g -> {
            if (p.idIsNumber) {
                g.writeFieldName("id");
                g.writeNumber(p.id); // as the request had it: the parser took it as a JSON number
            } else {
                g.writeStringField("id", p.id);
            }
            g.writeStringField("model", p.modelId);
            g.writeNumberField("modelVersion", p.modelVersion);
            g.writeNumberField("score", p.score);
            g.writeNumberField("ts", p.ts);
            if (p.explanation != null) {
                g.writeObjectFieldStart("explanation");
                explanation(g, p.explanation);
                g.writeEndObject();
            }
        });
    }

    /** The bias, the margin, the calibration if any, and every feature by what it added, largest first. */
    private static void explanation(JsonGenerator g, Explanation e) throws IOException {
        double margin = e.bias;
        Integer[] order = new Integer[e.names.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
            margin += e.contributions[k];
        }
        Arrays.sort(order, Comparator.comparingDouble(k -> -Math.abs(e.contributions[k])));
        g.writeNumberField("bias", e.bias);
        g.writeNumberField("margin", margin);
        if (!Double.isNaN(e.calibrationSlope)) {
            g.writeObjectFieldStart("calibration");
            g.writeNumberField("slope", e.calibrationSlope);
            g.writeNumberField("offset", e.calibrationOffset);
            g.writeEndObject();
        }
        g.writeArrayFieldStart("features");
        for (int k : order) {
            g.writeStartObject();
            g.writeStringField("name", e.names[k]);
            if (!Double.isNaN(e.raw[k])) {
                g.writeNumberField("raw", e.raw[k]);
            }
            g.writeNumberField("value", e.values[k]);
            g.writeNumberField("weight", e.weights[k]);
            g.writeNumberField("contribution", e.contributions[k]);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    public static byte[] forecast(Forecast f) {
        return object(g -> {
            g.writeStringField("series", f.series);
            g.writeNumberField("ts", f.ts);
            g.writeNumberField("forecast", f.forecast);
            g.writeStringField("model", f.modelId);
            g.writeNumberField("modelVersion", f.modelVersion);
        });
    }

    public static byte[] deadLetter(DeadLetter d) {
        return object(g -> {
            g.writeStringField("reason", d.reason);
            g.writeStringField("detail", d.detail);
            g.writeStringField("topic", d.topic);
            g.writeStringField("payload", d.payload);
            g.writeNumberField("payloadBytes", d.payloadBytes);
            if (d.payloadSha256 != null) {
                g.writeStringField("payloadSha256", d.payloadSha256);
            }
        });
    }

    public static byte[] modelLog(ModelLogEntry e) {
        return object(g -> {
            g.writeStringField("event", e.event.toString());
            g.writeStringField("model", e.modelId);
            g.writeNumberField("version", e.version);
            if (e.parentVersion >= 0) {
                g.writeNumberField("parentVersion", e.parentVersion);
            }
            if (e.path != null) {
                g.writeStringField("path", e.path);
            }
            if (e.event != ModelLogEntry.Event.REJECTED) {
                g.writeNumberField("examplesTrained", e.examplesTrained);
            }
            if (e.learner != null) {
                g.writeStringField("learner", e.learner);
            }
            if (e.reason != null) {
                g.writeStringField("reason", e.reason);
            }
            if (e.command != null) {
                g.writeStringField("command", e.command);
            }
            g.writeNumberField("ts", e.ts);
            if (e.metricNames.length > 0) {
                g.writeObjectFieldStart("metrics");
                for (int i = 0; i < e.metricNames.length; i++) {
                    if (Double.isFinite(e.metricValues[i])) {
                        g.writeNumberField(e.metricNames[i], e.metricValues[i]);
                    }
                }
                g.writeEndObject();
            }
        });
    }

    /** A control command the parser rejected, as a model-log line naming the model where it can. */
    public static ModelLogEntry rejectedCommand(DeadLetter d) {
        ModelLogEntry line =
                ModelLogEntry.rejected(d.modelId, -1, d.reason + ": " + d.detail, System.currentTimeMillis());
        line.command = d.recordId;
        return line;
    }

    /** The record's JSON in UTF-8, as it goes to Kafka. */
    private static byte[] object(Fields fields) {
        ByteArrayBuilder out = new ByteArrayBuilder(128);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON", e); // writing to memory does not fail
        }
        return out.toByteArray();
    }
}
