package dev.streamlearn.job;

import dev.streamlearn.entities.EntityFunction;
import dev.streamlearn.inference.InferenceFunction;
import dev.streamlearn.ingest.InputLimits;
import dev.streamlearn.ingest.SourceRecord;
import dev.streamlearn.ingest.ValidatingParser;
import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.outcomes.AttributionWindow;
import dev.streamlearn.outcomes.OutcomeJoiner;
import dev.streamlearn.records.ControlCommand;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Forecast;
import dev.streamlearn.records.Impression;
import dev.streamlearn.records.Outcome;
import dev.streamlearn.records.Prediction;
import dev.streamlearn.records.PredictionRequest;
import dev.streamlearn.records.SeriesPoint;
import dev.streamlearn.series.SeriesFunction;
import dev.streamlearn.series.SeriesSpec;
import dev.streamlearn.training.TrainerFunction;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The job's dataflow from raw records to predictions, independent of where records come from
 * and go to: {@code main} plugs in Kafka, tests plug in bounded sources and collecting sinks.
 */
public final class JobTopology {

    /** What the topology produces. */
    public static final class Outputs {
        public final DataStream<Prediction> predictions;
        public final DataStream<DeadLetter> deadLetters;
        public final DataStream<ModelUpdate> modelUpdates;
        /** Versions to keep; empty when the job has no model store. */
        public final DataStream<StoredModel> storedModels;

        public final DataStream<ModelLogEntry> modelLog;
        /** Forecasts of the time series; null when the job has no time-series input. */
        public final DataStream<Forecast> forecasts;
        /**
         * Impressions joined to their outcomes (or closed as negatives), as labeled events for the
         * labeled-events topic; null when the job has no outcomes input.
         */
        public final DataStream<String> joinedEvents;

        Outputs(
                DataStream<Prediction> predictions,
                DataStream<DeadLetter> deadLetters,
                DataStream<ModelUpdate> modelUpdates,
                DataStream<StoredModel> storedModels,
                DataStream<ModelLogEntry> modelLog,
                DataStream<Forecast> forecasts,
                DataStream<String> joinedEvents) {
            this.predictions = predictions;
            this.deadLetters = deadLetters;
            this.modelUpdates = modelUpdates;
            this.storedModels = storedModels;
            this.modelLog = modelLog;
            this.forecasts = forecasts;
            this.joinedEvents = joinedEvents;
        }

        /** Writes the joined events to the given sink (when the job has an outcomes input). */
        public void writeJoinedEventsTo(Sink<String> joinedSink) {
            if (joinedEvents != null) {
                joinedEvents.sinkTo(joinedSink).uid(Operators.JOINED_SINK_UID).name(Operators.JOINED_SINK_NAME);
            }
        }

        /** Writes the forecasts to the given sink (when the job has time series). */
        public void writeForecastsTo(Sink<Forecast> forecastSink) {
            if (forecasts != null) {
                forecasts.sinkTo(forecastSink).uid(Operators.FORECAST_SINK_UID).name(Operators.FORECAST_SINK_NAME);
            }
        }

        /** Writes predictions, dead letters and the model log to the given sinks, and the stored versions to the model store (when there is one). */
        public void writeTo(
                Sink<Prediction> predictionSink,
                Sink<DeadLetter> deadLetterSink,
                Sink<ModelLogEntry> modelLogSink,
                Sink<StoredModel> storeSink) {
            modelLog.sinkTo(modelLogSink).uid(Operators.MODEL_LOG_SINK_UID).name(Operators.MODEL_LOG_SINK_NAME);
            if (storeSink != null) {
                storedModels
                        .sinkTo(storeSink)
                        .uid(Operators.MODEL_STORE_SINK_UID)
                        .name(Operators.MODEL_STORE_SINK_NAME);
            }
            predictions
                    .sinkTo(predictionSink)
                    .uid(Operators.PREDICTION_SINK_UID)
                    .name(Operators.PREDICTION_SINK_NAME);
            deadLetters
                    .sinkTo(deadLetterSink)
                    .uid(Operators.DEAD_LETTER_SINK_UID)
                    .name(Operators.DEAD_LETTER_SINK_NAME);
        }
    }

    /**
     * How long the exchanges that no prediction and no model update waits on (commands, outcomes,
     * impressions, the join's dead letters) hold a buffer that is not full: Flink's default. The
     * 5 ms of {@code flink-conf} is for the exchanges of the request and training paths: each
     * exchange with it wakes a flusher thread 200 times a second, and with every exchange at 5 ms
     * those threads took half of an idle TaskManager's CPU.
     */
    static final long BACKGROUND_BUFFER_TIMEOUT_MILLIS = 100;

    private JobTopology() {}

