package dev.streamlearn;

/** Facts about the build itself, for what names it to a user or a client (the tools' --version, the gateway). */
public final class Streamlearn {

    /**
     * The project's version, from the manifest of the jar the classes were loaded from; a run from
     * compiled classes (the tests) has no manifest and says so.
     */
    public static final String VERSION = versionOfJar();

    private Streamlearn() {}

    private static String versionOfJar() {
        String v = Streamlearn.class.getPackage().getImplementationVersion();
        return v == null ? "unknown (not run from a jar)" : v;
    }
}
