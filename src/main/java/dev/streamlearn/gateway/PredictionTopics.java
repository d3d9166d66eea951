package dev.streamlearn.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
    private final PendingPredictions pending;
    private final byte[] ownIds;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread reader;
    private final CountDownLatch readingFromTheEnd = new CountDownLatch(1);
    private volatile boolean running = true;

    PredictionTopics(Gateway.Settings settings, String idPrefix, PendingPredictions pending) {
        this.settings = settings;
        this.pending = pending;
        this.ownIds = concat(ID_FIELD, idPrefix.getBytes(StandardCharsets.UTF_8));
        this.producer = new KafkaProducer<>(producerProperties(settings));
        this.consumer = new KafkaConsumer<>(consumerProperties(settings));
        this.reader = new Thread(this::readPredictions, "gateway-predictions");
        reader.setDaemon(true);
        reader.start();
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
        return readingFromTheEnd.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean reading() {
        return readingFromTheEnd.getCount() == 0;
    }

    private void readPredictions() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(settings.predictionsTopic()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            readingFromTheEnd.countDown();
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    byte[] value = r.value();
                    if (value != null && startsWith(value, ownIds)) {
                        JsonNode prediction = JSON.readTree(value);
                        pending.complete(prediction.path("id").asText(), prediction);
                    }
                }
            }
        } catch (WakeupException closing) {
            // close() stops the reader
        } catch (IOException | RuntimeException e) {
            if (running) {
                throw new IllegalStateException("reading predictions failed", e);
            }
        } finally {
            consumer.close();
        }
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

    private static Properties consumerProperties(Gateway.Settings s) {
        Properties p = new Properties();
        p.putAll(s.kafkaClient());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
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
        producer.close(Duration.ofSeconds(2));
    }
}
