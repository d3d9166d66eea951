package dev.streamlearn.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A labeled stream as a click system produces it: each event becomes a prediction request that
 * asks to be remembered (an impression), and each event with a label other than 0 also becomes
 * an outcome some time later, the delay drawn from a log-normal law with the given median (a
 * long right tail, as clicks and conversions have). An event with label 0 sends no outcome: the
 * job learns it as a negative when its attribution window closes. Records come in event-time
 * order, as a live system would send them. Seeded.
 */
public final class DelayedOutcomes {

    /** Spread of the log of the delay: a tenth of the outcomes take 3.6 times the median or more. */
    private static final double LOG_SIGMA = 1.0;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One record to send: a request or an outcome, with its event time. */
    public static final class Outgoing {
        public final boolean outcome;
        public final long ts;
        public final String json;

        Outgoing(boolean outcome, long ts, String json) {
            this.outcome = outcome;
            this.ts = ts;
            this.json = json;
        }
    }

    private DelayedOutcomes() {}

    /**
     * Each event as a request to be remembered, and each positive label as its outcome a random
     * delay later, all in event-time order.
     *
     * @param idPrefix request ids are this prefix and the event's position
     */
    public static List<Outgoing> of(List<DatasetEvent> events, long medianDelayMillis, long seed, String idPrefix) {
        if (medianDelayMillis < 0) {
            throw new IllegalArgumentException("the median delay must be >= 0 ms");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Outgoing> out = new ArrayList<>(events.size() * 2);
        PriorityQueue<Outgoing> outcomes = new PriorityQueue<>((a, b) -> Long.compare(a.ts, b.ts));
        for (int i = 0; i < events.size(); i++) {
            DatasetEvent e = events.get(i);
            while (!outcomes.isEmpty() && outcomes.peek().ts <= e.ts) {
                out.add(outcomes.poll());
            }
            String id = idPrefix + i;
            out.add(new Outgoing(false, e.ts, e.asImpression(id)));
            if (e.label != 0 && !Double.isNaN(e.label)) {
                long delay = Math.round(medianDelayMillis * Math.exp(LOG_SIGMA * random.nextGaussian()));
                outcomes.add(new Outgoing(true, e.ts + delay, outcome(id, e.ts + delay, e.label)));
            }
        }
        while (!outcomes.isEmpty()) {
            out.add(outcomes.poll());
        }
        return out;
    }

    /** An outcome record: {@code {"id":...,"ts":...,"label":...}}. */
    public static String outcome(String id, long ts, double label) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", id);
        n.put("ts", ts);
        if (label == Math.rint(label) && Math.abs(label) < 1e15) {
            n.put("label", (long) label);
        } else {
            n.put("label", label);
        }
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
