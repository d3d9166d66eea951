package dev.streamlearn.model;

import java.io.IOException;
import java.util.List;

/**
 * Where a model's versions are kept beyond the trainer's state, as the trainer's core sees it:
 * the model store, on whatever file system it lives. A version number written here names one
 * model for the life of the archive.
 */
public interface VersionArchive {

    /** The versions of a model that can be read back, ascending. */
    List<Long> versions(String modelId) throws IOException;

    StoredModel read(String modelId, long version) throws IOException;

    /**
     * The highest version of a model that the archive holds or may still publish (a version written
     * for a checkpoint that a restore could still commit); -1 when there is none. A model that
     * starts or is restored continues after it, so that no number is used twice.
     */
    long newestClaimed(String modelId) throws IOException;

    /**
     * Records that a model's versions up to {@code version} exist beyond what the archive holds:
     * served, but not stored (at most one version is stored per {@code store.interval}), so that
     * {@link #newestClaimed} answers at least it. A lower version than one claimed before changes nothing.
     */
    void claim(String modelId, long version) throws IOException;

    /** Where a version is (or would be) kept, for the model log. */
    String location(String modelId, long version);
}
