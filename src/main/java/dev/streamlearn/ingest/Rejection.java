package dev.streamlearn.ingest;

import dev.streamlearn.records.DeadLetterReason;

/** Control flow for a rejected record; no stack trace, it is not an error of the job. */
final class Rejection extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final DeadLetterReason reason;

    Rejection(DeadLetterReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }
}
