package dev.streamlearn.entities;

/**
 * What is kept of one entity (a user, an item): per half-life, its labeled events and the sum
 * of their labels, each decayed exponentially in event time to {@link #newestTs}. A Flink POJO,
 * kept in keyed state.
 */
public class EntityStats {
    /** Event time of the newest event counted; {@link Long#MIN_VALUE} before the first. */
    public long newestTs = Long.MIN_VALUE;

    public double[] events;
    public double[] labelSum;

    public EntityStats() {}

    EntityStats(int halfLives) {
        this.events = new double[halfLives];
        this.labelSum = new double[halfLives];
    }

    public boolean isEmpty() {
        return newestTs == Long.MIN_VALUE;
    }
}
