package dev.streamlearn.bench;

import dev.streamlearn.inference.ServedModel;
import dev.streamlearn.model.ChallengerList;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelState;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Features;
import dev.streamlearn.training.ModelTrainer;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.memory.DataOutputViewStreamWrapper;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;

/**
 * Heap and checkpoint bytes of one model with every coordinate learnt (the worst case of a hashed
 * model, which a click model with enough traffic reaches), at several hash sizes, with the default
 * settings (FTRL, recent versions kept for rollback): the trainer that owns it, one inference
 * subtask serving it, and its part of a checkpoint (serialized as Flink serializes it). Then
 * whether N such models fit the task heap of the TaskManager that flink-conf/config.yaml gives.
 * Run by scripts/bench-memory.
 */
public final class ModelMemory {

    public static void main(String[] args) throws Exception {
        int[] bits = args.length > 0
                ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {18, 20, 24};
        int models = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int parallelism = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Configuration conf = GlobalConfiguration.loadConfiguration(args.length > 3 ? args[3] : "flink-conf");
        TaskExecutorProcessSpec tm = TaskExecutorProcessUtils.processSpecFromConfig(conf);
        long taskHeap = tm.getTaskHeapSize().getBytes();

        System.out.printf(
                "One model, every coordinate learnt, defaults (FTRL, %d recent versions for rollback), without"
                        + " challengers and with the automatic ones (every learner learns every coordinate), in the"
                        + " job's layout (recent versions in RocksDB keyed state) and, without challengers, in the"
                        + " layout before (recent versions on the heap, in the trainer's operator state).%n%n",
                ModelOptions.STORE_RECENT.defaultValue);
        System.out.println("| coordinates | challengers | recent versions | trainer heap | inference heap per subtask"
                + " | checkpoint: operator state, every checkpoint | checkpoint: keyed state, once per stored version"
                + " | snapshot serialize time | " + models + " models at p=" + parallelism + " on one TaskManager |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int b : bits) {
            for (int layout = 0; layout < 3; layout++) {
                boolean keyed = layout != 1;
                ChallengerList challengers = layout == 2 ? ChallengerList.AUTO : ChallengerList.NONE;
                Footprint f = footprint(b, keyed, challengers);
                long perTaskManager = models * (f.trainerHeap + parallelism * f.servedHeap);
                System.out.printf(
                        "| 2^%d | %s | %s | %s | %s | %s | %s | %d ms | %s: %s |%n",
                        b,
                        challengers,
                        keyed ? "RocksDB (now)" : "heap (before)",
                        mb(f.trainerHeap),
                        mb(f.servedHeap),
                        mb(f.operatorStateBytes),
                        keyed ? mb(f.storedVersionBytes) : "-",
                        f.snapshotNanos / 1_000_000,
                        mb(perTaskManager),
                        perTaskManager <= taskHeap ? "fits" : "does not fit");
            }
        }
        System.out.printf(
                "%nTask heap of the TaskManager of flink-conf/config.yaml (taskmanager.memory.process.size %s): %s%n",
                conf.toMap().get("taskmanager.memory.process.size"), mb(taskHeap));

        System.out.printf(
                "%nModels that use few of the 2^%d coordinates of the default hash space, in the job's layout:"
                        + " heap per model, as the mean over %d models (trainer: everything the trainer keeps for"
                        + " the model; inference: one subtask's table and checkpointed weights).%n%n",
                DEFAULT_BITS, MODELS_MEASURED_TOGETHER);
        System.out.println("| active coordinates | challengers | trainer heap per model | inference heap per model"
                + " and subtask | checkpoint: operator state | models that fit one TaskManager at p=" + parallelism
                + " |");
        System.out.println("|---|---|---|---|---|---|");
        for (int active : new int[] {1_000, 5_000, 50_000}) {
            for (ChallengerList challengers : List.of(ChallengerList.NONE, ChallengerList.AUTO)) {
                Footprint f = meanFootprint(active, challengers);
                long perModel = f.trainerHeap + parallelism * f.servedHeap;
                System.out.printf(
                        "| %,d | %s | %s | %s | %s | %,d |%n",
                        active,
                        challengers,
                        kb(f.trainerHeap),
                        kb(f.servedHeap),
                        kb(f.operatorStateBytes),
                        taskHeap / perModel);
            }
        }
    }

    private static final int DEFAULT_BITS = ModelOptions.HASH_BITS.defaultValue;
    private static final int MODELS_MEASURED_TOGETHER = 20;