    /** The topology without outcomes: no impression is joined. */
    public static Outputs build(
            JobConfig config,
            DataStream<SourceRecord> labeledRecords,
            DataStream<SourceRecord> requestRecords,
            DataStream<SourceRecord> controlRecords,
            DataStream<SourceRecord> seriesRecords) {
        return build(config, labeledRecords, requestRecords, controlRecords, seriesRecords, null);
    }

    /**
     * @param seriesRecords time-series points; null when the job has none ({@code series.model} empty)
     * @param outcomeRecords outcomes of served requests; null when impressions are not joined
     */
    public static Outputs build(
            JobConfig config,
            DataStream<SourceRecord> labeledRecords,
            DataStream<SourceRecord> requestRecords,
            DataStream<SourceRecord> controlRecords,
            DataStream<SourceRecord> seriesRecords,
            DataStream<SourceRecord> outcomeRecords) {
        Map<String, ModelSpec> models = config.models();
        InputLimits limits = config.inputLimits();

        SingleOutputStreamOperator<Example> examples = labeledRecords
                .process(ValidatingParser.labeledEvents(models, limits, config.topic(Topic.LABELED)))
                .uid(Operators.PARSE_LABELED_UID)
                .name(Operators.PARSE_LABELED_NAME);
        SingleOutputStreamOperator<PredictionRequest> requests = requestRecords
                .process(ValidatingParser.requests(models, limits, config.topic(Topic.REQUESTS)))
                .uid(Operators.PARSE_REQUESTS_UID)
                .name(Operators.PARSE_REQUESTS_NAME);
        SingleOutputStreamOperator<ControlCommand> commands = controlRecords
                .process(ValidatingParser.controlCommands(models, limits, config.topic(Topic.CONTROL)))
                .uid(Operators.PARSE_CONTROL_UID)
                .name(Operators.PARSE_CONTROL_NAME)
                .setBufferTimeout(BACKGROUND_BUFFER_TIMEOUT_MILLIS);

        // one keyed operator per entity field, that labeled examples and requests both pass, in turn
        DataStream<Example> trainingExamples = examples;
        DataStream<PredictionRequest> allRequests = requests;
        for (int f = 0; f < EntityFunction.fieldCount(models); f++) {
            int field = f;
            SingleOutputStreamOperator<Example> withField = trainingExamples
                    .keyBy(e -> EntityFunction.key(e.modelId, e.entities, field, e.id, e.ts), Types.STRING)
                    .connect(allRequests.keyBy(
                            r -> EntityFunction.key(r.modelId, r.entities, field, r.id, r.ts), Types.STRING))
                    .process(new EntityFunction(models, field))
                    .uid(Operators.entityUid(field))
                    .name(Operators.entityName(field));
            trainingExamples = withField;
            allRequests = withField.getSideOutput(EntityFunction.REQUESTS);
        }
        DataStream<DeadLetter> seriesDeadLetters = null;
        SeriesSpec series = config.series();
        if (series != null && seriesRecords != null) {
            SingleOutputStreamOperator<SeriesPoint> points = seriesRecords
                    .process(ValidatingParser.seriesPoints(models, limits, config.topic(Topic.SERIES)))
                    .uid(Operators.PARSE_SERIES_UID)
                    .name(Operators.PARSE_SERIES_NAME);
            SingleOutputStreamOperator<Example> seriesExamples = points.keyBy(p -> p.series, Types.STRING)
                    .process(new SeriesFunction(
                            series, models.get(series.modelId).hashBits(), config.topic(Topic.SERIES), limits))
                    .uid(Operators.SERIES_WINDOWS_UID)
                    .name(Operators.SERIES_WINDOWS_NAME);
            trainingExamples = trainingExamples.union(seriesExamples);
            allRequests = allRequests.union(seriesExamples.getSideOutput(SeriesFunction.FORECAST_REQUESTS));
            seriesDeadLetters = points.getSideOutput(ValidatingParser.DEAD_LETTERS)
                    .union(seriesExamples.getSideOutput(ValidatingParser.DEAD_LETTERS));
        }

        // keyed by model id: one trainer subtask owns each model, and commands reach the owner
        SingleOutputStreamOperator<ModelUpdate> updates = trainingExamples
                .keyBy(e -> e.modelId, Types.STRING)
                .connect(commands.keyBy(c -> c.modelId, Types.STRING))
                .process(new TrainerFunction(
                        models, config.store(), config.topic(Topic.LABELED), limits.deadLetterPayloadChars))
                .uid(Operators.TRAINER_UID)
                .name(Operators.TRAINER_NAME);

        BroadcastStream<ModelUpdate> broadcastUpdates = updates.broadcast(InferenceFunction.SERVED_MODELS);
        SingleOutputStreamOperator<Prediction> predictions = allRequests
                .connect(broadcastUpdates)
                .process(new InferenceFunction(models, config.topic(Topic.REQUESTS), limits.deadLetterPayloadChars))
                .uid(Operators.INFERENCE_UID)
                .name(Operators.INFERENCE_NAME);

        DataStream<DeadLetter> rejectedCommands = commands.getSideOutput(ValidatingParser.DEAD_LETTERS);
        DataStream<DeadLetter> deadLetters = examples.getSideOutput(ValidatingParser.DEAD_LETTERS)
                .union(
                        requests.getSideOutput(ValidatingParser.DEAD_LETTERS),
                        rejectedCommands,
                        updates.getSideOutput(TrainerFunction.REFUSED_EXAMPLES),
                        predictions.getSideOutput(InferenceFunction.NON_FINITE_SCORES));
        if (seriesDeadLetters != null) {
            deadLetters = deadLetters.union(seriesDeadLetters);
        }
        DataStream<String> joinedEvents = null;
        if (outcomeRecords != null) {
            SingleOutputStreamOperator<Outcome> outcomes = outcomeRecords
                    .process(ValidatingParser.outcomes(models, limits, config.topic(Topic.OUTCOMES)))
                    .uid(Operators.PARSE_OUTCOMES_UID)
                    .name(Operators.PARSE_OUTCOMES_NAME)
                    .setBufferTimeout(BACKGROUND_BUFFER_TIMEOUT_MILLIS);
            SingleOutputStreamOperator<String> joined = joinOutcomes(config, predictions, outcomes);
            joinedEvents = joined;
            deadLetters = deadLetters.union(
                    outcomes.getSideOutput(ValidatingParser.DEAD_LETTERS),
                    joined.getSideOutput(OutcomeJoiner.DEAD_LETTERS));
        }
        // a command that cannot be carried out is answered on the model log too, where operators look
        DataStream<ModelLogEntry> modelLog = updates.getSideOutput(TrainerFunction.MODEL_LOG)
                .union(rejectedCommands
                        .map(Json::rejectedCommand)
                        .returns(ModelLogEntry.class)
                        .uid(Operators.REJECTED_COMMANDS_UID)
                        .name(Operators.REJECTED_COMMANDS_NAME)
                        .setBufferTimeout(BACKGROUND_BUFFER_TIMEOUT_MILLIS));
        return new Outputs(
                predictions,
                deadLetters,
                updates,
                updates.getSideOutput(TrainerFunction.STORED_MODELS),
                modelLog,
                series == null ? null : predictions.getSideOutput(InferenceFunction.FORECASTS),
                joinedEvents);
    }

