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

    /** A record's JSON, in UTF-8. */
    @FunctionalInterface
    interface Value<T> extends Serializable {
        byte[] of(T record);
    }

    /** A record's key. */
    @FunctionalInterface
    interface Key<T> extends Serializable {
        String of(T record);
    }

    private final String topic;
    private final Value<T> json;
    private final Key<T> key;

    /** @param key the key of a record, or null for records without one */
    JsonRecordSerializer(String topic, Value<T> json, Key<T> key) {
        this.topic = topic;
        this.json = json;
        this.key = key;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T record, KafkaSinkContext context, Long timestamp) {
        String k = key == null ? null : key.of(record);
        return new ProducerRecord<>(topic, k == null ? null : k.getBytes(StandardCharsets.UTF_8), json.of(record));
    }
}
