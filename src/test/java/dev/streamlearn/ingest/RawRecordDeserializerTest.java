package dev.streamlearn.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class RawRecordDeserializerTest {

    private final RawRecordDeserializer deserializer = new RawRecordDeserializer();

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
        SourceRecord bad = read(new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'});
        assertTrue(bad.invalidUtf8);
        assertEquals(7L, bad.offset);
        SourceRecord replacementCharacter = read("{\"x\":\"\uFFFD\"}".getBytes(StandardCharsets.UTF_8));
        assertFalse(replacementCharacter.invalidUtf8, "U+FFFD written as such is valid text");
        SourceRecord tombstone = read(null);
        assertEquals("", tombstone.value);
        assertFalse(tombstone.invalidUtf8);
    }
}
