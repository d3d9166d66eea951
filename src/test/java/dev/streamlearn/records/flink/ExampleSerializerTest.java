package dev.streamlearn.records.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.records.Example;
import dev.streamlearn.records.Features;
import dev.streamlearn.records.SeriesScale;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.junit.jupiter.api.Test;

class ExampleSerializerTest extends RecordSerializerContract<Example> {

    @Override
    Class<Example> type() {
        return Example.class;
    }

    @Override
    TypeSerializer<Example> instance() {
        return ExampleSerializer.INSTANCE;
    }

    @Override
    TypeSerializerSnapshot<Example> emptySnapshot() {
        return new ExampleSerializer.Snapshot();
    }

    @Override
    Example everyFieldSet() {
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
        e.featuresAsServed = true;
        e.use = Example.Use.CALIBRATE;
        e.servedMargin = -1.5;
        return e;
    }

    @Test
    void nullsAndNotANumberRoundTrip() throws Exception {
        Example copy = roundTrip(new Example());
        assertNull(copy.modelId);
        assertNull(copy.id);
        assertNull(copy.features);
        assertNull(copy.series);
        assertNull(copy.entities);
        assertEquals(-1, copy.partition);
        assertTrue(Double.isNaN(copy.servedScore));

        Example noNumeric = new Example("m", null, 1L, 1.0, 1.0, new Features(new int[] {1}, null, new double[0]));
        Example back = roundTrip(noNumeric);
        assertArrayEquals(new int[] {1}, back.features.categorical);
        assertNull(back.features.numeric);
        assertEquals(0, back.features.numericValues.length);
    }
}
