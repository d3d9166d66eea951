package dev.streamlearn.bench;

import dev.streamlearn.inference.ServedModel;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelState;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Features;
import dev.streamlearn.training.ModelTrainer;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
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
                "One model, every coordinate learnt, defaults (FTRL, %d recent versions for rollback).%n%n",
                ModelSpec.Defaults.RECENT_VERSIONS);
        System.out.println("| coordinates | trainer heap | of it: recent versions | inference heap per subtask"
                + " | checkpoint bytes | checkpoint serialize time | " + models + " models at p=" + parallelism
                + " on one TaskManager |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int b : bits) {
            measure(b, models, parallelism, taskHeap);
        }
        System.out.printf(
                "%nTask heap of the TaskManager of flink-conf/config.yaml (taskmanager.memory.process.size %s): %s%n",
                conf.toMap().get("taskmanager.memory.process.size"), mb(taskHeap));
    }

    /** What one fully learnt model takes, in bytes (serialization time in nanoseconds). */
    static final class Footprint {
        long trainerHeap;
        long recentVersions;
        long servedHeap;
        long checkpointBytes;
        long checkpointNanos;
        long everyCoordinateOnce;
    }

    private static void measure(int bits, int models, int parallelism, long taskHeap) throws Exception {
        Footprint f = footprint(bits);
        long perTaskManager = models * (f.trainerHeap + parallelism * f.servedHeap);
        System.out.printf(
                "| 2^%d | %s | %s | %s | %s | %d ms | %s: %s |%n",
                bits,
                mb(f.trainerHeap),
                mb(f.recentVersions),
                mb(f.servedHeap),
                mb(f.checkpointBytes),
                f.checkpointNanos / 1_000_000,
                mb(perTaskManager),
                perTaskManager <= taskHeap ? "fits" : "does not fit");
    }

    static Footprint footprint(int bits) throws Exception {
        Footprint f = new Footprint();
        ModelSpec spec = ModelSpec.builder("m").hashBits(bits).build();
        long empty = usedHeap();
        ModelTrainer trainer = new ModelTrainer(spec);
        touchEveryCoordinate(trainer, spec);
        long trainerBytes = usedHeap() - empty;
        StoredModel[] recent = trainer.snapshot().recent;
        long recentBytes = 0;
        for (StoredModel m : recent) {
            recentBytes += stateBytes(m.state);
        }

        TypeSerializer<ModelSnapshot> serializer =
                TypeInformation.of(ModelSnapshot.class).createSerializer(new SerializerConfigImpl());
        long[] nanos = new long[3];
        long size = 0;
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            CountingStream counted = new CountingStream();
            serializer.serialize(trainer.snapshot(), new DataOutputViewStreamWrapper(counted));
            size = counted.bytes;
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);

        StoredModel newest = recent[recent.length - 1];
        long beforeServed = usedHeap();
        ServedModel served = ServedModel.of(newest);
        served.weights();
        served.compact();
        long servedBytes = usedHeap() - beforeServed;

        // keep both alive until measured
        if (served.version < 0 || trainer.version() < 0) {
            throw new AssertionError();
        }
        f.trainerHeap = trainerBytes;
        f.recentVersions = recentBytes;
        f.servedHeap = servedBytes;
        f.checkpointBytes = size;
        f.checkpointNanos = nanos[nanos.length / 2];
        f.everyCoordinateOnce = stateBytes(trainer.snapshot().state);
        return f;
    }

    /** Learns every coordinate once per pass, with a version stored after each pass, until every recent version holds every coordinate. */
    private static void touchEveryCoordinate(ModelTrainer trainer, ModelSpec spec) {
        int dimension = spec.dimension();
        int width = 39;
        int[] coords = new int[width];
        long n = 0;
        for (int pass = 0; pass <= spec.recentVersions; pass++) {
            long now = (pass + 1) * (spec.storeIntervalMillis + 1);
            for (int start = 0; start < dimension - 1; start += width) {
                for (int k = 0; k < width; k++) {
                    coords[k] = (start + k) % (dimension - 1);
                }
                Example e = new Example("m", "e" + n, n, n % 2, 1.0, Features.categorical(coords.clone()));
                n++;
                if (trainer.add(e, now)) {
                    trainer.applyBatch();
                    // as the Flink function does after every batch
                    trainer.drainGuardEvents();
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

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }
}
