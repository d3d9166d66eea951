package dev.streamlearn.records;

/** What happened after a request was served (a click, a conversion, a revenue): {@code {"id":"r1","ts":...,"label":1}}. */
public class Outcome {
    /** The id of the request it is the outcome of. */
    public String id;

    public long ts;
    public double label;
    /** The record as it came, for the dead-letter topic when it cannot be joined. */
    public String payload;

    public Outcome() {}

    public Outcome(String id, long ts, double label, String payload) {
        this.id = id;
        this.ts = ts;
        this.label = label;
        this.payload = payload;
    }
}
