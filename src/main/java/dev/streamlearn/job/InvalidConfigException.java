package dev.streamlearn.job;

/** A configuration value the job cannot run with; the message names the key and the reason in one line. */
public final class InvalidConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidConfigException(String key, String reason) {
        super("invalid configuration: " + key + ": " + reason);
    }
}
