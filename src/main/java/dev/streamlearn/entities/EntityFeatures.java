package dev.streamlearn.entities;

import java.util.Arrays;
import java.util.Locale;

/**
 * The features one entity field (say {@code user}) adds to an event: per half-life h, the
 * entity's labeled events (decayed, through log1p: counts are heavy-tailed) and its smoothed
 * label rate, (label sum + prior × strength) / (events + strength); and the time since its last
 * event (log1p of seconds). An entity with no history gets the neutral values: no events, the
 * prior rate, "long ago" (the longest half-life). Point in time: {@link #valuesAt} reads the
 * state before {@link #count} adds the event's own label, so no label reaches its own features.
 */
public final class EntityFeatures {

    private final String field;
    private final long[] halfLivesMillis;
    private final double priorStrength;
    /** How long ago an entity with no history counts as last seen. */
    private final long longestHalfLifeMillis;

    private final String[] names;

    /**
     * @param rateName what the smoothed label is called: {@code rate} for clicks, {@code mean} for
     *     a numeric label
     */
    public EntityFeatures(String field, long[] halfLivesMillis, double priorStrength, String rateName) {
        if (halfLivesMillis.length == 0) {
            throw new IllegalArgumentException("at least one half-life");
        }
        for (long h : halfLivesMillis) {
            if (h < 1) {
                throw new IllegalArgumentException("half-lives must be >= 1 ms, was " + h);
            }
        }
        if (!(priorStrength > 0)) {
            throw new IllegalArgumentException("the prior's strength must be > 0, was " + priorStrength);
        }
        this.field = field;
        this.halfLivesMillis = halfLivesMillis.clone();
        this.priorStrength = priorStrength;
        this.longestHalfLifeMillis = Arrays.stream(halfLivesMillis).max().getAsLong();
        this.names = new String[2 * halfLivesMillis.length + 1];
        for (int i = 0; i < halfLivesMillis.length; i++) {
            String span = span(halfLivesMillis[i]);
            names[2 * i] = field + ".events_" + span;
            names[2 * i + 1] = field + "." + rateName + "_" + span;
        }
        names[names.length - 1] = field + ".since_last";
    }

    public String field() {
        return field;
    }

    /** The names of the features, in the order of {@link #valuesAt}'s values. */
    public String[] names() {
        return names.clone();
    }

    public EntityStats empty() {
        return new EntityStats(halfLivesMillis.length);
    }

    /** The features of an event at {@code ts}, from the entity's state before the event is counted. */
    public void valuesAt(EntityStats s, long ts, double prior, double[] out) {
        for (int i = 0; i < halfLivesMillis.length; i++) {
            double decay = s.isEmpty() ? 0 : decay(ts - s.newestTs, halfLivesMillis[i]);
            double events = s.isEmpty() ? 0 : s.events[i] * decay;
            double labels = s.isEmpty() ? 0 : s.labelSum[i] * decay;
            out[2 * i] = Math.log1p(events);
            out[2 * i + 1] = (labels + prior * priorStrength) / (events + priorStrength);
        }
        long since =
                s.isEmpty() ? longestHalfLifeMillis : Math.max(0, Math.min(longestHalfLifeMillis, ts - s.newestTs));
        out[out.length - 1] = Math.log1p(since / 1000.0);
    }

    /** Counts a labeled event at {@code ts}; an event older than the newest counts as decayed to then. */
    public void count(EntityStats s, long ts, double label) {
        if (s.isEmpty()) {
            s.newestTs = ts;
        }
        for (int i = 0; i < halfLivesMillis.length; i++) {
            if (ts >= s.newestTs) {
                double decay = decay(ts - s.newestTs, halfLivesMillis[i]);
                s.events[i] = s.events[i] * decay + 1;
                s.labelSum[i] = s.labelSum[i] * decay + label;
            } else {
                double weight = decay(s.newestTs - ts, halfLivesMillis[i]);
                s.events[i] += weight;
                s.labelSum[i] += weight * label;
            }
        }
        s.newestTs = Math.max(s.newestTs, ts);
    }

    /** 2^(-elapsed / halfLife); no growth for a time before the newest. */
    private static double decay(long elapsedMillis, long halfLifeMillis) {
        return elapsedMillis <= 0 ? 1.0 : Math.pow(2, -(double) elapsedMillis / halfLifeMillis);
    }

    /** A half-life as a name: 1d, 6h, 30m, 45s, 250ms. */
    public static String span(long millis) {
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] suffixes = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (millis % units[i] == 0) {
                return String.format(Locale.ROOT, "%d%s", millis / units[i], suffixes[i]);
            }
        }
        return millis + "ms";
    }
}
