package dev.streamlearn.ingest;

/** A record as read from Kafka: its value as text, and where it was in the topic. */
public class SourceRecord {
    public String value;
    public int partition;
    public long offset;
    /** The value's bytes as they came when they are not valid UTF-8 (the text has replacement characters); else null. */
    public byte[] invalidUtf8;
    /** When the source read it ({@link dev.streamlearn.records.Stamps}), and in which process; 0: not stamped. */
    public long readAtNanos;

    public int readBy;

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
