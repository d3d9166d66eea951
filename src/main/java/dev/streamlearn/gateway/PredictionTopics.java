package dev.streamlearn.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The gateway's Kafka side: writes requests to the requests topic and reads every prediction
 * from the end of the predictions topic, completing those whose id starts with this gateway's
 * prefix (found in the record's first bytes, without parsing the others').
 */
final class PredictionTopics implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] ID_FIELD = "{\"id\":\"".getBytes(StandardCharsets.UTF_8);

    private final Gateway.Settings settings;
    private final byte[] ownIds;
    private final KafkaProducer<byte[], byte[]> producer;
    private final TopicReader predictions;

    PredictionTopics(Gateway.Settings settings, String idPrefix, PendingPredictions pending) {
        this.settings = settings;
        this.ownIds = concat(ID_FIELD, idPrefix.getBytes(StandardCharsets.UTF_8));
        this.producer = new KafkaProducer<>(producerProperties(settings));
        // from the end: this gateway's answers are to requests it sends from now on
        this.predictions =
                new TopicReader(
                        "gateway-predictions",
                        settings.bootstrapServers(),
                        settings.kafkaClient(),
                        Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5),
                        settings.predictionsTopic(),
                        false) {
                    @Override
                    void accept(byte[] value) throws IOException {
                        if (startsWith(value, ownIds)) {
                            JsonNode prediction = JSON.readTree(value);
                            pending.complete(prediction.path("id").asText(), prediction);
                        }
                    }
                };
        predictions.start();
    }

    /** Sends a request; a failed send fails {@code prediction}. */
    void send(byte[] record, CompletableFuture<JsonNode> prediction) {
        var unused = producer.send(new ProducerRecord<>(settings.requestsTopic(), record), (meta, failure) -> {
            if (failure != null) {
                prediction.completeExceptionally(failure);
            }
        });
    }

    /** Whether it reads predictions from their end, so that no answer to a request sent from now on is missed. */
    boolean awaitReading(Duration timeout) throws InterruptedException {
        return predictions.awaitPositioned(timeout);
    }

    boolean reading() {
        return predictions.positioned();
    }

    /** Whether it still reads predictions (see {@link TopicReader#alive}). */
    boolean alive() {
        return predictions.alive();
    }

    private static boolean startsWith(byte[] value, byte[] prefix) {
        return value.length >= prefix.length && Arrays.equals(value, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static Properties producerProperties(Gateway.Settings s) {
        Properties p = new Properties();
        p.putAll(s.kafkaClient());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    @Override
    public void close() {
        predictions.close();
        producer.close(Duration.ofSeconds(2));
    }
}
