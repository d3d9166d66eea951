package dev.streamlearn.datasets;

/** One row of a dataset as a labeled event: its event time, label and JSON form. */
public final class DatasetEvent {
    public final long ts;
    public final double label;
    public final String json;

    public DatasetEvent(long ts, double label, String json) {
        this.ts = ts;
        this.label = label;
        this.json = json;
    }
}