    /**
     * Impressions (requests that asked to be remembered, with what was served) and outcomes, each
     * in event time, keyed by request id into the joiner. The join's output goes back into the job
     * through the labeled-events topic: the trainer is upstream of inference, and a dataflow has
     * no cycles.
     */
    /** Records in the window's event time: their own timestamps, its out-of-orderness and idle timeout. */
    private static <T> SingleOutputStreamOperator<T> eventTime(
            DataStream<T> records, AttributionWindow window, SerializableTimestampAssigner<T> timestamp) {
        return records.assignTimestampsAndWatermarks(
                WatermarkStrategy.<T>forBoundedOutOfOrderness(Duration.ofMillis(window.outOfOrdernessMillis))
                        .withTimestampAssigner(timestamp)
                        .withIdleness(Duration.ofMillis(window.idleAfterMillis)));
    }

    private static SingleOutputStreamOperator<String> joinOutcomes(
            JobConfig config, SingleOutputStreamOperator<Prediction> predictions, DataStream<Outcome> outcomes) {
        AttributionWindow window = config.attributionWindow();
        DataStream<Impression> impressions = eventTime(
                        predictions.getSideOutput(InferenceFunction.IMPRESSIONS),
                        window,
                        (impression, kafkaTs) -> impression.ts)
                .uid(Operators.IMPRESSION_TIME_UID)
                .name(Operators.IMPRESSION_TIME_NAME)
                .setBufferTimeout(BACKGROUND_BUFFER_TIMEOUT_MILLIS);
        DataStream<Outcome> timedOutcomes = eventTime(outcomes, window, (outcome, kafkaTs) -> outcome.ts)
                .uid(Operators.OUTCOME_TIME_UID)
                .name(Operators.OUTCOME_TIME_NAME)
                .setBufferTimeout(BACKGROUND_BUFFER_TIMEOUT_MILLIS);
        return impressions
                .keyBy(i -> i.id, Types.STRING)
                .connect(timedOutcomes.keyBy(o -> o.id, Types.STRING))
                .process(new OutcomeJoiner(
                        config.models(),
                        window,
                        config.topic(Topic.REQUESTS),
                        config.topic(Topic.OUTCOMES),
                        config.inputLimits().deadLetterPayloadChars))
                .returns(Types.STRING)
                .uid(Operators.JOINER_UID)
                .name(Operators.JOINER_NAME)
                .setBufferTimeout(BACKGROUND_BUFFER_TIMEOUT_MILLIS);
    }
}
