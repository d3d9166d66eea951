package dev.streamlearn.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.model.ModelLogEntry;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The model log as the gateway's page and metadata show it: read from its start (what was
 * committed), the newest {@link #KEPT} lines of each model, and each model's newest line of
 * every event (its last promotion, its last rollback).
 */
final class ModelLogReader extends TopicReader {

    static final int KEPT = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, ArrayDeque<JsonNode>> lines = new HashMap<>();
    private final Map<String, Map<String, JsonNode>> newestByEvent = new HashMap<>();

    ModelLogReader(String bootstrapServers, Properties kafkaClient, String topic) {
        // the job writes the model log in transactions: what a checkpoint committed
        super(
                "gateway-model-log",
                bootstrapServers,
                kafkaClient,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                topic,
                true);
        start();
    }

    /** The model's newest lines, oldest first. */
    synchronized List<JsonNode> lines(String model) {
        return new ArrayList<>(lines.getOrDefault(model, new ArrayDeque<>()));
    }

    /** The model's newest line of the event, or null. */
    synchronized JsonNode newest(String model, ModelLogEntry.Event event) {
        return newestByEvent.getOrDefault(model, Map.of()).get(event.toString());
    }

    @Override
    void accept(byte[] value) {
        JsonNode line;
        try {
            line = JSON.readTree(value);
        } catch (IOException notJson) {
            return; // not a line the job wrote: the page shows what it can read
        }
        add(line);
    }

    private synchronized void add(JsonNode line) {
        String model = line.path("model").asText();
        ArrayDeque<JsonNode> kept = lines.computeIfAbsent(model, m -> new ArrayDeque<>());
        kept.addLast(line);
        if (kept.size() > KEPT) {
            kept.removeFirst();
        }
        newestByEvent
                .computeIfAbsent(model, m -> new HashMap<>())
                .put(line.path("event").asText(), line);
    }
}
