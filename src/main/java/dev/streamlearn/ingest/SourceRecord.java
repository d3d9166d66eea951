package dev.streamlearn.ingest;

/** A record as read from Kafka: its value as text, and where it was in the topic. */
public class SourceRecord {
    public String value;
    public int partition;
    public long offset;

    public SourceRecord() {}

    public SourceRecord(String value, int partition, long offset) {
        this.value = value;
        this.partition = partition;
        this.offset = offset;
    }

    /** A record from somewhere other than Kafka (a test, a file): no position. */
    public static SourceRecord of(String value) {
        return new SourceRecord(value, -1, -1);
    }
}
