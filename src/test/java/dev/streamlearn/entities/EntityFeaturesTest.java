package dev.streamlearn.entities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EntityFeaturesTest {

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final double PRIOR = 0.05;
    private static final EntityFeatures USER = new EntityFeatures("user", new long[] {HOUR, DAY}, 10, "rate");

    private static double[] at(EntityStats s, long ts) {
        double[] out = new double[USER.names().length];
        USER.valuesAt(s, ts, PRIOR, out);
        return out;
    }

    @Test
    void namesSayTheFieldTheMeasureAndTheHalfLife() {
        assertArrayEquals(
                new String[] {"user.events_1h", "user.rate_1h", "user.events_1d", "user.rate_1d", "user.since_last"},
                USER.names());
        assertEquals("30m", EntityFeatures.span(30 * 60_000L));
        assertEquals("250ms", EntityFeatures.span(250));
    }

    @Test
    void anEntityWithNoHistoryGetsThePriorAndLongAgo() {
        double[] v = at(USER.empty(), 1_000_000L);
        assertEquals(0.0, v[0]);
        assertEquals(PRIOR, v[1], 1e-12);
        assertEquals(PRIOR, v[3], 1e-12);
        assertEquals(Math.log1p(DAY / 1000.0), v[4], 1e-12);
    }

    @Test
    void anEventsOwnLabelIsNotInItsFeaturesButInTheNextOnes() {
        EntityStats s = USER.empty();
        long t = 5_000_000L;
        double[] before = at(s, t);
        USER.count(s, t, 1);
        assertEquals(PRIOR, before[1], 1e-12, "read before counting: the prior");
        double[] next = at(s, t);
        assertEquals(Math.log1p(1), next[0], 1e-12);
        assertEquals((1 + PRIOR * 10) / (1 + 10), next[1], 1e-12);
        assertEquals(0.0, next[4], 1e-12, "seen just now");
    }

    @Test
    void countsHalveEveryHalfLifeOfEventTime() {
        EntityStats s = USER.empty();
        long t = 0;
        for (int i = 0; i < 8; i++) {
            USER.count(s, t, i % 2);
        }
        double[] now = at(s, t);
        double[] anHourOn = at(s, t + HOUR);
        assertEquals(8.0, Math.expm1(now[0]), 1e-9);
        assertEquals(4.0, Math.expm1(anHourOn[0]), 1e-9, "the hourly count halves in an hour");
        assertEquals(8.0 * Math.pow(2, -1.0 / 24), Math.expm1(anHourOn[2]), 1e-9, "the daily one barely moves");
        // the rate of a half-clicking user stays half, pulled toward the prior by the strength
        assertEquals((2 + PRIOR * 10) / (4 + 10), anHourOn[1], 1e-9);
    }

    @Test
    void anEventOlderThanTheNewestCountsAsDecayedToThen() {
        EntityStats inOrder = USER.empty();
        USER.count(inOrder, 0, 1);
        USER.count(inOrder, HOUR, 0);
        EntityStats outOfOrder = USER.empty();
        USER.count(outOfOrder, HOUR, 0);
        USER.count(outOfOrder, 0, 1);
        assertArrayEquals(
                at(inOrder, 2 * HOUR), at(outOfOrder, 2 * HOUR), 1e-12, "the order of arrival does not matter");
    }
}
