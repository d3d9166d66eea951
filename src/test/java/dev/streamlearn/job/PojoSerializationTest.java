package dev.streamlearn.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.entities.EntityFeatures;
import dev.streamlearn.entities.EntityStats;
import dev.streamlearn.entities.PriorState;
import dev.streamlearn.features.ScalerState;
import dev.streamlearn.inference.ServedModel;
import dev.streamlearn.ingest.SourceRecord;
import dev.streamlearn.model.Calibration;
import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.SparseWeights;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.outcomes.ClosedImpression;
import dev.streamlearn.records.ControlCommand;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.DeadLetterReason;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Explanation;
import dev.streamlearn.records.FeatureNames;
import dev.streamlearn.records.Features;
import dev.streamlearn.records.Forecast;
import dev.streamlearn.records.Impression;
import dev.streamlearn.records.Outcome;
import dev.streamlearn.records.Prediction;
import dev.streamlearn.records.PredictionRequest;
import dev.streamlearn.records.SeriesPoint;
import dev.streamlearn.records.SeriesScale;
import dev.streamlearn.series.SeriesState;
import dev.streamlearn.series.SeriesWindow;
import dev.streamlearn.testing.Examples;
import dev.streamlearn.testing.Specs;
import dev.streamlearn.training.ModelTrainer;
import dev.streamlearn.training.Scaling;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
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

/**
 * Every type that crosses operators or sits in state is a Flink POJO, or (examples, requests) has a serializer
 * of its own: serialized without Kryo.
 */
class PojoSerializationTest {

    static Stream<Object> samples() {
        ModelTrainer trainer = new ModelTrainer(Specs.logistic("m", 2, 100));
        trainer.add(Examples.numeric(1, new int[] {1}, new double[] {2}), 7);
        trainer.add(Examples.numeric(0, new int[] {1}, new double[] {3}), 8);
        trainer.applyBatch();
        trainer.add(Examples.numeric(1, new int[] {1, 5}, new double[] {1, 4}), 9); // left open
        StoredModel stored = trainer.store(11L);
        ModelSnapshot snapshot = trainer.snapshot();
        ServedModel served = new ServedModel("m", 4);
        ModelUpdate update = new ModelUpdate(
                "m",
                3,
                2,
                true,
                SparseWeights.of(new int[] {2}, new double[] {0.25}),
                new ScalerState(new int[] {2}, new double[] {3}, new double[] {1.5}, new double[] {0.25}),
                new Calibration(0.8, -0.25, 12),
                0L);
        served.apply(update, Scaling.newScaler(Specs.logistic("m", 2, 100)));
        served.compact();
        PredictionRequest withEntities = new PredictionRequest("r2", "m", 6L, Features.categorical(3));
        withEntities.entities = new String[] {"u1", null};
        withEntities.explained = new FeatureNames(new String[] {"site=a"}, new String[] {"user.rate_1h"});
        Prediction explained = new Prediction("r2", "m", 4, 0.3, 6L);
        explained.explanation = new Explanation();
        explained.explanation.bias = -1;
        explained.explanation.names = new String[] {"site=a"};
        explained.explanation.raw = new double[] {Double.NaN};
        explained.explanation.values = new double[] {1};
        explained.explanation.weights = new double[] {0.5};
        explained.explanation.contributions = new double[] {0.5};
        EntityStats entity = new EntityFeatures("user", new long[] {1000L}, 10, "rate").empty();
        new EntityFeatures("user", new long[] {1000L}, 10, "rate").count(entity, 5L, 1.0);
        Example series = new Example("m", "s", 5L, 0.5, 1.0, Features.categorical(7));
        series.series = new SeriesScale(100, 10, 104);
        return Stream.of(
                new SourceRecord("{}", 1, 42L),
                new SeriesPoint("PJME", 5L, 26498.0),
                seriesState(),
                new Forecast("PJME", 6L, 26000.5, "load", 7L),
                new Example("m", "e1", 5L, 1.0, 2.0, new Features(new int[] {1}, new int[] {2}, new double[] {1.5})),
                series,
                new PredictionRequest("r1", "m", 6L, Features.categorical(3)),
                withEntities,
                explained,
                entity,
                new PriorState("m", 0.25, 42L),
                new ControlCommand(ControlCommand.Op.FREEZE, "m"),
                new DeadLetter(DeadLetterReason.BAD_LABEL, "label 2", "t", "{}", 4096),
                update,
                new Prediction("r1", "m", 4, 0.3, 6L),
                new Impression("r1", "m", 6L, 0.3, 4, "{\"id\":\"r1\"}"),
                new Calibration(0.8, -0.25, 12),
                new Outcome("r1", 7L, 1.0, "{\"id\":\"r1\",\"label\":1}"),
                new ClosedImpression(true, 9L),
                snapshot,
                snapshot.metrics,
                snapshot.state,
                served,
                stored,
                ModelLogEntry.of(ModelLogEntry.Event.STORED, stored, "file:/store/m/v1.model"));
    }

    private static SeriesState seriesState() {
        SeriesState s = new SeriesState(3);
        SeriesWindow.append(s, 1.5, 10L);
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void serializesAsPojoWithoutKryoAndRoundTrips(Object sample) throws Exception {
        @SuppressWarnings("unchecked")
        TypeInformation<Object> type = (TypeInformation<Object>) TypeInformation.of(sample.getClass());
        // examples and requests have serializers of their own: ExampleSerializerTest, PredictionRequestSerializerTest
        if (!(sample instanceof Example) && !(sample instanceof PredictionRequest)) {
            assertInstanceOf(PojoTypeInfo.class, type, sample.getClass() + " is not a Flink POJO");
        }
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
            if (Modifier.isStatic(f.getModifiers())) {
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
