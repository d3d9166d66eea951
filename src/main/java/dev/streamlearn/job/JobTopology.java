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
import dev.streamlearn.options.Option;
import dev.streamlearn.options.OptionType;
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
import java.util.Optional;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The job's dataflow from raw records to predictions, independent of where records come from
 * and go to: {@code main} plugs in Kafka ({@link LearningJob#kafkaSources}, {@link
 * LearningJob#kafkaSinks}), tests plug in their own sources and sinks.
 */
public final class JobTopology {

    /** The raw records of the job's inputs; time-series points and outcomes only where the job has them. */
    public record Sources(
            DataStream<SourceRecord> labeled,
            DataStream<SourceRecord> requests,
            DataStream<SourceRecord> control,
            Optional<DataStream<SourceRecord>> series,
            Optional<DataStream<SourceRecord>> outcomes) {

        public static Sources of(
                DataStream<SourceRecord> labeled, DataStream<SourceRecord> requests, DataStream<SourceRecord> control) {
            return new Sources(labeled, requests, control, Optional.empty(), Optional.empty());
        }

        public Sources withLabeled(DataStream<SourceRecord> records) {
            return new Sources(records, requests, control, series, outcomes);
        }

        public Sources withSeries(DataStream<SourceRecord> records) {
            return new Sources(labeled, requests, control, Optional.of(records), outcomes);
        }

        public Sources withOutcomes(DataStream<SourceRecord> records) {
            return new Sources(labeled, requests, control, series, Optional.of(records));
        }
    }

    /** Where the job's outputs go; the model store only where the job has one. */
    public record Sinks(
            Sink<Prediction> predictions,
            Sink<DeadLetter> deadLetters,
            Sink<ModelLogEntry> modelLog,
            Optional<Sink<StoredModel>> modelStore,
            Sink<Forecast> forecasts,
            Sink<String> joinedEvents) {}

    /** What the topology produces, for a test that looks inside (the updates inference receives). */
    public record Outputs(DataStream<Prediction> predictions, DataStream<ModelUpdate> modelUpdates) {}

    /**
     * How long the exchanges that no prediction and no model update waits on (commands, outcomes,
     * impressions, the join's dead letters) hold a buffer that is not full: Flink's default. The
     * 5 ms of {@code flink-conf} is for the exchanges of the training path: each
     * exchange with it wakes a flusher thread 200 times a second, and with every exchange at 5 ms
     * those threads took half of an idle TaskManager's CPU.
     */
    static final long BACKGROUND_BUFFER_TIMEOUT_MILLIS = 100;

    /**
     * The request path's exchanges send each request on at once by default: waiting up to 5 ms for
     * a buffer to fill was half of the job's median latency beyond Kafka, and at the ceiling
     * sending each on costs no throughput (docs/BENCHMARKS.md, sections 1 and 6).
     */
    public static final Option<Long> REQUEST_BUFFER_TIMEOUT = Option.key("requests.buffer-timeout", OptionType.LONG)
            .defaultValue(0L)
            .rule(v -> v >= 0, "must be 0 (send each request on at once) or more milliseconds")
            .description("How long, in ms, the request path may hold parsed requests to fill a network buffer before"
                    + " they reach inference; 0 sends each on at once (Flink's `execution.buffer-timeout`, for"
                    + " requests).")
            .build();

    private JobTopology() {}

    /** Builds the job from {@code sources} to {@code sinks}, each operator with its fixed uid and name. */
    public static Outputs build(JobConfig config, Sources sources, Sinks sinks) {
        DataStream<SourceRecord> labeledRecords = sources.labeled();
        DataStream<SourceRecord> requestRecords = sources.requests();
        DataStream<SourceRecord> controlRecords = sources.control();
        DataStream<SourceRecord> seriesRecords = sources.series().orElse(null);
        DataStream<SourceRecord> outcomeRecords = sources.outcomes().orElse(null);
        Map<String, ModelSpec> models = config.models();
        InputLimits limits = config.inputLimits();

        SingleOutputStreamOperator<Example> examples = labeledRecords
                .process(ValidatingParser.labeledEvents(models, limits, config.topic(Topic.LABELED)))
                .uid(Operators.PARSE_LABELED_UID)
                .name(Operators.PARSE_LABELED_NAME);
        SingleOutputStreamOperator<PredictionRequest> requests = requestRecords
                .process(ValidatingParser.requests(models, limits, config.topic(Topic.REQUESTS)))
                .uid(Operators.PARSE_REQUESTS_UID)
                .name(Operators.PARSE_REQUESTS_NAME)
                .setBufferTimeout(config.get(REQUEST_BUFFER_TIMEOUT));
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
                    .name(Operators.entityName(field))
                    .setBufferTimeout(config.get(REQUEST_BUFFER_TIMEOUT));
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
                            series, models.get(series.modelId).featureBits(), config.topic(Topic.SERIES), limits))
                    .uid(Operators.SERIES_WINDOWS_UID)
                    .name(Operators.SERIES_WINDOWS_NAME);
            trainingExamples = trainingExamples.union(seriesExamples);
            allRequests = allRequests.union(seriesExamples.getSideOutput(SeriesFunction.FORECAST_REQUESTS));
            seriesDeadLetters = inBackground(
                            points.getSideOutput(ValidatingParser.DEAD_LETTERS),
                            DeadLetter.class,
                            Operators.SERIES_DEAD_LETTERS_UID,
                            Operators.SERIES_DEAD_LETTERS_NAME)
                    .union(inBackground(
                            seriesExamples.getSideOutput(ValidatingParser.DEAD_LETTERS),
                            DeadLetter.class,
                            Operators.SERIES_WINDOW_DEAD_LETTERS_UID,
                            Operators.SERIES_WINDOW_DEAD_LETTERS_NAME));
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
        DataStream<DeadLetter> deadLetters = inBackground(
                        examples.getSideOutput(ValidatingParser.DEAD_LETTERS),
                        DeadLetter.class,
                        Operators.LABELED_DEAD_LETTERS_UID,
                        Operators.LABELED_DEAD_LETTERS_NAME)
                .union(
                        requests.getSideOutput(ValidatingParser.DEAD_LETTERS),
                        rejectedCommands,
                        inBackground(
                                updates.getSideOutput(TrainerFunction.REFUSED_EXAMPLES),
                                DeadLetter.class,
                                Operators.REFUSED_EXAMPLES_UID,
                                Operators.REFUSED_EXAMPLES_NAME),
                        inBackground(
                                predictions.getSideOutput(InferenceFunction.NON_FINITE_SCORES),
                                DeadLetter.class,
                                Operators.NON_FINITE_SCORES_UID,
                                Operators.NON_FINITE_SCORES_NAME));
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
        DataStream<ModelLogEntry> modelLog = inBackground(
                        updates.getSideOutput(TrainerFunction.MODEL_LOG),
                        ModelLogEntry.class,
                        Operators.MODEL_LOG_ENTRIES_UID,
                        Operators.MODEL_LOG_ENTRIES_NAME)
                .union(rejectedCommands
                        .map(Json::rejectedCommand)
                        .returns(ModelLogEntry.class)
                        .uid(Operators.REJECTED_COMMANDS_UID)
                        .name(Operators.REJECTED_COMMANDS_NAME)
                        .setBufferTimeout(BACKGROUND_BUFFER_TIMEOUT_MILLIS));
        modelLog.sinkTo(sinks.modelLog()).uid(Operators.MODEL_LOG_SINK_UID).name(Operators.MODEL_LOG_SINK_NAME);
        sinks.modelStore().ifPresent(store -> updates.getSideOutput(TrainerFunction.STORED_MODELS)
                .sinkTo(store)
                .uid(Operators.MODEL_STORE_SINK_UID)
                .name(Operators.MODEL_STORE_SINK_NAME));
        predictions
                .sinkTo(sinks.predictions())
                .uid(Operators.PREDICTION_SINK_UID)
                .name(Operators.PREDICTION_SINK_NAME);
        deadLetters
                .sinkTo(sinks.deadLetters())
                .uid(Operators.DEAD_LETTER_SINK_UID)
                .name(Operators.DEAD_LETTER_SINK_NAME);
        if (series != null) {
            predictions
                    .getSideOutput(InferenceFunction.FORECASTS)
                    .sinkTo(sinks.forecasts())
                    .uid(Operators.FORECAST_SINK_UID)
                    .name(Operators.FORECAST_SINK_NAME);
        }
        if (joinedEvents != null) {
            joinedEvents
                    .sinkTo(sinks.joinedEvents())
                    .uid(Operators.JOINED_SINK_UID)
                    .name(Operators.JOINED_SINK_NAME);
        }
        return new Outputs(predictions, updates);
    }

    /**
     * A side output that nothing served waits on (dead letters, the model log), passed on by an
     * operator chained to the one that emits it, so that its exchange flushes after {@link
     * #BACKGROUND_BUFFER_TIMEOUT_MILLIS}: an exchange takes its timeout from the operator that
     * sends into it, and the training path's short one would wake a flusher thread for it 200
     * times a second in every subtask.
     */
    private static <T> DataStream<T> inBackground(DataStream<T> side, Class<T> type, String uid, String name) {
        return side.map(record -> record)
                .returns(type)
                .uid(uid)
                .name(name)
                .setBufferTimeout(BACKGROUND_BUFFER_TIMEOUT_MILLIS);
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
