package dev.streamlearn.job;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records of one type to a topic as JSON, keyed by one of their fields (so that records of
 * one key keep their order across partitions) or unkeyed. The key is read from the record itself,
 * not from its JSON.
 */
final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    /** A record's JSON, or its key. */
    @FunctionalInterface
    interface Field<T> extends Serializable {
        String of(T record);
    }

    private final String topic;
    private final Field<T> json;
    private final Field<T> key;

    /** @param key the key of a record, or null for records without one */
    JsonRecordSerializer(String topic, Field<T> json, Field<T> key) {
        this.topic = topic;
        this.json = json;
        this.key = key;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T record, KafkaSinkContext context, Long timestamp) {
        String k = key == null ? null : key.of(record);
        return new ProducerRecord<>(
                topic,
                k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                json.of(record).getBytes(StandardCharsets.UTF_8));
    }
}
