package dev.streamlearn.tools;

/**
 * What the scripts of the local stack tell the tools through the environment (scripts/lib/common.sh
 * sets these): where its broker, REST API and model store are, so that a user of the scripts need
 * not give them and a tool run on its own says which option it needs.
 */
final class LocalStack {

    static final String BOOTSTRAP_ENV = "STREAMLEARN_BOOTSTRAP";
    static final String REST_ENV = "STREAMLEARN_REST";
    static final String STORE_ENV = "STREAMLEARN_STORE";
    /** Set by the scripts when the tool's stderr is a terminal, where a progress bar may redraw itself. */
    static final String STDERR_TERMINAL_ENV = "STREAMLEARN_STDERR_TERMINAL";

    private LocalStack() {}

    static boolean stderrIsTerminal() {
        return "yes".equals(System.getenv(STDERR_TERMINAL_ENV));
    }

    /** The value of an option whose default comes from the local stack; one line naming it when neither is there. */
    static String required(String value, String option, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(option + " is needed: " + what + " (scripts/ give the local stack's)");
        }
        return value;
    }
}
