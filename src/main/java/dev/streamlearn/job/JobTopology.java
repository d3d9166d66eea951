package dev.streamlearn.job;

import dev.streamlearn.control.ControlCommand;
import dev.streamlearn.inference.InferenceFunction;
import dev.streamlearn.inference.Prediction;
import dev.streamlearn.ingest.DeadLetter;
import dev.streamlearn.ingest.Example;
import dev.streamlearn.ingest.PredictionRequest;
import dev.streamlearn.ingest.ValidatingParser;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.training.TrainerFunction;
import java.util.Map;
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

        Outputs(DataStream<Prediction> predictions, DataStream<DeadLetter> deadLetters,
                DataStream<ModelUpdate> modelUpdates) {
            this.predictions = predictions;
            this.deadLetters = deadLetters;
            this.modelUpdates = modelUpdates;
        }

        /** Writes predictions and dead letters as JSON to the given sinks. */
        public void writeTo(Sink<String> predictionSink, Sink<String> deadLetterSink) {
            predictions.map(Json::prediction).returns(Types.STRING)
                    .uid(Operators.FORMAT_PREDICTIONS_UID).name(Operators.FORMAT_PREDICTIONS_NAME)
                    .sinkTo(predictionSink).uid(Operators.PREDICTION_SINK_UID).name(Operators.PREDICTION_SINK_NAME);
            deadLetters.map(Json::deadLetter).returns(Types.STRING)
                    .uid(Operators.FORMAT_DEAD_LETTERS_UID).name(Operators.FORMAT_DEAD_LETTERS_NAME)
                    .sinkTo(deadLetterSink).uid(Operators.DEAD_LETTER_SINK_UID).name(Operators.DEAD_LETTER_SINK_NAME);
        }
    }

    private JobTopology() {}

    public static Outputs build(JobConfig config, DataStream<String> labeledRecords, DataStream<String> requestRecords,
            DataStream<String> controlRecords) {
        Map<String, ModelSpec> models = config.models();
        int maxBytes = config.getInt(JobConfig.MAX_RECORD_BYTES);

        SingleOutputStreamOperator<Example> examples = labeledRecords
                .process(new ValidatingParser.LabeledEvents(models, maxBytes, config.get(JobConfig.TOPIC_LABELED)))
                .uid(Operators.PARSE_LABELED_UID).name(Operators.PARSE_LABELED_NAME);
        SingleOutputStreamOperator<PredictionRequest> requests = requestRecords
                .process(new ValidatingParser.Requests(models, maxBytes, config.get(JobConfig.TOPIC_REQUESTS)))
                .uid(Operators.PARSE_REQUESTS_UID).name(Operators.PARSE_REQUESTS_NAME);
        SingleOutputStreamOperator<ControlCommand> commands = controlRecords
                .process(new ValidatingParser.ControlCommands(models, maxBytes, config.get(JobConfig.TOPIC_CONTROL)))
                .uid(Operators.PARSE_CONTROL_UID).name(Operators.PARSE_CONTROL_NAME);

        // keyed by model id: one trainer subtask owns each model, and commands reach the owner
        SingleOutputStreamOperator<ModelUpdate> updates = examples
                .keyBy(e -> e.modelId, Types.STRING)
                .connect(commands.keyBy(c -> c.modelId, Types.STRING))
                .process(new TrainerFunction(models))
                .uid(Operators.TRAINER_UID).name(Operators.TRAINER_NAME);

        BroadcastStream<ModelUpdate> broadcastUpdates = updates.broadcast(InferenceFunction.SERVED_MODELS);
        SingleOutputStreamOperator<Prediction> predictions = requests
                .connect(broadcastUpdates)
                .process(new InferenceFunction(models))
                .uid(Operators.INFERENCE_UID).name(Operators.INFERENCE_NAME);

        DataStream<DeadLetter> deadLetters = examples.getSideOutput(ValidatingParser.DEAD_LETTERS)
                .union(requests.getSideOutput(ValidatingParser.DEAD_LETTERS),
                        commands.getSideOutput(ValidatingParser.DEAD_LETTERS));
        return new Outputs(predictions, deadLetters, updates);
    }
}
