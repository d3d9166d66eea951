package dev.streamlearn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.datasets.BikeSharingEvents;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.ingest.EventParser;
import dev.streamlearn.ingest.Example;
import dev.streamlearn.model.Loss;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.training.ModelTrainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-event work of the job, on real events (bike sharing): parsing + hashing, training (per
 * example, in batches of 100, FTRL on 2^20 coordinates) and scoring. The baseline is Jackson's
 * readTree of the same records, the least any JSON job does per event, measured in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmark {

    private static final int EVENTS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ModelSpec spec = new ModelSpec("bike", Loss.LOGISTIC, ModelSpec.OptimizerKind.FTRL, 20, 100, 200,
            100, 10_000, 0.1, 1.0, 0.1, 1.0, 1.0, 10_000, 5, null);
    private String[] records;
    private Example[] examples;
    private EventParser parser;
    private ModelTrainer trainer;
    private double[] weights;

    @Setup
    public void setUp() {
        List<DatasetEvent> events = BikeSharingEvents.read("bike", Path.of("src/data/bike_sharing/hour.csv"),
                BikeSharingEvents.Label.BUSY_HOUR).subList(0, EVENTS);
        parser = new EventParser(Map.of("bike", spec), 65536, "bench");
        records = new String[EVENTS];
        examples = new Example[EVENTS];
        for (int i = 0; i < EVENTS; i++) {
            records[i] = events.get(i).json;
            examples[i] = parser.parseLabeled(records[i]).value();
        }
        trainer = new ModelTrainer(spec);
        weights = new double[spec.dimension()];
        for (int i = 0; i < weights.length; i += 7) {
            weights[i] = i * 1e-7;
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void baselineJacksonReadTree(Blackhole bh) throws Exception {
        for (String r : records) {
            bh.consume(JSON.readTree(r));
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void parseValidateAndHash(Blackhole bh) {
        for (String r : records) {
            bh.consume(parser.parseLabeled(r));
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void trainFtrlInBatchesOf100(Blackhole bh) {
        for (Example e : examples) {
            if (trainer.add(e.indices, e.values, e.label, e.weight, 0L)) {
                bh.consume(trainer.applyBatch());
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void score(Blackhole bh) {
        for (Example e : examples) {
            bh.consume(Loss.LOGISTIC.predict(Loss.margin(weights, e.indices, e.values)));
        }
    }
}
