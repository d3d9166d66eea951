package dev.streamlearn.series;

/**
 * What a forecaster keeps per series (keyed state): the recent values, newest last, in a ring,
 * and the running mean and variance (Welford) for online standardization.
 */
public class SeriesState {
    public double[] history;
    /** Ring position of the next value. */
    public int next;
    /** How many values the ring holds (at most its length). */
    public int filled;

    public long lastTs;
    public long count;
    public double mean;
    /** Sum of squared deviations from the mean (Welford's M2). */
    public double m2;

    public SeriesState() {}

    public SeriesState(int capacity) {
        this.history = new double[capacity];
    }
}
