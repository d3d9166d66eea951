package dev.streamlearn.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamlearn.metrics.MetricNames;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelHistoryTest {

    private static Map<String, Double> figures(double examples, double version, double logLoss) {
        return Map.of(
                MetricNames.EXAMPLES_TRAINED, examples,
                MetricNames.MODEL_VERSION, version,
                MetricNames.LOG_LOSS, logLoss);
    }

    @Test
    void aSampleIsTakenOnlyWhenTheModelHasLearnt() {
        ModelHistory h = new ModelHistory();
        assertFalse(h.sample(1, Map.of()), "no figures yet: the job does not say");
        assertTrue(h.sample(1_000, figures(100, 2, 0.5)));
        assertFalse(h.sample(2_000, figures(100, 2, 0.5)), "nothing learnt since");
        assertTrue(h.sample(3_000, figures(250, 5, Double.NaN)));
        JsonNode json = h.toJson();
        assertEquals("[1000,3000]", json.get("millis").toString());
        assertEquals("[100.0,250.0]", json.get(MetricNames.EXAMPLES_TRAINED).toString());
        assertEquals("[0.5,null]", json.get(MetricNames.LOG_LOSS).toString(), "NaN is a gap");
        assertEquals("[null,null]", json.get(MetricNames.AUC).toString(), "a figure the job does not have");
    }

    @Test
    void theOldestSamplesGiveWayBeyondTheCapacity() {
        ModelHistory h = new ModelHistory();
        int taken = ModelHistory.CAPACITY + 10;
        for (int i = 0; i < taken; i++) {
            h.sample(i, figures(i + 1, i, 0.1));
        }
        assertEquals(ModelHistory.CAPACITY, h.size());
        JsonNode millis = h.toJson().get("millis");
        assertEquals(10, millis.get(0).asLong(), "the oldest kept");
        assertEquals(taken - 1, millis.get(ModelHistory.CAPACITY - 1).asLong(), "the newest, last");
    }
}
