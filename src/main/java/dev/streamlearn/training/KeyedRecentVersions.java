package dev.streamlearn.training;

import dev.streamlearn.model.StoredModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;

/**
 * The recent versions of a model in the trainer's keyed state (RocksDB): off the heap, and in
 * a checkpoint once, since incremental checkpoints upload only new files, instead of in every
 * snapshot of the trainer's operator state (for a fully learnt 2^20 FTRL model, five versions of
 * 29 MB each, serialized again every checkpoint and held on the heap besides). Called only while
 * the current key is the model's: the trainer function's element, command and timer calls.
 * Versions restored from a snapshot taken before they moved here are written to the keyed state
 * at the model's first such call, and carried in snapshots until then.
 */
final class KeyedRecentVersions implements RecentVersions {

    private final int capacity;
    private final MapState<Long, StoredModel> versions;
    // the kept version numbers, oldest first
    private final ValueState<long[]> order;
    private StoredModel[] carriedOver;

    KeyedRecentVersions(int capacity, MapState<Long, StoredModel> versions, ValueState<long[]> order) {
        this.capacity = capacity;
        this.versions = versions;
        this.order = order;
    }

    @Override
    public void add(StoredModel m) {
        moveCarriedOver();
        try {
            long[] kept = order();
            versions.put(m.version, m);
            long[] next = Arrays.copyOf(kept, kept.length + 1);
            next[kept.length] = m.version;
            int drop = Math.max(0, next.length - capacity);
            for (int i = 0; i < drop; i++) {
                versions.remove(next[i]);
            }
            order.update(Arrays.copyOfRange(next, drop, next.length));
        } catch (Exception e) {
            throw new IllegalStateException("could not keep version " + m.version + " in the keyed state", e);
        }
    }

    @Override
    public StoredModel find(long version) {
        moveCarriedOver();
        try {
            return versions.get(version);
        } catch (Exception e) {
            throw new IllegalStateException("could not read version " + version + " from the keyed state", e);
        }
    }

    @Override
    public boolean newestIs(long version) {
        moveCarriedOver();
        long[] kept = order();
        return kept.length > 0 && kept[kept.length - 1] == version;
    }

    @Override
    public List<StoredModel> list() {
        moveCarriedOver();
        List<StoredModel> kept = new ArrayList<>();
        for (long v : order()) {
            kept.add(find(v));
        }
        return kept;
    }

    @Override
    public StoredModel[] toArray() {
        return carriedOver == null ? new StoredModel[0] : carriedOver.clone();
    }

    @Override
    public void restore(StoredModel[] kept) {
        carriedOver = kept == null || kept.length == 0 ? null : kept.clone();
    }

    private long[] order() {
        try {
            long[] kept = order.value();
            return kept == null ? new long[0] : kept;
        } catch (Exception e) {
            throw new IllegalStateException("could not read the kept versions from the keyed state", e);
        }
    }

    private void moveCarriedOver() {
        if (carriedOver != null) {
            StoredModel[] moving = carriedOver;
            carriedOver = null;
            for (StoredModel m : moving) {
                add(m);
            }
        }
    }
}
