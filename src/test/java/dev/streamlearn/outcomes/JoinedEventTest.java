package dev.streamlearn.outcomes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.entities.EntityEnrichment;
import dev.streamlearn.entities.EntityStats;
import dev.streamlearn.ingest.EventParser;
import dev.streamlearn.ingest.InputLimits;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Features;
import dev.streamlearn.records.Impression;
import dev.streamlearn.records.PredictionRequest;
import dev.streamlearn.testing.Specs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JoinedEventTest {

    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_700_000_000_000L;

    /**
     * A request for user u7 is served; inside its attribution window u7 clicks twice, so the
     * entity's statistics move; the impression's joined example is learnt from the statistics the
     * request was scored with, bit for bit, and its label still counts for u7.
     */
    @Test
    void aJoinedImpressionIsLearntFromTheFeaturesItWasServedWithAndStillCountsForItsEntity() {
        ModelSpec spec = Specs.logistic("ctr", 10, 100).toBuilder()
                .set(ModelOptions.ENTITIES, List.of("user"))
                .set(ModelOptions.ENTITY_HALF_LIVES, List.of(HOUR))
                .set(ModelOptions.CROSSES, dev.streamlearn.features.Crosses.TYPE.parse("user*site"))
                .build();
        EventParser parser = new EventParser(Map.of("ctr", spec), InputLimits.defaults(), "in", () -> T0 + HOUR);
        EntityEnrichment entities = EntityEnrichment.of(spec);
        EntityStats u7 = entities.field(0).empty();
        entities.count(0, u7, T0 - HOUR, 0.0);

        String payload = "{\"id\":\"r1\",\"model\":\"ctr\",\"ts\":" + T0 + ",\"log\":true,"
                + "\"features\":{\"user\":\"u7\",\"site\":\"a.com\",\"price\":2.5}}";
        PredictionRequest request = parser.parseRequest(payload).value();
        assertEquals(payload, request.impressionPayload);
        entities.serve(request, 0, u7);
        Features served = request.features;
        assertArrayEquals(new String[] {"user.events_1h", "user.rate_1h", "user.since_last"}, request.added);

        // the window: two clicks of u7 move its statistics
        entities.count(0, u7, T0 + 1000, 1.0);
        entities.count(0, u7, T0 + 2000, 1.0);
        Impression impression = Impression.of(request, 0.25, -1.0986, 7);
        String joined = JoinedEvent.of(impression, 1.0);
        assertTrue(joined.contains("\"featuresAsServed\":true"), joined);

        Example example = parser.parseLabeled(joined).value();
        assertTrue(example.featuresAsServed);
        assertEquals(0.25, example.servedScore);
        EntityStats kept = entities.learnFrom(example, 0, u7);
        assertArrayEquals(served.categorical, example.features.categorical, "the crosses as served");
        assertArrayEquals(served.numeric, example.features.numeric);
        assertArrayEquals(served.numericValues, example.features.numericValues, "bit for bit");
        assertEquals(u7, kept, "its label counts for u7");

        // recomputed now, the user's features would differ: what the skew was
        Example recomputed = parser.parseLabeled(
                        joined.replace("\"featuresAsServed\":true", "\"featuresAsServed\":false")
                                .replaceAll(",\"user\\.[a-z_0-9]+\":[-0-9.E]+", ""))
                .value();
        assertFalse(recomputed.featuresAsServed);
        entities.learnFrom(recomputed, 0, u7);
        assertNotEquals(
                served.numericValues[served.numericValues.length - 2],
                recomputed.features.numericValues[recomputed.features.numericValues.length - 2]);
    }
}
