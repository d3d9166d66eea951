package dev.streamlearn.records.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.records.Example;
import dev.streamlearn.records.Features;
import dev.streamlearn.records.SeriesScale;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ExampleSerializerTest {

    private static final TypeSerializer<Example> SERIALIZER =
            TypeInformation.of(Example.class).createSerializer(new SerializerConfigImpl());

    /** Every field set to something other than what a new Example has, so a field left out shows. */
    private static Example everyFieldSet() {
        Example e = new Example(
                "ctr",
                "e-1",
                1_700_000_000_123L,
                0.75,
                2.5,
                new Features(new int[] {3, 1 << 19}, new int[] {7}, new double[] {-1.25}));
        e.partition = 3;
        e.offset = 1L << 40;
        e.servedScore = 0.125;
        e.series = new SeriesScale(100.5, 10.25, 104.0);
        e.entities = new String[] {"u7", null};
        return e;
    }

    @Test
    void flinkFindsTheSerializerWithoutKryo() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        assertInstanceOf(ExampleTypeInfo.class, TypeInformation.of(Example.class));
        assertSame(ExampleSerializer.INSTANCE, TypeInformation.of(Example.class).createSerializer(config));
    }

    @Test
    void everyFieldOfAnExampleRoundTrips() throws Exception {
        Example sample = everyFieldSet();
        Example fresh = new Example();
        for (Field f : Example.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                assertTrue(
                        !Objects.deepEquals(f.get(sample), f.get(fresh)),
                        "the sample leaves " + f.getName() + " as a new example has it; set it, and serialize it");
            }
        }
        assertSameFields(sample, roundTrip(sample));
    }

    @Test
    void nullsAndNotANumberRoundTrip() throws Exception {
        Example sparse = new Example();
        Example copy = roundTrip(sparse);
        assertNull(copy.modelId);
        assertNull(copy.id);
        assertNull(copy.features);
        assertNull(copy.series);
        assertEquals(-1, copy.partition);
        assertTrue(Double.isNaN(copy.servedScore));

        Example noNumeric = new Example("m", null, 1L, 1.0, 1.0, new Features(new int[] {1}, null, new double[0]));
        Example back = roundTrip(noNumeric);
        assertArrayEquals(new int[] {1}, back.features.categorical);
        assertNull(back.features.numeric);
        assertEquals(0, back.features.numericValues.length);
    }

    @Test
    void copiesAreDeep() {
        Example sample = everyFieldSet();
        Example copy = SERIALIZER.copy(sample);
        assertSameFields(sample, copy);
        assertNotSame(sample.features.categorical, copy.features.categorical);
        assertNotSame(sample.series, copy.series);
        copy.features.numericValues[0] = 9;
        assertNotEquals(9, sample.features.numericValues[0]);
    }

    @Test
    void copiesBetweenViewsAndRestoresFromItsSnapshot() throws Exception {
        DataOutputSerializer first = new DataOutputSerializer(64);
        SERIALIZER.serialize(everyFieldSet(), first);
        DataOutputSerializer second = new DataOutputSerializer(64);
        SERIALIZER.copy(new DataInputDeserializer(first.getCopyOfBuffer()), second);
        assertArrayEquals(first.getCopyOfBuffer(), second.getCopyOfBuffer());

        TypeSerializerSnapshot<Example> snapshot = SERIALIZER.snapshotConfiguration();
        DataOutputSerializer written = new DataOutputSerializer(16);
        snapshot.writeSnapshot(written);
        ExampleSerializer.Snapshot read = new ExampleSerializer.Snapshot();
        read.readSnapshot(
                snapshot.getCurrentVersion(),
                new DataInputDeserializer(written.getCopyOfBuffer()),
                getClass().getClassLoader());
        assertSame(ExampleSerializer.INSTANCE, read.restoreSerializer());
        assertTrue(read.resolveSchemaCompatibility(snapshot).isCompatibleAsIs());
    }

    private static Example roundTrip(Example e) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SERIALIZER.serialize(e, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        Example back = SERIALIZER.deserialize(in);
        assertEquals(0, in.available(), "bytes left unread");
        return back;
    }

    /** Field by field, into the features and the series scale: a field added to any of them is compared too. */
    private static void assertSameFields(Object expected, Object actual) {
        try {
            for (Field f : expected.getClass().getFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                Object e = f.get(expected);
                Object a = f.get(actual);
                if (e instanceof Features || e instanceof SeriesScale) {
                    assertSameFields(e, a);
                } else {
                    assertTrue(Objects.deepEquals(e, a), f.getName() + ": " + e + " != " + a);
                }
            }
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
