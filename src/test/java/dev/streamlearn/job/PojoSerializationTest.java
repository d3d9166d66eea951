package dev.streamlearn.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.control.ControlCommand;
import dev.streamlearn.inference.Prediction;
import dev.streamlearn.inference.ServedModel;
import dev.streamlearn.ingest.DeadLetter;
import dev.streamlearn.ingest.DeadLetterReason;
import dev.streamlearn.ingest.Example;
import dev.streamlearn.ingest.PredictionRequest;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.testing.Specs;
import dev.streamlearn.training.ModelTrainer;
import java.lang.reflect.Field;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every type that crosses operators or sits in state is a Flink POJO: serialized without Kryo. */
class PojoSerializationTest {

    static Stream<Object> samples() {
        ModelTrainer trainer = new ModelTrainer(Specs.logistic("m", 2, 100));
        trainer.add(new int[] {256, 1}, new double[] {1, 2}, 1, 1, 7);
        trainer.add(new int[] {256, 2}, new double[] {1, 3}, 0, 1, 8);
        trainer.applyBatch();
        trainer.add(new int[] {256, 5}, new double[] {1, 1}, 1, 0.5, 9); // left open
        dev.streamlearn.model.StoredModel stored = trainer.store(11L);
        ModelSnapshot snapshot = trainer.snapshot();
        ServedModel served = new ServedModel("m", 4);
        served.apply(new ModelUpdate("m", 3, 2, true, new int[] {2}, new double[] {0.25}, 0L));
        served.compact();
        return Stream.of(
                new dev.streamlearn.ingest.SourceRecord("{}", 1, 42L),
                new dev.streamlearn.series.SeriesPoint("PJME", 5L, 26498.0),
                seriesState(),
                new dev.streamlearn.series.Forecast("PJME", 6L, 26000.5, "load", 7L),
                new Example("m", "e1", 5L, 1.0, 2.0, new int[] {1, 2}, new double[] {0.5, 1.5}),
                new PredictionRequest("r1", "m", 6L, new int[] {3}, new double[] {1.0}),
                new ControlCommand(ControlCommand.Op.FREEZE, "m"),
                new DeadLetter(DeadLetterReason.BAD_LABEL, "label 2", "t", "{}"),
                new ModelUpdate("m", 4, 3, false, new int[] {1}, new double[] {0.1}, 99L),
                new Prediction("r1", "m", 4, 0.3, 6L),
                snapshot,
                snapshot.metrics,
                snapshot.batch,
                served,
                stored,
                dev.streamlearn.model.ModelLogEntry.of("stored", stored, "file:/store/m/v1.model"));
    }

    private static dev.streamlearn.series.SeriesState seriesState() {
        dev.streamlearn.series.SeriesState s = new dev.streamlearn.series.SeriesState(3);
        dev.streamlearn.series.SeriesWindow.append(s, 1.5, 10L);
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void serializesAsPojoWithoutKryoAndRoundTrips(Object sample) throws Exception {
        @SuppressWarnings("unchecked")
        TypeInformation<Object> type = (TypeInformation<Object>) TypeInformation.of(sample.getClass());
        assertInstanceOf(PojoTypeInfo.class, type, sample.getClass() + " is not a Flink POJO");
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false); // as pipeline.generic-types: false; fails on any Kryo field
        TypeSerializer<Object> serializer = type.createSerializer(config);

        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(sample, out);
        Object copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertFieldsEqual(sample, copy);
    }

    private static void assertFieldsEqual(Object expected, Object actual) throws IllegalAccessException {
        assertEquals(expected.getClass(), actual.getClass());
        for (Field f : expected.getClass().getFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            Object e = f.get(expected);
            Object a = f.get(actual);
            if (e != null && !e.getClass().isEnum() && e.getClass().getName().startsWith("dev.streamlearn")) {
                assertFieldsEqual(e, a);
            } else if (e instanceof Object[] && !(e instanceof String[])) {
                Object[] ea = (Object[]) e;
                Object[] aa = (Object[]) a;
                assertEquals(ea.length, aa.length, f.getName());
                for (int i = 0; i < ea.length; i++) {
                    assertFieldsEqual(ea[i], aa[i]);
                }
            } else {
                assertTrue(Objects.deepEquals(e, a), f.getName() + ": " + e + " != " + a);
            }
        }
    }
}
