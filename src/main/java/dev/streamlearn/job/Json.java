package dev.streamlearn.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.Explanation;
import dev.streamlearn.records.Forecast;
import dev.streamlearn.records.Prediction;
import java.util.Arrays;
import java.util.Comparator;

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
        if (p.explanation != null) {
            explanation(n.putObject("explanation"), p.explanation);
        }
        return write(n);
    }

    /** The bias, the margin, and every feature by what it added, largest first. */
    private static void explanation(ObjectNode n, Explanation e) {
        double margin = e.bias;
        Integer[] order = new Integer[e.names.length];
        for (int k = 0; k < order.length; k++) {
            order[k] = k;
            margin += e.contributions[k];
        }
        Arrays.sort(order, Comparator.comparingDouble(k -> -Math.abs(e.contributions[k])));
        n.put("bias", e.bias);
        n.put("margin", margin);
        ArrayNode features = n.putArray("features");
        for (int k : order) {
            ObjectNode f = features.addObject();
            f.put("name", e.names[k]);
            if (!Double.isNaN(e.raw[k])) {
                f.put("raw", e.raw[k]);
            }
            f.put("value", e.values[k]);
            f.put("weight", e.weights[k]);
            f.put("contribution", e.contributions[k]);
        }
    }

    public static String forecast(Forecast f) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("series", f.series);
        n.put("ts", f.ts);
        n.put("forecast", f.forecast);
        n.put("model", f.modelId);
        n.put("modelVersion", f.modelVersion);
        return write(n);
    }

    public static String deadLetter(DeadLetter d) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("reason", d.reason);
        n.put("detail", d.detail);
        n.put("topic", d.topic);
        n.put("payload", d.payload);
        n.put("payloadBytes", d.payloadBytes);
        if (d.payloadSha256 != null) {
            n.put("payloadSha256", d.payloadSha256);
        }
        return write(n);
    }

    public static String modelLog(ModelLogEntry e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("event", e.event.toString());
        n.put("model", e.modelId);
        n.put("version", e.version);
        if (e.parentVersion >= 0) {
            n.put("parentVersion", e.parentVersion);
        }
        if (e.path != null) {
            n.put("path", e.path);
        }
        if (e.event != ModelLogEntry.Event.REJECTED) {
            n.put("examplesTrained", e.examplesTrained);
        }
        if (e.reason != null) {
            n.put("reason", e.reason);
        }
        n.put("ts", e.ts);
        if (e.metricNames.length > 0) {
            ObjectNode m = n.putObject("metrics");
            for (int i = 0; i < e.metricNames.length; i++) {
                if (Double.isFinite(e.metricValues[i])) {
                    m.put(e.metricNames[i], e.metricValues[i]);
                }
            }
        }
        return write(n);
    }

    /** A control command the parser rejected, as a model-log line naming the model where it can. */
    public static ModelLogEntry rejectedCommand(DeadLetter d) {
        return ModelLogEntry.rejected(d.modelId, -1, d.reason + ": " + d.detail, System.currentTimeMillis());
    }

    private static String write(ObjectNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
