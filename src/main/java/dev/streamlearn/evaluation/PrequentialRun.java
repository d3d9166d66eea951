package dev.streamlearn.evaluation;

import dev.streamlearn.entities.EntityEnrichment;
import dev.streamlearn.entities.EntityStats;
import dev.streamlearn.ingest.EventParser;
import dev.streamlearn.ingest.InputLimits;
import dev.streamlearn.ingest.ParseResult;
import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.PredictionRequest;
import dev.streamlearn.records.SeriesPoint;
import dev.streamlearn.series.SeriesForecaster;
import dev.streamlearn.series.SeriesSpec;
import dev.streamlearn.series.SeriesState;
import dev.streamlearn.training.ModelTrainer;
import dev.streamlearn.training.ModelTrainers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the job's own parser, series windows and trainer over a stream, in one thread and
 * without a cluster, and keeps every prequential score. Mini-batches close by size only: the
 * job also closes them by time, which changes when versions are made, not what is learnt.
 */
public final class PrequentialRun {

    private static final String TOPIC = "evaluate";

    private PrequentialRun() {}

    /** A stream's examples as the job makes them, in order, and what the job would dead-letter, by reason. */
    public static final class Stream {
        public final List<Example> examples = new ArrayList<>();
        public final Map<String, Integer> rejected = new TreeMap<>();
        public final boolean series;

        Stream(boolean series) {
            this.series = series;
        }

        void reject(String reason) {
            rejected.merge(reason, 1, Integer::sum);
        }
    }

    /**
     * Labeled events in the wire format, parsed and hashed for the model, each with the features
     * of its entities (the model's {@code entities} option) as they were before its own label.
     */
    public static Stream ofEvents(ModelSpec spec, Iterable<String> events, InputLimits limits) {
        EventParser parser = new EventParser(Map.of(spec.id, spec), limits, TOPIC);
        EntityEnrichment entities = EntityEnrichment.of(spec);
        List<Map<String, EntityStats>> states = new ArrayList<>();
        for (int f = 0; entities != null && f < entities.fieldCount(); f++) {
            states.add(new HashMap<>());
        }
        Stream stream = new Stream(false);
        for (String event : events) {
            ParseResult<Example> r = parser.parseLabeled(event);
            if (r.isOk()) {
                Example e = r.value();
                if (entities != null) {
                    withEntities(e, entities, states);
                }
                stream.examples.add(e);
            } else {
                stream.reject(r.deadLetter().reason);
            }
        }
        return stream;
    }

    /** As the job's entity operators, one field after the other, each entity's state in a map. */
    private static void withEntities(Example e, EntityEnrichment entities, List<Map<String, EntityStats>> states) {
        for (int f = 0; f < entities.fieldCount(); f++) {
            String value = EntityEnrichment.value(e.entities, f);
            EntityStats kept = entities.learnFrom(
                    e, f, value == null ? null : states.get(f).get(value));
            if (kept != null) {
                states.get(f).put(value, kept);
            }
        }
        entities.prior().add(e.label);
    }

    /** Time-series points, through the same lag windows as the job, one state per series. */
    public static Stream ofSeries(ModelSpec spec, SeriesSpec seriesSpec, Iterable<SeriesPoint> points) {
        SeriesForecaster forecaster = new SeriesForecaster(seriesSpec, spec.featureBits());
        Stream stream = new Stream(true);
        Map<String, SeriesState> states = new HashMap<>();
        SeriesForecaster.Output output = new SeriesForecaster.Output() {
            @Override
            public void example(Example example) {
                stream.examples.add(example);
            }

            @Override
            public void forecastRequest(PredictionRequest request) {
                // the example the next point makes is scored before it is learnt: that is the forecast
            }

            @Override
            public void late(SeriesPoint point, long behindMillis) {
                stream.reject("late");
            }

            @Override
            public void lateWithinLateness(SeriesPoint point) {
                stream.reject("late");
            }

            @Override
            public void gapFilled(long steps) {
                // as the job: filled steps enter the window
            }

            @Override
            public void windowReset() {
                // as the job
            }
        };
        for (SeriesPoint p : points) {
            forecaster.accept(states.computeIfAbsent(p.series, s -> forecaster.newState()), p, output);
        }
        return stream;
    }

    /** As the job stores a version every {@code store.interval}: here every this many examples, for the guard's rollbacks. */
    public static final int DEFAULT_STORE_EVERY = 5000;

    /** Trains the model on the stream, scoring each example before learning from it. */
    public static Scores learn(ModelSpec spec, Stream stream) {
        return learn(spec, stream, DEFAULT_STORE_EVERY);
    }

    /**
     * Trains the model on the stream as the job's trainer does (challengers, promotions and the
     * guard included), scoring each example before learning from it. The clock moves a
     * millisecond per example, and a version is stored every {@code storeEvery} of them as the
     * job stores one every {@code store.interval}: the versions the guard may roll back to. With
     * challengers, every learner's scores are kept too.
     */
    public static Scores learn(ModelSpec spec, Stream stream, int storeEvery) {
        ModelSpec run = spec.toBuilder()
                .set(ModelOptions.STORE_INTERVAL, (long) storeEvery)
                .build();
        Scores scores = new Scores(spec.loss(), stream.series);
        stream.rejected.forEach((reason, count) -> scores.rejected().merge(reason, count, Integer::sum));
        ModelTrainers trainers = ModelTrainers.onHeap(Map.of(run.id, run), null, ModelStore::readFile);
        ModelTrainers.Output out = new ModelTrainers.Output() {
            @Override
            public void update(ModelUpdate update) {
                scores.updates()[0]++;
                scores.updates()[1] += update.full ? 1 : 0;
            }

            @Override
            public void store(StoredModel version) {}

            @Override
            public void log(ModelLogEntry line) {
                if (line.event == ModelLogEntry.Event.PROMOTE) {
                    scores.promotions().add(new Scores.Promotion(scores.size(), line.learner, line.reason));
                } else if (line.event != ModelLogEntry.Event.STORED && line.event != ModelLogEntry.Event.START) {
                    scores.guardEvents().merge(line.event.toString(), 1, Integer::sum);
                }
            }

            @Override
            public void refused(Example example) {}
        };
        ModelTrainer trainer;
        try {
            trainer = trainers.trainer(run.id, 0, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double[] served = new double[1];
        trainer.onScored((prediction, label) -> served[0] = prediction);
        List<String> learners = new ArrayList<>(trainer.learnerShares().keySet());
        double[] byLearner = new double[learners.size()];
        Scores[] learnerScores = new Scores[learners.size() > 1 ? learners.size() : 0];
        for (int k = 0; k < learnerScores.length; k++) {
            learnerScores[k] = new Scores(spec.loss(), stream.series);
            scores.learners().put(learners.get(k), learnerScores[k]);
        }
        if (learnerScores.length > 0) {
            trainer.onLearnerScored((k, prediction) -> byLearner[k] = prediction);
        }
        long clock = 0;
        for (Example e : stream.examples) {
            if (trainers.learn(trainer, e, clock, out)) {
                trainers.applyBatch(trainer, clock, out);
            }
            clock++;
            scores.add(e, served[0]);
            for (int k = 0; k < learnerScores.length; k++) {
                learnerScores[k].add(e, byLearner[k]);
            }
        }
        trainers.applyBatch(trainer, clock, out);
        if (learnerScores.length > 0) {
            scores.shares().putAll(trainer.learnerShares());
        }
        return scores;
    }
}
