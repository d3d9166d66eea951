package dev.streamlearn.training;

import dev.streamlearn.model.ModelSnapshot;

/**
 * A model's version numbers: each applied mini-batch makes the next version, a rollback makes an
 * older model the next version with the older one as parent, and a model restored from an older
 * savepoint continues after the newest version that exists elsewhere. Versions only grow, so a
 * number never names two models.
 */
final class VersionLine {

    private long version;
    private long parent;

    VersionLine(long version, long parent) {
        this.version = version;
        this.parent = parent;
    }

    long version() {
        return version;
    }

    long parent() {
        return parent;
    }

    /** Makes the next version, descending from the current one; returns the current one (the base). */
    long next() {
        long base = version;
        parent = version;
        version++;
        return base;
    }

    /** Makes the next version, descending from {@code restored}; returns the current one (the base). */
    long nextFrom(long restored) {
        long base = version;
        version++;
        parent = restored;
        return base;
    }

    /**
     * Continues after {@code newestExisting} when that is newer, or as new when the current
     * version has the same number but is another model ({@code sameModelIfEqual} false); true when
     * the version moved.
     */
    boolean continueAfter(long newestExisting, boolean sameModelIfEqual) {
        if (newestExisting < version || (newestExisting == version && sameModelIfEqual)) {
            return false;
        }
        parent = version;
        version = newestExisting + 1;
        return true;
    }

    void writeTo(ModelSnapshot s) {
        s.version = version;
        s.parentVersion = parent;
    }

    static VersionLine readFrom(ModelSnapshot s) {
        return new VersionLine(s.version, s.parentVersion);
    }
}
