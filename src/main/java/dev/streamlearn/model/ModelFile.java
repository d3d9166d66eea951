package dev.streamlearn.model;

import dev.streamlearn.features.ScalerState;
import dev.streamlearn.metrics.Loss;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The model store's file format: compact, binary, big-endian, readable with nothing but
 * {@code java.io} (or any language's struct reader).
 *
 * <pre>
 * magic "SLMODEL" + format byte (4; 3, 2 and 1 are read too: 3 has no calibration, 2 no learner
 * section either, 1 no scaling either)
 * modelId (UTF), version, parentVersion, createdAtMillis, examplesTrained, batchesApplied,
 * eventTimeThrough (longs), offsetsThrough: count (int) then one long per partition of the
 * labeled topic (-1: none), loss (UTF), optimizer (UTF), hashBits (int), frozen (boolean)
 * metrics: count (int), then name (UTF) and value (double) each
 * weights: count n (int), coords (n ints, ascending), weights (n doubles)
 * optimizer: arrays a (int), steps (long), state (a*n doubles, array after array; FTRL: z, sqrt(n)),
 *            (format 2) global state: count g (int), g doubles (RLS: its coordinates and inverse covariance)
 * scaling: count m (int), then m keys (ints: a numeric feature's coordinate, -1 the label),
 *          m counts, m means, m variances (doubles)
 * learner (format 3): name (UTF: "default", or the challenger's), its options (UTF: "key=value ...",
 *          empty for "default"), scaling settings: clip, horizon (doubles), log all (boolean),
 *          count k (int) and k coordinates of log-transformed features (ints)
 * calibration (format 4): present (boolean); if so slope, offset (doubles), labels learnt (long)
 * </pre>
 */
public final class ModelFile {

    private static final byte[] MAGIC = "SLMODEL".getBytes(StandardCharsets.US_ASCII);
    public static final int FORMAT = 4;
    /** The optimizer name of a model fitted by a batch learner, which has no optimizer state. */
    private static final String BATCH_FIT = "BATCH";

    private static final int FORMAT_WITHOUT_SCALING = 1;
    private static final int FORMAT_WITHOUT_LEARNER = 2;
    private static final int FORMAT_WITHOUT_CALIBRATION = 3;
    /** File name of a version in a model's folder: fixed width, so names sort by version. */
    public static final String NAME_FORMAT = "v%012d.model";

    private ModelFile() {}

    public static String fileName(long version) {
        return String.format(NAME_FORMAT, version);
    }

    /** The version a store file name holds, or -1 when the name is not a model file. */
    public static long versionOf(String fileName) {
        if (fileName.length() == 19 && fileName.startsWith("v") && fileName.endsWith(".model")) {
            try {
                return Long.parseLong(fileName.substring(1, 13));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    public static void write(StoredModel m, OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        out.write(MAGIC);
        out.writeByte(FORMAT);
        out.writeUTF(m.modelId);
        out.writeLong(m.version);
        out.writeLong(m.parentVersion);
        out.writeLong(m.createdAtMillis);
        out.writeLong(m.examplesTrained);
        out.writeLong(m.batchesApplied);
        out.writeLong(m.eventTimeThrough);
        long[] offsets = m.offsetsThrough == null ? new long[0] : m.offsetsThrough;
        out.writeInt(offsets.length);
        for (long o : offsets) {
            out.writeLong(o);
        }
        out.writeUTF(m.loss.name());
        out.writeUTF(m.optimizer == null ? BATCH_FIT : m.optimizer.name());
        out.writeInt(m.hashBits);
        out.writeBoolean(m.frozen);
        out.writeInt(m.metricNames.length);
        for (int i = 0; i < m.metricNames.length; i++) {
            out.writeUTF(m.metricNames[i]);
            out.writeDouble(m.metricValues[i]);
        }
        ModelState st = m.state;
        out.writeInt(st.coords.length);
        for (int c : st.coords) {
            out.writeInt(c);
        }
        writeDoubles(out, st.weights);
        out.writeInt(st.optimizerArrays);
        out.writeLong(st.optimizerSteps);
        writeDoubles(out, st.optimizerState);
        double[] global = st.optimizerGlobal == null ? new double[0] : st.optimizerGlobal;
        out.writeInt(global.length);
        writeDoubles(out, global);
        ScalerState scale = st.scale == null ? ScalerState.empty() : st.scale;
        out.writeInt(scale.size());
        for (int key : scale.keys) {
            out.writeInt(key);
        }
        writeDoubles(out, scale.counts);
        writeDoubles(out, scale.means);
        writeDoubles(out, scale.variances);
        out.writeUTF(m.learnerName());
        out.writeUTF(m.learnerOptions == null ? "" : m.learnerOptions);
        out.writeDouble(scale.clip);
        out.writeDouble(scale.horizon);
        out.writeBoolean(scale.logAll);
        int[] logKeys = scale.logKeys == null ? new int[0] : scale.logKeys;
        out.writeInt(logKeys.length);
        for (int key : logKeys) {
            out.writeInt(key);
        }
        out.writeBoolean(st.calibration != null);
        if (st.calibration != null) {
            out.writeDouble(st.calibration.slope);
            out.writeDouble(st.calibration.offset);
            out.writeLong(st.calibration.labels);
        }
        out.flush();
    }

    private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    private static double[] readDoubles(DataInputStream in, int n) throws IOException {
        double[] values = new double[n];
        for (int k = 0; k < n; k++) {
            values[k] = in.readDouble();
        }
        return values;
    }

    public static StoredModel read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a streamlearn model file");
        }
        int format = in.readUnsignedByte();
        if (format != FORMAT
                && format != FORMAT_WITHOUT_CALIBRATION
                && format != FORMAT_WITHOUT_LEARNER
                && format != FORMAT_WITHOUT_SCALING) {
            throw new IOException(
                    "model file format " + format + " is not supported (this version reads " + FORMAT + ")");
        }
        StoredModel m = new StoredModel();
        m.modelId = in.readUTF();
        m.version = in.readLong();
        m.parentVersion = in.readLong();
        m.createdAtMillis = in.readLong();
        m.examplesTrained = in.readLong();
        m.batchesApplied = in.readLong();
        m.eventTimeThrough = in.readLong();
        m.offsetsThrough = new long[in.readInt()];
        for (int p = 0; p < m.offsetsThrough.length; p++) {
            m.offsetsThrough[p] = in.readLong();
        }
        m.loss = Loss.valueOf(in.readUTF());
        String optimizer = in.readUTF();
        m.optimizer = optimizer.equals(BATCH_FIT) ? null : ModelSpec.OptimizerKind.valueOf(optimizer);
        m.hashBits = in.readInt();
        m.frozen = in.readBoolean();
        int metrics = in.readInt();
        m.metricNames = new String[metrics];
        m.metricValues = new double[metrics];
        for (int i = 0; i < metrics; i++) {
            m.metricNames[i] = in.readUTF();
            m.metricValues[i] = in.readDouble();
        }
        ModelState st = new ModelState();
        int n = in.readInt();
        st.coords = new int[n];
        for (int k = 0; k < n; k++) {
            st.coords[k] = in.readInt();
        }
        st.weights = readDoubles(in, n);
        st.optimizerArrays = in.readInt();
        st.optimizerSteps = in.readLong();
        st.optimizerState = readDoubles(in, st.optimizerArrays * n);
        st.optimizerGlobal = format == FORMAT_WITHOUT_SCALING ? new double[0] : readDoubles(in, in.readInt());
        st.scale = ScalerState.empty();
        if (format == FORMAT_WITHOUT_SCALING
                && m.optimizer == ModelSpec.OptimizerKind.FTRL
                && st.optimizerArrays == 2) {
            // format 1 kept FTRL's n; the optimizer now keeps its root
            for (int k = n; k < 2 * n; k++) {
                st.optimizerState[k] = Math.sqrt(st.optimizerState[k]);
            }
        }
        if (format != FORMAT_WITHOUT_SCALING) {
            int entries = in.readInt();
            int[] keys = new int[entries];
            for (int k = 0; k < entries; k++) {
                keys[k] = in.readInt();
            }
            st.scale =
                    new ScalerState(keys, readDoubles(in, entries), readDoubles(in, entries), readDoubles(in, entries));
        }
        if (format >= FORMAT_WITHOUT_CALIBRATION) {
            m.learner = in.readUTF();
            m.learnerOptions = in.readUTF();
            st.scale.clip = in.readDouble();
            st.scale.horizon = in.readDouble();
            st.scale.logAll = in.readBoolean();
            st.scale.logKeys = new int[in.readInt()];
            for (int k = 0; k < st.scale.logKeys.length; k++) {
                st.scale.logKeys[k] = in.readInt();
            }
        }
        if (format == FORMAT && in.readBoolean()) {
            st.calibration = new Calibration(in.readDouble(), in.readDouble(), in.readLong());
        }
        m.state = st;
        return m;
    }

    /** Prints a summary of a model file; runs with nothing but this project's classes. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java -cp streamlearn.jar dev.streamlearn.model.ModelFile FILE");
            System.exit(2);
        }
        try (InputStream in = new BufferedInputStream(new FileInputStream(args[0]))) {
            StoredModel m = read(in);
            System.out.printf(
                    "model %s version %d (parent %d), %d examples, %d non-zero weights, %s/%s, 2^%d hashed%n",
                    m.modelId,
                    m.version,
                    m.parentVersion,
                    m.examplesTrained,
                    m.state.nonZeroWeights(),
                    m.loss,
                    m.optimizer == null ? "batch fit" : m.optimizer,
                    m.hashBits);
        }
    }
}
