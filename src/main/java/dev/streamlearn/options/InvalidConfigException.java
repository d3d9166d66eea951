package dev.streamlearn.options;

/** A configuration value the job cannot run with; the message names the key and the reason in one line. */
public final class InvalidConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public InvalidConfigException(String key, String reason) {
        super("invalid configuration: " + key + ": " + reason);
        this.key = key;
    }

    /** The option the message is about (as given: {@code model.<id>.<key>} for a model's own setting). */
    public String key() {
        return key;
    }
}
