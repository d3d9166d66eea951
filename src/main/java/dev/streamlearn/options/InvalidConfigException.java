package dev.streamlearn.options;

/** A configuration value the job cannot run with; the message names the key and the reason in one line. */
public final class InvalidConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String reason;

    public InvalidConfigException(String key, String reason) {
        super("invalid configuration: " + key + ": " + reason);
        this.key = key;
        this.reason = reason;
    }

    /** Why the value cannot be used, without the key. */
    public String reason() {
        return reason;
    }

    /** The option the message is about (as given: {@code model.<id>.<key>} for a model's own setting). */
    public String key() {
        return key;
    }
}
