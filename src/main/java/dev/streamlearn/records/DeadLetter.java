package dev.streamlearn.records;

/** A record the job could not use, with the reason, the topic it came from and the payload as it arrived. */
public class DeadLetter {
    /** A {@link DeadLetterReason#code()}. */
    public String reason;

    public String detail;
    public String topic;
    public String payload;
    /** The model the record named, when it could be read (a command for a model, a request, ...); else null. */
    public String modelId;

    public DeadLetter() {}

    public DeadLetter(DeadLetterReason reason, String detail, String topic, String payload) {
        this.reason = reason.code();
        this.detail = detail;
        this.topic = topic;
        this.payload = payload;
    }

    @Override
    public String toString() {
        return reason + " (" + detail + ") from " + topic;
    }
}
