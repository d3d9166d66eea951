package dev.streamlearn.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DelayedOutcomesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyEventIsARememberedRequestAndEveryClickAnOutcomeLaterInEventTimeOrder() throws Exception {
        List<DatasetEvent> events = new ClickStream(new ClickStream.Spec()).take(20_000);
        List<DelayedOutcomes.Outgoing> records = DelayedOutcomes.of(events, 2_000, 7, "r-");
        Map<String, Long> requestTs = new HashMap<>();
        List<Long> delays = new ArrayList<>();
        long previous = Long.MIN_VALUE;
        int outcomes = 0;
        for (DelayedOutcomes.Outgoing r : records) {
            assertTrue(r.ts >= previous, "in event-time order");
            previous = r.ts;
            JsonNode n = JSON.readTree(r.json);
            String id = n.get("id").asText();
            assertEquals(r.ts, n.get("ts").asLong());
            if (r.outcome) {
                outcomes++;
                assertEquals(1, n.get("label").asInt());
                assertTrue(requestTs.containsKey(id), "an outcome follows its request");
                delays.add(r.ts - requestTs.get(id));
            } else {
                assertTrue(n.get("log").asBoolean(), "a request to remember");
                assertFalse(n.has("label"), "without its label");
                requestTs.put(id, r.ts);
            }
        }
        long clicks = events.stream().filter(e -> e.label == 1).count();
        assertEquals(events.size(), requestTs.size());
        assertEquals(clicks, outcomes, "one outcome per click, none for the others");
        Collections.sort(delays);
        long median = delays.get(delays.size() / 2);
        assertTrue(median > 1_700 && median < 2_300, "log-normal delays around the median asked for: " + median);
        assertTrue(delays.get(delays.size() * 9 / 10) > 3 * median, "with a long right tail");
    }
}
