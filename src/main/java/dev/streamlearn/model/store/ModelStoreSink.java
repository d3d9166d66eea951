package dev.streamlearn.model.store;

import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.model.StoredModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes stored model versions to a {@link ModelStore} in two phases: the writer writes each one
 * to a file as it arrives and makes the files pending when a checkpoint starts, and the committer
 * moves each into place only once that checkpoint has completed. So the store never holds a
 * version a restore could take back. After each commit, retention removes old versions. A
 * version the store already holds is never replaced: the new file is set aside, logged as an
 * error and counted ({@code storeVersionsRefused}).
 */
public final class ModelStoreSink implements Sink<StoredModel>, SupportsCommitter<ModelStoreSink.PendingVersion> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelStoreSink.class);

    private final ModelStore store;
    private final int keepLast;
    private final long keepEvery;

    public ModelStoreSink(ModelStore store, int keepLast, long keepEvery) {
        this.store = store;
        this.keepLast = keepLast;
        this.keepEvery = keepEvery;
    }

    /** A version written to a temporary file, waiting for its checkpoint to complete. */
    public static final class PendingVersion {
        final String pendingPath;
        final String modelId;
        final long version;

        PendingVersion(String pendingPath, String modelId, long version) {
            this.pendingPath = pendingPath;
            this.modelId = modelId;
            this.version = version;
        }
    }

    @Override
    public SinkWriter<StoredModel> createWriter(WriterInitContext context) {
        return new Writer(store);
    }

    @Override
    public Committer<PendingVersion> createCommitter(CommitterInitContext context) {
        return new VersionCommitter(
                store, keepLast, keepEvery, context.metricGroup().counter(MetricNames.STORE_VERSIONS_REFUSED));
    }

    @Override
    public SimpleVersionedSerializer<PendingVersion> getCommittableSerializer() {
        return new PendingVersionSerializer();
    }

    /**
     * Writes each version's file as soon as the version arrives, on a thread of its own, and makes
     * the written files pending (a rename) when a checkpoint starts. Written at the checkpoint,
     * before the barrier went on, a file of tens of megabytes held the barrier back, and inference,
     * whose model updates come from the trainer, held every request while it waited for it.
     */
    private static final class Writer implements CommittingSinkWriter<StoredModel, PendingVersion> {
        private final ModelStore store;
        private final String writerId = UUID.randomUUID().toString();
        private final ExecutorService files = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "model-store-writer");
            t.setDaemon(true);
            return t;
        });
        /** The versions that arrived since the last checkpoint, in order. */
        private final List<Staging> arrived = new ArrayList<>();

        /**
         * A version and its file being written; only the writing holds the model itself, so that a
         * written one can be collected.
         */
        private record Staging(String modelId, long version, Future<Path> file) {}

        Writer(ModelStore store) {
            this.store = store;
        }

        @Override
        public void write(StoredModel element, Context context) {
            // a stored version is a copy that nothing changes any more
            arrived.add(new Staging(
                    element.modelId, element.version, files.submit(() -> store.writeStaged(element, writerId))));
        }

        @Override
        public void flush(boolean endOfInput) {}

        /** The versions that arrived before the checkpoint, waiting for files still being written. */
        @Override
        public Collection<PendingVersion> prepareCommit() throws IOException, InterruptedException {
            List<PendingVersion> pending = new ArrayList<>();
            try {
                for (Staging v : arrived) {
                    pending.add(new PendingVersion(store.pending(v.file().get()).toString(), v.modelId(), v.version()));
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException) {
                    throw (IOException) e.getCause();
                }
                throw new IOException("a model version's file could not be written", e.getCause());
            } finally {
                arrived.clear();
            }
            return pending;
        }

        @Override
        public void close() {
            files.shutdownNow(); // a file never made pending is never published: one cut short is harmless
        }
    }

    private static final class VersionCommitter implements Committer<PendingVersion> {
        private final ModelStore store;
        private final int keepLast;
        private final long keepEvery;
        private final Counter refused;

        VersionCommitter(ModelStore store, int keepLast, long keepEvery, Counter refused) {
            this.store = store;
            this.keepLast = keepLast;
            this.keepEvery = keepEvery;
            this.refused = refused;
        }

        @Override
        public void commit(Collection<CommitRequest<PendingVersion>> requests) {
            for (CommitRequest<PendingVersion> r : requests) {
                PendingVersion p = r.getCommittable();
                try {
                    if (store.publish(new Path(p.pendingPath), p.modelId, p.version)
                            == ModelStore.Publication.REFUSED_EXISTS) {
                        refused.inc();
                        LOG.error(
                                "Model '{}' version {} is already in the store at {}: the version written now was"
                                        + " set aside in {}/, not published (a stored version is never replaced)",
                                p.modelId,
                                p.version,
                                store.pathOf(p.modelId, p.version),
                                ModelStore.REFUSED_DIR);
                    }
                    store.applyRetention(p.modelId, keepLast, keepEvery);
                } catch (IOException e) {
                    r.retryLater();
                }
            }
        }

        @Override
        public void close() {}
    }

    private static final class PendingVersionSerializer implements SimpleVersionedSerializer<PendingVersion> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(PendingVersion p) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeUTF(p.pendingPath);
                out.writeUTF(p.modelId);
                out.writeLong(p.version);
            }
            return bytes.toByteArray();
        }

        @Override
        public PendingVersion deserialize(int version, byte[] serialized) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
                return new PendingVersion(in.readUTF(), in.readUTF(), in.readLong());
            }
        }
    }
}
