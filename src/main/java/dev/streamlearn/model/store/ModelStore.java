package dev.streamlearn.model.store;

import dev.streamlearn.model.ModelFile;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.VersionArchive;
import dev.streamlearn.options.Option;
import dev.streamlearn.options.OptionType;
import dev.streamlearn.options.OptionValues;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * A directory on any Flink file system (file://, s3://, hdfs://, ...) holding one file per
 * stored model version: {@code <root>/<model id>/v<version>.model}. Files appear by rename of a
 * finished temporary file, so a reader never sees a half-written version. A version file is
 * written once and never replaced: a second model under the same number is set aside in
 * {@code _refused/}, never published.
 */
public final class ModelStore implements VersionArchive, Serializable {

    private static final long serialVersionUID = 1L;
    static final String PENDING_DIR = "_pending";
    /**
     * Versions written ahead of the checkpoint that will carry them: not pending yet, so not
     * claimed ({@link #newestClaimed}); a checkpoint that fails before it starts leaves them here.
     */
    static final String STAGING_DIR = "_staging";

    static final String REFUSED_DIR = "_refused";
    /** Per model, the newest version served beyond those stored: {@code <root>/_claims/<model id>}. */
    static final String CLAIMS_DIR = "_claims";

    /** What became of a version handed to {@link #publish}. */
    public enum Publication {
        PUBLISHED,
        /** Its temporary file was moved before (a commit repeated after a restore): nothing to do. */
        ALREADY_PUBLISHED,
        /** The store already holds another file under that version: it was set aside, not published. */
        REFUSED_EXISTS
    }

    public static final Option<String> PATH = Option.key("store.path", OptionType.STRING)
            .defaultValue("")
            .rule(
                    v -> v.isEmpty() || v.contains("://") || v.startsWith("/"),
                    "must be an absolute path or a URI such as file:///data/models or s3://bucket/models")
            .description("Model store directory, any Flink file system URI (`file:///...`, `s3://...`); empty: no"
                    + " store (rollback then reaches only the versions in state).")
            .build();

    public static final Option<Integer> KEEP_LAST = Option.key("store.keep-last", OptionType.INT)
            .defaultValue(10)
            .rule(v -> v >= 1, "must be >= 1")
            .description("Retention: the newest n stored versions of each model stay ...")
            .build();

    public static final Option<Integer> KEEP_EVERY = Option.key("store.keep-every", OptionType.INT)
            .defaultValue(100)
            .rule(v -> v >= 1, "must be >= 1")
            .description("... and of the older ones, the first stored version of every block of n versions (0..n-1,"
                    + " n..2n-1, ...).")
            .build();

    public static final List<Option<?>> OPTIONS = List.of(PATH, KEEP_LAST, KEEP_EVERY);

    private final String root;

    public ModelStore(String root) {
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    /** The store of the options, or null when {@link #PATH} is empty. */
    public static ModelStore from(OptionValues options) {
        String path = options.get(PATH);
        return path.isEmpty() ? null : new ModelStore(path);
    }

    public Path modelDir(String modelId) {
        return new Path(root + "/" + modelId);
    }

    public Path pathOf(String modelId, long version) {
        return new Path(modelDir(modelId), ModelFile.fileName(version));
    }

    @Override
    public String location(String modelId, long version) {
        return pathOf(modelId, version).toString();
    }

    /** Stored versions of a model, ascending. */
    @Override
    public List<Long> versions(String modelId) throws IOException {
        FileNotFoundException vanished = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return listVersions(modelId);
            } catch (FileNotFoundException e) {
                vanished = e; // retention removed a file while it was being listed: list again
            }
        }
        throw vanished;
    }

    private List<Long> listVersions(String modelId) throws IOException {
        Path dir = modelDir(modelId);
        FileSystem fs = dir.getFileSystem();
        List<Long> versions = new ArrayList<>();
        if (!fs.exists(dir)) {
            return versions;
        }
        for (FileStatus f : fs.listStatus(dir)) {
            long v = ModelFile.versionOf(f.getPath().getName());
            if (v >= 0) {
                versions.add(v);
            }
        }
        versions.sort(null);
        return versions;
    }

    /** Ids of the models in the store. */
    public List<String> models() throws IOException {
        Path dir = new Path(root);
        FileSystem fs = dir.getFileSystem();
        List<String> ids = new ArrayList<>();
        if (fs.exists(dir)) {
            for (FileStatus f : fs.listStatus(dir)) {
                if (f.isDir() && !f.getPath().getName().startsWith("_")) {
                    ids.add(f.getPath().getName());
                }
            }
        }
        ids.sort(null);
        return ids;
    }

    @Override
    public StoredModel read(String modelId, long version) throws IOException {
        return readFile(pathOf(modelId, version).toString());
    }

    /** Reads a model file by URI (or local path). */
    public static StoredModel readFile(String uri) throws IOException {
        Path path = new Path(uri);
        try (InputStream in = new BufferedInputStream(path.getFileSystem().open(path))) {
            return ModelFile.read(in);
        }
    }

    /**
     * The newest version that is stored or waiting in a temporary file: a temporary file belongs to
     * a checkpoint that a restore may still commit, so its number is taken too.
     */
    @Override
    public long newestClaimed(String modelId) throws IOException {
        List<Long> stored = versions(modelId);
        long newest = stored.isEmpty() ? -1 : stored.get(stored.size() - 1);
        Path pendingDir = new Path(root + "/" + PENDING_DIR);
        FileSystem fs = pendingDir.getFileSystem();
        if (fs.exists(pendingDir)) {
            String prefix = modelId + "-";
            int versionName = ModelFile.fileName(0).length();
            for (FileStatus f : fs.listStatus(pendingDir)) {
                String name = f.getPath().getName(); // see pendingName
                int end = prefix.length() + versionName;
                if (name.startsWith(prefix) && name.length() > end && name.charAt(end) == '-') {
                    newest = Math.max(newest, ModelFile.versionOf(name.substring(prefix.length(), end)));
                }
            }
        }
        return Math.max(newest, claimedBeyondStored(modelId));
    }

    @Override
    public void claim(String modelId, long version) throws IOException {
        if (version <= claimedBeyondStored(modelId)) {
            return;
        }
        Path claim = claimPath(modelId);
        FileSystem fs = claim.getFileSystem();
        // written aside, then renamed into place: a reader sees the old claim or the new one, never half of one
        Path written = new Path(root + "/" + CLAIMS_DIR + "/." + modelId + "-" + UUID.randomUUID());
        try (OutputStream out = fs.create(written, FileSystem.WriteMode.NO_OVERWRITE)) {
            out.write(Long.toString(version).getBytes(StandardCharsets.UTF_8));
        }
        if (!fs.rename(written, claim)) {
            fs.delete(claim, false);
            if (!fs.rename(written, claim)) {
                throw new IOException(
                        "could not record the claim of " + modelId + " version " + version + " at " + claim);
            }
        }
    }

    private long claimedBeyondStored(String modelId) throws IOException {
        Path claim = claimPath(modelId);
        FileSystem fs = claim.getFileSystem();
        if (!fs.exists(claim)) {
            return -1;
        }
        try (InputStream in = fs.open(claim)) {
            return Long.parseLong(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
        }
    }

    private Path claimPath(String modelId) {
        return new Path(root + "/" + CLAIMS_DIR + "/" + modelId);
    }

    /** Writes a version to a temporary file that {@link #publish} later moves into place. */
    public Path writePending(StoredModel m, String uniqueName) throws IOException {
        return pending(writeStaged(m, uniqueName));
    }

    /**
     * Writes a version to a file of its own that is not pending yet: {@link #pending} makes it
     * so when a checkpoint starts, so that the file, written before, keeps that start short.
     */
    public Path writeStaged(StoredModel m, String uniqueName) throws IOException {
        Path staged = new Path(root + "/" + STAGING_DIR + "/" + pendingName(m.modelId, m.version, uniqueName));
        FileSystem fs = staged.getFileSystem();
        try (OutputStream out = new BufferedOutputStream(fs.create(staged, FileSystem.WriteMode.OVERWRITE))) {
            ModelFile.write(m, out);
        }
        return staged;
    }

    /** Moves a staged file to the temporary files of versions waiting for their checkpoint; returns where it is. */
    public Path pending(Path staged) throws IOException {
        Path pending = new Path(root + "/" + PENDING_DIR + "/" + staged.getName());
        FileSystem fs = pending.getFileSystem();
        fs.mkdirs(pending.getParent());
        if (!fs.rename(staged, pending)) {
            throw new IOException("could not move " + staged + " to " + pending);
        }
        return pending;
    }

    /** A temporary file's name: the model, the version's file name (which sorts by version) and the writer. */
    static String pendingName(String modelId, long version, String uniqueName) {
        return modelId + "-" + ModelFile.fileName(version) + "-" + uniqueName;
    }

    /**
     * Moves a finished temporary file to its version's place, unless the store holds that version
     * already: then the file goes to {@code _refused/} and the stored version stays as it is.
     * Idempotent: a temporary file is gone only once it was moved, so a repeated commit (after a
     * restore) that finds none has nothing to do, whether the version is still there or retention
     * has removed it since.
     */
    public Publication publish(Path pending, String modelId, long version) throws IOException {
        Path target = pathOf(modelId, version);
        FileSystem fs = target.getFileSystem();
        if (!fs.exists(pending)) {
            return Publication.ALREADY_PUBLISHED; // committed before a restart
        }
        fs.mkdirs(modelDir(modelId));
        if (fs.exists(target)) {
            Path refused = new Path(root + "/" + REFUSED_DIR + "/" + pending.getName());
            fs.mkdirs(refused.getParent());
            if (!fs.rename(pending, refused)) {
                throw new IOException("could not move " + pending + " to " + refused);
            }
            return Publication.REFUSED_EXISTS;
        }
        if (!fs.rename(pending, target)) {
            throw new IOException("could not rename " + pending + " to " + target);
        }
        return Publication.PUBLISHED;
    }

    /**
     * Applies retention to a model's versions: the newest {@code keepLast} stay, and of the older
     * ones the first stored version of every block of {@code keepEvery} versions (versions
     * 0..keepEvery-1, keepEvery..2*keepEvery-1, ...). Returns the versions deleted.
     */
    public List<Long> applyRetention(String modelId, int keepLast, long keepEvery) throws IOException {
        List<Long> versions = versions(modelId);
        List<Long> deleted = new ArrayList<>();
        Set<Long> blocksKept = new HashSet<>();
        for (int i = 0; i < versions.size(); i++) {
            long v = versions.get(i);
            boolean newest = i >= versions.size() - keepLast;
            boolean firstOfBlock = blocksKept.add(v / keepEvery);
            if (!newest && !firstOfBlock) {
                Path p = pathOf(modelId, v);
                p.getFileSystem().delete(p, false);
                deleted.add(v);
            }
        }
        return deleted;
    }
}
