package dev.streamlearn.evaluation;

import dev.streamlearn.ingest.EventParser;
import dev.streamlearn.ingest.Example;
import dev.streamlearn.ingest.ParseResult;
import dev.streamlearn.ingest.PredictionRequest;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.series.SeriesForecaster;
import dev.streamlearn.series.SeriesPoint;
import dev.streamlearn.series.SeriesSpec;
import dev.streamlearn.series.SeriesState;
import dev.streamlearn.training.ModelTrainer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the job's own parser, series windows and trainer over a stream, in one thread and
 * without a cluster, and keeps every prequential score. Mini-batches close by size only: the
 * job also closes them by time, which changes when versions are made, not what is learnt.
 */
public final class PrequentialRun {

    private static final String TOPIC = "evaluate";

    private PrequentialRun() {}

    /** Labeled events in the wire format, in stream order. */
    public static Scores ofEvents(ModelSpec spec, Iterable<String> events, int maxRecordBytes) {
        EventParser parser = new EventParser(Map.of(spec.id, spec), maxRecordBytes, TOPIC);
        ModelTrainer trainer = new ModelTrainer(spec);
        Scores scores = new Scores(spec.loss, false);
        trainer.onScored(scores::add);
        long clock = 0;
        for (String event : events) {
            ParseResult<Example> r = parser.parseLabeled(event);
            if (!r.isOk()) {
                scores.reject(r.deadLetter().reason);
            } else if (trainer.add(r.value(), clock++)) {
                trainer.applyBatch();
            }
        }
        trainer.applyBatch();
        return scores;
    }

    /** Time-series points, through the same lag windows as the job, one state per series. */
    public static Scores ofSeries(ModelSpec spec, SeriesSpec seriesSpec, Iterable<SeriesPoint> points) {
        SeriesForecaster forecaster = new SeriesForecaster(seriesSpec, spec.hashBits);
        ModelTrainer trainer = new ModelTrainer(spec);
        Scores scores = new Scores(spec.loss, true);
        Deque<Example> unscored = new ArrayDeque<>(); // fed to the trainer, not scored yet
        trainer.onScored((prediction, label) -> {
            Example e = unscored.removeFirst();
            scores.addForecast(prediction, label, e.series.toSeries(prediction), e.series.toSeries(label),
                    e.series.naiveForecast);
        });
        Map<String, SeriesState> states = new HashMap<>();
        long[] clock = {0};
        SeriesForecaster.Output output = new SeriesForecaster.Output() {
            @Override
            public void example(Example example) {
                unscored.addLast(example);
                if (trainer.add(example, clock[0]++)) {
                    trainer.applyBatch();
                }
            }

            @Override
            public void forecastRequest(PredictionRequest request) {
                // the example the next point makes is scored before it is learnt: that is the forecast
            }

            @Override
            public void late(SeriesPoint point, long behindMillis) {
                scores.reject("late");
            }

            @Override
            public void lateWithinLateness(SeriesPoint point) {
                scores.reject("late");
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
        trainer.applyBatch();
        return scores;
    }
}
