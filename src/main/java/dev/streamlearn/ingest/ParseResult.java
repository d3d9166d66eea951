package dev.streamlearn.ingest;

import dev.streamlearn.records.DeadLetter;

/** Either a parsed value or the dead letter that explains why there is none. */
public final class ParseResult<T> {

    private final T value;
    private final DeadLetter deadLetter;

    private ParseResult(T value, DeadLetter deadLetter) {
        this.value = value;
        this.deadLetter = deadLetter;
    }

    static <T> ParseResult<T> ok(T value) {
        return new ParseResult<>(value, null);
    }

    static <T> ParseResult<T> rejected(DeadLetter deadLetter) {
        return new ParseResult<>(null, deadLetter);
    }

    public boolean isOk() {
        return deadLetter == null;
    }

    public T value() {
        return value;
    }

    public DeadLetter deadLetter() {
        return deadLetter;
    }
}
