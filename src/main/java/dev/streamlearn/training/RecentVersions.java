package dev.streamlearn.training;

import dev.streamlearn.model.StoredModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/** The last stored versions of a model, kept in the trainer's state for rollback without the store. */
final class RecentVersions {

    private final int capacity;
    private final Deque<StoredModel> versions = new ArrayDeque<>();

    RecentVersions(int capacity) {
        this.capacity = capacity;
    }

    void add(StoredModel m) {
        versions.addLast(m);
        while (versions.size() > capacity) {
            versions.removeFirst();
        }
    }

    /** The stored version, or null when it is not among them. */
    StoredModel find(long version) {
        for (StoredModel m : versions) {
            if (m.version == version) {
                return m;
            }
        }
        return null;
    }

    /** Whether the newest kept version is this one. */
    boolean newestIs(long version) {
        return !versions.isEmpty() && versions.peekLast().version == version;
    }

    /** Oldest first. */
    List<StoredModel> list() {
        return new ArrayList<>(versions);
    }

    StoredModel[] toArray() {
        return versions.toArray(new StoredModel[0]);
    }

    void restore(StoredModel[] kept) {
        versions.clear();
        if (kept != null) {
            versions.addAll(Arrays.asList(kept));
        }
    }
}
