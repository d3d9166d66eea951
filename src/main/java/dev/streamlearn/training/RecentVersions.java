package dev.streamlearn.training;

import dev.streamlearn.model.StoredModel;
import java.util.List;

/** The last stored versions of a model, kept for rollback without the model store. */
interface RecentVersions {

    /** Keeps the version, forgetting the oldest beyond the capacity. */
    void add(StoredModel m);

    /** The stored version, or null when it is not among them. */
    StoredModel find(long version);

    /** Whether the newest kept version is this one. */
    boolean newestIs(long version);

    /** Oldest first. */
    List<StoredModel> list();

    /** What a snapshot of the trainer carries of them. */
    StoredModel[] toArray();

    /** Takes back what a snapshot carried. */
    void restore(StoredModel[] kept);
}
