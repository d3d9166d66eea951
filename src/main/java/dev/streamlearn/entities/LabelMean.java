package dev.streamlearn.entities;

/**
 * The mean label of the recent labeled events, over about {@code window} of them: what an
 * entity with no history is assumed to have (its rate starts at the stream's own base rate, not
 * at a number that suits one dataset). Before any label, {@code initial}.
 */
public final class LabelMean {

    private final int window;
    private double mean;
    private long seen;

    public LabelMean(int window, double initial) {
        if (window < 1) {
            throw new IllegalArgumentException("the window must be >= 1, was " + window);
        }
        this.window = window;
        this.mean = initial;
    }

    /** A mean kept in a checkpoint, as it was. */
    public static LabelMean restored(int window, double mean, long seen) {
        LabelMean m = new LabelMean(window, mean);
        m.seen = seen;
        return m;
    }

    public long seen() {
        return seen;
    }

    public double mean() {
        return mean;
    }

    public void add(double label) {
        seen++;
        mean += (label - mean) / Math.min(seen, window);
    }
}
