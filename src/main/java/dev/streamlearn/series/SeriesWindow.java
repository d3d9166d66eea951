package dev.streamlearn.series;

/**
 * Operations on a {@link SeriesState}: append values, read lags, standardize with the running
 * mean and standard deviation. Plain Java; the Flink operator keeps the state.
 */
public final class SeriesWindow {

    /** Below this, a series is treated as constant: standardization divides by 1. */
    private static final double MIN_STD = 1e-9;

    private SeriesWindow() {}

    public static void append(SeriesState s, double value, long ts) {
        s.history[s.next] = value;
        s.next = (s.next + 1) % s.history.length;
        s.filled = Math.min(s.filled + 1, s.history.length);
        s.lastTs = ts;
        s.count++;
        double delta = value - s.mean;
        s.mean += delta / s.count;
        s.m2 += delta * (value - s.mean);
    }

    /** The value {@code k} steps back (1 = the newest), or NaN when the window does not reach it. */
    public static double lag(SeriesState s, int k) {
        if (k < 1 || k > s.filled) {
            return Double.NaN;
        }
        return s.history[Math.floorMod(s.next - k, s.history.length)];
    }

    public static double std(SeriesState s) {
        if (s.count < 2) {
            return 1.0;
        }
        double sd = Math.sqrt(s.m2 / (s.count - 1));
        return sd < MIN_STD ? 1.0 : sd;
    }

    public static double standardize(SeriesState s, double value) {
        return (value - s.mean) / std(s);
    }

    /** Forgets the values (after a gap the lags would lie) but keeps the scale statistics. */
    public static void resetHistory(SeriesState s) {
        s.next = 0;
        s.filled = 0;
    }
}
