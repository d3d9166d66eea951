package dev.streamlearn.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.datasets.DatasetEvent;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Helpers to turn dataset events into the records a producer would send. */
public final class Events {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Events() {}

    public static List<String> json(List<DatasetEvent> events) {
        List<String> out = new ArrayList<>(events.size());
        for (DatasetEvent e : events) {
            out.add(e.json);
        }
        return out;
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Log loss of always predicting the labels' mean: what a model must beat to have learnt anything. */
    public static double baseRateLogLoss(List<DatasetEvent> events) {
        double positives = 0;
        for (DatasetEvent e : events) {
            positives += e.label;
        }
        double p = positives / events.size();
        return -(p * Math.log(p) + (1 - p) * Math.log(1 - p));
    }
}
