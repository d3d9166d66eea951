package dev.streamlearn.job;

import dev.streamlearn.ingest.RawRecordDeserializer;
import dev.streamlearn.ingest.ValidatingParser;
import dev.streamlearn.options.InvalidConfigException;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.PredictionRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The ceiling that Kafka and JSON set on a machine, for scripts/bench-throughput: reads one input
 * topic (labeled events or prediction requests) with the learning job's source, parses and
 * validates every record with its parser, and writes a small record per valid one to
 * {@code topic.predictions}; no model, no training, no state of its own. Run with the learning
 * job's options: {@code flink run -c dev.streamlearn.job.PassThroughJob streamlearn.jar labeled|requests --models ...}.
 *
 * <p>{@code requests-across-exchange} hands the parsed requests across one network exchange to a
 * task of their own that writes them, as the learning job hands them to its inference operator:
 * an operator with a second input (the broadcast model) is never chained to its upstream in
 * Flink. Against it, the learning job's ratio says what scoring and training alongside cost,
 * apart from that exchange.
 */
public final class PassThroughJob {

    public static final String JOB_NAME = "streamlearn-pass-through";

    static final String REQUESTS_ACROSS_EXCHANGE = "requests-across-exchange";
    private static final List<String> INPUTS = List.of("labeled", "requests", REQUESTS_ACROSS_EXCHANGE);

    private PassThroughJob() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !INPUTS.contains(args[0])) {
            System.err.println(
                    "streamlearn-pass-through: the first argument is the input to read: " + String.join(", ", INPUTS));
            System.exit(2);
            return;
        }
        JobConfig config;
        try {
            config = JobConfig.fromArgs(Arrays.copyOfRange(args, 1, args.length));
        } catch (InvalidConfigException e) {
            System.err.println("streamlearn-pass-through: " + e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        attach(env, args[0], config);
        env.execute(JOB_NAME);
    }

    /** Adds the pass-through of {@code input} (one of {@link #INPUTS}) to the environment. */
    static void attach(StreamExecutionEnvironment env, String input, JobConfig config) {
        if (input.equals("labeled")) {
            pass(
                    env,
                    config,
                    Topic.LABELED,
                    Operators.LABELED_SOURCE_UID,
                    Operators.LABELED_SOURCE_NAME,
                    ValidatingParser.labeledEvents(config.models(), config.inputLimits(), config.topic(Topic.LABELED)),
                    Operators.PARSE_LABELED_UID,
                    Operators.PARSE_LABELED_NAME,
                    PassThroughJob::passedEvent,
                    false);
        } else {
            pass(
                    env,
                    config,
                    Topic.REQUESTS,
                    Operators.REQUEST_SOURCE_UID,
                    Operators.REQUEST_SOURCE_NAME,
                    ValidatingParser.requests(config.models(), config.inputLimits(), config.topic(Topic.REQUESTS)),
                    Operators.PARSE_REQUESTS_UID,
                    Operators.PARSE_REQUESTS_NAME,
                    PassThroughJob::passedRequest,
                    input.equals(REQUESTS_ACROSS_EXCHANGE));
        }
    }

    private static <T> void pass(
            StreamExecutionEnvironment env,
            JobConfig config,
            Topic topic,
            String sourceUid,
            String sourceName,
            ValidatingParser<T> parser,
            String parserUid,
            String parserName,
            JsonRecordSerializer.Value<T> passed,
            boolean acrossExchange) {
        SingleOutputStreamOperator<T> parsed = LearningJob.source(
                        env, config, topic, new RawRecordDeserializer(parser.inputName()), sourceUid, sourceName)
                .process(parser)
                .uid(parserUid)
                .name(parserName);
        DataStream<T> written = acrossExchange
                ? parsed.map(record -> record)
                        .returns(parsed.getType())
                        .uid(Operators.PASSED_ACROSS_EXCHANGE_UID)
                        .name(Operators.PASSED_ACROSS_EXCHANGE_NAME)
                        .startNewChain()
                : parsed;
        written.sinkTo(LearningJob.sink(config, Topic.PREDICTIONS, passed, null, config.deliveryGuarantee()))
                .uid(Operators.PASSED_SINK_UID)
                .name(Operators.PASSED_SINK_NAME);
    }

    /** What is written per labeled event: about the size of a prediction. */
    static byte[] passedEvent(Example e) {
        return ("{\"model\":\"" + e.modelId + "\",\"id\":\"" + e.id + "\",\"label\":" + e.label + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] passedRequest(PredictionRequest r) {
        return ("{\"model\":\"" + r.modelId + "\",\"id\":\"" + r.id + "\",\"ts\":" + r.ts + "}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
