package dev.streamlearn.records.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.streamlearn.records.FeatureNames;
import dev.streamlearn.records.Features;
import dev.streamlearn.records.PredictionRequest;
import dev.streamlearn.records.SeriesScale;
import dev.streamlearn.records.Stamps;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.junit.jupiter.api.Test;

class PredictionRequestSerializerTest extends RecordSerializerContract<PredictionRequest> {

    @Override
    Class<PredictionRequest> type() {
        return PredictionRequest.class;
    }

    @Override
    TypeSerializer<PredictionRequest> instance() {
        return PredictionRequestSerializer.INSTANCE;
    }

    @Override
    TypeSerializerSnapshot<PredictionRequest> emptySnapshot() {
        return new PredictionRequestSerializer.Snapshot();
    }

    @Override
    PredictionRequest everyFieldSet() {
        PredictionRequest r = new PredictionRequest(
                "r-1", "ctr", 1_700_000_000_123L, new Features(new int[] {3, 1 << 19}, new int[] {7}, new double[] {
                    -1.25
                }));
        r.idIsNumber = true;
        r.series = "PJME";
        r.scale = new SeriesScale(100.5, 10.25, 104.0);
        r.impressionPayload = "{\"id\":\"r-1\",\"model\":\"ctr\",\"features\":{\"site\":\"\\u00e9\"}}";
        r.entities = new String[] {"u7", null};
        r.explained = new FeatureNames(new String[] {"site=a", "ad=\uD83D\uDE00"}, new String[] {"price"});
        r.added = new String[] {"user.rate_1h", "user.events_1h"};
        r.stampedBy = Stamps.PROCESS;
        r.readAtNanos = 1_000_000_123L;
        r.parsedAtNanos = 1_000_004_567L;
        return r;
    }

    @Test
    void aRequestWithOnlyItsFeaturesRoundTrips() throws Exception {
        PredictionRequest plain = new PredictionRequest("r", "m", 5L, Features.categorical(1, 2));
        PredictionRequest back = roundTrip(plain);
        assertSameFields(plain, back);
        assertNull(back.series);
        assertNull(back.scale);
        assertNull(back.impressionPayload);
        assertNull(back.entities);
        assertNull(back.explained);
    }

    @Test
    void nullsInsideNestedRecordsRoundTrip() throws Exception {
        PredictionRequest r = new PredictionRequest();
        r.features = new Features(new int[0], null, new double[0]);
        r.explained = new FeatureNames(null, new String[] {null, "x"});
        PredictionRequest back = roundTrip(r);
        assertNull(back.id);
        assertNull(back.modelId);
        assertEquals(0, back.features.categorical.length);
        assertNull(back.features.numeric);
        assertNull(back.explained.categorical);
        assertArrayEquals(new String[] {null, "x"}, back.explained.numeric);
    }
}
