package dev.streamlearn.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RawRecordDeserializerTest {

    private final RawRecordDeserializer deserializer = new RawRecordDeserializer("test");

    RawRecordDeserializerTest() {
        deserializer.open(new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return UnregisteredMetricsGroup.createOperatorMetricGroup();
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
            }
        });
    }

    private SourceRecord read(byte[] value) {
        List<SourceRecord> out = new ArrayList<>();
        deserializer.deserialize(new ConsumerRecord<>("t", 1, 7L, null, value), new Collector<>() {
            @Override
            public void collect(SourceRecord record) {
                out.add(record);
            }

            @Override
            public void close() {}
        });
        assertEquals(1, out.size(), "every record reaches the parser");
        return out.get(0);
    }

    @Test
    void marksInvalidUtf8AndOnlyThat() {
        byte[] raw = {'{', (byte) 0xff, (byte) 0xfe, '}'};
        SourceRecord bad = read(raw);
        assertArrayEquals(raw, bad.invalidUtf8, "the bytes as they came, for the dead letter");
        assertEquals(7L, bad.offset);
        SourceRecord replacementCharacter = read("{\"x\":\"\uFFFD\"}".getBytes(StandardCharsets.UTF_8));
        assertNull(replacementCharacter.invalidUtf8, "U+FFFD written as such is valid text");
        SourceRecord tombstone = read(null);
        assertEquals("", tombstone.value);
        assertNull(tombstone.invalidUtf8);
    }
}
