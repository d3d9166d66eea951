package dev.streamlearn.gateway;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one topic on a thread of its own, every partition, without a consumer group: from its
 * start or its end, each record's value to {@link #accept}. {@link #close} stops it.
 */
abstract class TopicReader implements AutoCloseable {

    private final String topic;
    private final boolean fromStart;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch positioned = new CountDownLatch(1);
    private volatile boolean running = true;

    /** @param settings consumer settings of its own over the client's (fetch wait, isolation) */
    TopicReader(
            String threadName,
            String bootstrapServers,
            Properties kafkaClient,
            Map<String, Object> settings,
            String topic,
            boolean fromStart) {
        this.topic = topic;
        this.fromStart = fromStart;
        Properties p = new Properties();
        p.putAll(kafkaClient);
        p.putAll(settings);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.thread = new Thread(this::read, threadName);
        thread.setDaemon(true);
    }

    /** Starts reading: called by the subclass once it is built. */
    final void start() {
        thread.start();
    }

    /** Whether every partition has its position: records written from now on will be read. */
    final boolean positioned() {
        return positioned.getCount() == 0;
    }

    /** Waits until {@link #positioned}; false when it is not within the timeout. */
    final boolean awaitPositioned(Duration timeout) throws InterruptedException {
        return positioned.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Whether it reads on, or was closed: false once its thread has ended of an error (a failure
     * of Kafka's client that it cannot retry, a class gone from under the process), when the
     * gateway no longer learns what it waits for.
     */
    final boolean alive() {
        return !running || thread.getState() != Thread.State.TERMINATED;
    }

    /** A record's value (not null); a value it cannot use is its own to skip. */
    abstract void accept(byte[] value) throws IOException;

    private void read() {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            // the topic may not exist yet (a job that has not written to it): look again until it does
            while (running && partitions.isEmpty()) {
                consumer.partitionsFor(topic)
                        .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                if (partitions.isEmpty()) {
                    Thread.sleep(1000);
                }
            }
            consumer.assign(partitions);
            if (fromStart) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            partitions.forEach(consumer::position);
            positioned.countDown();
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) {
                        accept(r.value());
                    }
                }
            }
        } catch (WakeupException closing) {
            // close() stops the reader
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            if (running) {
                throw new IllegalStateException("reading topic '" + topic + "' failed", e);
            }
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
