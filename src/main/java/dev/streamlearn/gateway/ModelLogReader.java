package dev.streamlearn.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.model.ModelLogEntry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The model log as the gateway's page and metadata show it: read from its start (what was
 * committed), the newest {@link #KEPT} lines of each model, and each model's newest line of
 * every event (its last promotion, its last rollback).
 */
final class ModelLogReader implements AutoCloseable {

    static final int KEPT = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread reader;
    private final Map<String, ArrayDeque<JsonNode>> lines = new HashMap<>();
    private final Map<String, Map<String, JsonNode>> newestByEvent = new HashMap<>();
    private volatile boolean running = true;

    ModelLogReader(String bootstrapServers, Properties kafkaClient, String topic) {
        this.topic = topic;
        Properties p = new Properties();
        p.putAll(kafkaClient);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // the job writes the model log in transactions: what a checkpoint committed
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.reader = new Thread(this::read, "gateway-model-log");
        reader.setDaemon(true);
        reader.start();
    }

    /** The model's newest lines, oldest first. */
    synchronized List<JsonNode> lines(String model) {
        return new ArrayList<>(lines.getOrDefault(model, new ArrayDeque<>()));
    }

    /** The model's newest line of the event, or null. */
    synchronized JsonNode newest(String model, ModelLogEntry.Event event) {
        return newestByEvent.getOrDefault(model, Map.of()).get(event.toString());
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

    private void read() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            // the topic may not exist yet (a job that has not written its log): look again until it does
            while (running && partitions.isEmpty()) {
                consumer.partitionsFor(topic)
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                if (partitions.isEmpty()) {
                    Thread.sleep(1000);
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() != null) {
                        try {
                            add(JSON.readTree(r.value()));
                        } catch (IOException notJson) {
                            // not a line the job wrote: the page shows what it can read
                        }
                    }
                }
            }
        } catch (WakeupException closing) {
            // close() stops the reader
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
