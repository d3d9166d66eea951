package dev.streamlearn.records.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * What every record with a serializer of its own must do: Flink finds it without Kryo, every field
 * (nested records' too) round-trips and is copied deeply, and it restores from its snapshot.
 */
abstract class RecordSerializerContract<T> {

    abstract Class<T> type();

    abstract TypeSerializer<T> instance();

    abstract TypeSerializerSnapshot<T> emptySnapshot();

    /** Every field set to something other than what a new record has, so that a field left out shows. */
    abstract T everyFieldSet();

    final TypeSerializer<T> serializer() {
        return TypeInformation.of(type()).createSerializer(new SerializerConfigImpl());
    }

    @Test
    void flinkFindsTheSerializerWithoutKryo() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        assertInstanceOf(RecordTypeInfo.class, TypeInformation.of(type()));
        assertSame(instance(), TypeInformation.of(type()).createSerializer(config));
        assertEquals(TypeInformation.of(type()), TypeInformation.of(type()));
    }

    @Test
    void everyFieldRoundTrips() throws Exception {
        T sample = everyFieldSet();
        assertEveryFieldSet(sample, type().getConstructor().newInstance());
        assertSameFields(sample, roundTrip(sample));
    }

    @Test
    void copiesAreDeep() {
        T sample = everyFieldSet();
        T copy = serializer().copy(sample);
        assertSameFields(sample, copy);
        assertNothingShared(sample, copy);
    }

    @Test
    void copiesBetweenViewsAndRestoresFromItsSnapshot() throws Exception {
        DataOutputSerializer first = new DataOutputSerializer(64);
        serializer().serialize(everyFieldSet(), first);
        DataOutputSerializer second = new DataOutputSerializer(64);
        serializer().copy(new DataInputDeserializer(first.getCopyOfBuffer()), second);
        assertArrayEquals(first.getCopyOfBuffer(), second.getCopyOfBuffer());

        TypeSerializerSnapshot<T> snapshot = serializer().snapshotConfiguration();
        DataOutputSerializer written = new DataOutputSerializer(16);
        snapshot.writeSnapshot(written);
        TypeSerializerSnapshot<T> read = emptySnapshot();
        read.readSnapshot(
                snapshot.getCurrentVersion(),
                new DataInputDeserializer(written.getCopyOfBuffer()),
                getClass().getClassLoader());
        assertSame(instance(), read.restoreSerializer());
        assertTrue(read.resolveSchemaCompatibility(snapshot).isCompatibleAsIs());
    }

    final T roundTrip(T record) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer().serialize(record, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T back = serializer().deserialize(in);
        assertEquals(0, in.available(), "bytes left unread");
        return back;
    }

    private static boolean isRecord(Object o) {
        // an enum's constants are shared by every record, as immutable as a number
        return o != null && !(o instanceof Enum<?>) && o.getClass().getName().startsWith("dev.streamlearn.records");
    }

    private static void assertEveryFieldSet(Object sample, Object fresh) throws ReflectiveOperationException {
        for (Field f : sample.getClass().getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            Object value = f.get(sample);
            assertFalse(
                    Objects.deepEquals(value, f.get(fresh)),
                    "the sample leaves " + f.getName() + " as a new record has it; set it, and serialize it");
            if (isRecord(value)) {
                assertEveryFieldSet(value, value.getClass().getConstructor().newInstance());
            }
        }
    }

    /** Field by field, into nested records: a field added to any of them is compared too. */
    static void assertSameFields(Object expected, Object actual) {
        try {
            for (Field f : expected.getClass().getFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                Object e = f.get(expected);
                Object a = f.get(actual);
                if (isRecord(e)) {
                    assertSameFields(e, a);
                } else {
                    assertTrue(Objects.deepEquals(e, a), f.getName() + ": " + e + " != " + a);
                }
            }
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    /** No array or nested record of the copy is the original's: changing one cannot change the other. */
    private static void assertNothingShared(Object original, Object copy) {
        try {
            for (Field f : original.getClass().getFields()) {
                Object o = f.get(original);
                if (Modifier.isStatic(f.getModifiers()) || o == null) {
                    continue;
                }
                if (o.getClass().isArray()) {
                    assertNotSame(o, f.get(copy), f.getName());
                } else if (isRecord(o)) {
                    assertNotSame(o, f.get(copy), f.getName());
                    assertNothingShared(o, f.get(copy));
                }
            }
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