    /**
     * The mean footprint of {@link #MODELS_MEASURED_TOGETHER} models of the default hash space that
     * each learnt {@code active} coordinates, held at once, so that what every model keeps besides
     * its table (metrics, windows, scalers) is counted too.
     */
    static Footprint meanFootprint(int active, ChallengerList challengers) throws Exception {
        ModelSpec spec = ModelSpec.builder("m")
                .set(ModelOptions.CHALLENGERS, challengers)
                .set(ModelOptions.STORE_RECENT, 0)
                .build();
        Footprint f = new Footprint();
        long before = usedHeap();
        List<ModelTrainer> trainers = new ArrayList<>();
        for (int m = 0; m < MODELS_MEASURED_TOGETHER; m++) {
            ModelTrainer trainer = new ModelTrainer(spec);
            touchCoordinates(trainer, spec, active, 1);
            trainers.add(trainer);
        }
        f.trainerHeap = (usedHeap() - before) / MODELS_MEASURED_TOGETHER;
        ModelTrainer one = trainers.get(0);
        f.operatorStateBytes = serializedBytes(ModelSnapshot.class, one.snapshot());
        ServedModel served = ServedModel.of(one.store(Long.MAX_VALUE / 2));
        served.weights();
        served.compact();
        f.servedHeap = served.weights().bytes() + 4L * served.indices.length + 8L * served.values.length;
        return f;
    }

    /** What one fully learnt model takes, in bytes (serialization time in nanoseconds). */
    static final class Footprint {
        long trainerHeap;
        long servedHeap;
        /** The trainer's snapshot in operator state, written in full by every checkpoint. */
        long operatorStateBytes;

        long snapshotNanos;
        /** One stored version, serialized: what keeping it adds to keyed state (and to one incremental checkpoint). */
        long storedVersionBytes;
        /** The arrays of the model's state: a coordinate, a weight and the optimizer's values per coordinate. */
        long everyCoordinateOnce;
    }

    /**
     * @param keyed the job's layout: the recent versions live in keyed state, so neither the trainer's
     *     heap nor its operator state holds them (measured as a trainer that keeps none itself)
     */
    static Footprint footprint(int bits, boolean keyed, ChallengerList challengers) throws Exception {
        ModelSpec defaults = ModelSpec.builder("m")
                .set(ModelOptions.HASH_BITS, bits)
                .set(ModelOptions.CHALLENGERS, challengers)
                .build();
        ModelSpec spec =
                keyed ? defaults.toBuilder().set(ModelOptions.STORE_RECENT, 0).build() : defaults;
        Footprint f = new Footprint();
        ModelTrainer trainer = new ModelTrainer(spec);
        touchCoordinates(trainer, spec, spec.dimension() - 1, spec.get(ModelOptions.STORE_RECENT) + 1);

        long[] nanos = new long[3];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            f.operatorStateBytes = serializedBytes(ModelSnapshot.class, trainer.snapshot());
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        f.snapshotNanos = nanos[nanos.length / 2];
        StoredModel stored = trainer.store(Long.MAX_VALUE / 2);
        f.storedVersionBytes = serializedBytes(StoredModel.class, stored);
        f.everyCoordinateOnce = stateBytes(stored.state);

        // what an inference subtask holds: the dense weights it scores with and the non-zero ones its
        // checkpoint holds (counted from the arrays: they would share memory with the stored version here)
        ServedModel served = ServedModel.of(stored);
        served.weights();
        served.compact();
        f.servedHeap = served.weights().bytes() + 4L * served.indices.length + 8L * served.values.length;

        // the trainer's heap is what letting it go frees: robust to whatever earlier measurements left behind
        served = null;
        stored = null;
        long held = usedHeap();
        if (trainer.version() < 0) {
            throw new AssertionError();
        }
        trainer = null;
        f.trainerHeap = held - usedHeap();
        return f;
    }

    private static <T> long serializedBytes(Class<T> type, T value) throws Exception {
        TypeSerializer<T> serializer = TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
        CountingStream counted = new CountingStream();
        serializer.serialize(value, new DataOutputViewStreamWrapper(counted));
        return counted.bytes;
    }

    /**
     * Learns {@code active} coordinates (all but the bias: every one; fewer: scattered over the
     * space, as hashing scatters them) once per pass, with a version stored after each pass.
     */
    private static void touchCoordinates(ModelTrainer trainer, ModelSpec spec, int active, int passes) {
        int space = spec.dimension() - 1;
        int width = 39;
        int[] coords = new int[width];
        long n = 0;
        for (int pass = 0; pass < passes; pass++) {
            long now = (pass + 1) * (spec.get(ModelOptions.STORE_INTERVAL) + 1);
            for (int start = 0; start < active; start += width) {
                for (int k = 0; k < width; k++) {
                    int i = (start + k) % active;
                    coords[k] = active == space ? i : (int) ((i * 2_654_435_761L) % space);
                }
                Example e = new Example("m", "e" + n, n, n % 2, 1.0, Features.categorical(coords.clone()));
                n++;
                if (trainer.add(e, now)) {
                    trainer.applyBatch();
                    // as the Flink function does after every batch
                    trainer.guard().drainEvents();
                    trainer.drainRefused();
                }
            }
            trainer.applyBatch();
            trainer.store(now);
        }
    }

    /** Counts what a checkpoint stream would be given, and drops it (a 2^24 model's snapshot is over 2 GB). */
    private static final class CountingStream extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    /** The bytes of a model state's arrays (coordinates, weights, optimizer state). */
    private static long stateBytes(ModelState s) {
        return 4L * s.coords.length + 8L * s.weights.length + 8L * s.optimizerState.length;
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String kb(long bytes) {
        return String.format("%,d kB", bytes / 1000);
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }
}
