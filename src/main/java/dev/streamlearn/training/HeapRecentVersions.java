package dev.streamlearn.training;

import dev.streamlearn.model.StoredModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The recent versions on the heap, carried in the trainer's snapshot: for the trainer outside
 * Flink (evaluate, tests), where there is no keyed state.
 */
final class HeapRecentVersions implements RecentVersions {

    private final int capacity;
    private final Deque<StoredModel> versions = new ArrayDeque<>();

    HeapRecentVersions(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public void add(StoredModel m) {
        versions.addLast(m);
        while (versions.size() > capacity) {
            versions.removeFirst();
        }
    }

    @Override
    public StoredModel find(long version) {
        for (StoredModel m : versions) {
            if (m.version == version) {
                return m;
            }
        }
        return null;
    }

    @Override
    public boolean newestIs(long version) {
        return !versions.isEmpty() && versions.peekLast().version == version;
    }

    @Override
    public List<StoredModel> list() {
        return new ArrayList<>(versions);
    }

    @Override
    public StoredModel[] toArray() {
        return versions.toArray(new StoredModel[0]);
    }

    @Override
    public void restore(StoredModel[] kept) {
        versions.clear();
        if (kept != null) {
            versions.addAll(Arrays.asList(kept));
        }
    }
}
