package dev.streamlearn.job;

import dev.streamlearn.ingest.RawRecordDeserializer;
import dev.streamlearn.ingest.ValidatingParser;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.PredictionRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The ceiling that Kafka and JSON set on a machine, for scripts/bench-throughput: reads one input
 * topic (labeled events or prediction requests) with the learning job's source, parses and
 * validates every record with its parser, and writes a small record per valid one to
 * {@code topic.predictions}; no model, no training, no state of its own. Run with the learning
 * job's options: {@code flink run -c dev.streamlearn.job.PassThroughJob streamlearn.jar labeled|requests --models ...}.
 */
public final class PassThroughJob {

    public static final String JOB_NAME = "streamlearn-pass-through";

    private PassThroughJob() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("labeled") || args[0].equals("requests"))) {
            System.err.println(
                    "streamlearn-pass-through: the first argument is the input to read: labeled or requests");
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
        if (args[0].equals("labeled")) {
            pass(
                    env,
                    config,
                    JobConfig.TOPIC_LABELED,
                    Operators.LABELED_SOURCE_UID,
                    Operators.LABELED_SOURCE_NAME,
                    ValidatingParser.labeledEvents(
                            config.models(), config.inputLimits(), config.get(JobConfig.TOPIC_LABELED)),
                    Operators.PARSE_LABELED_UID,
                    Operators.PARSE_LABELED_NAME,
                    PassThroughJob::passedEvent);
        } else {
            pass(
                    env,
                    config,
                    JobConfig.TOPIC_REQUESTS,
                    Operators.REQUEST_SOURCE_UID,
                    Operators.REQUEST_SOURCE_NAME,
                    ValidatingParser.requests(
                            config.models(), config.inputLimits(), config.get(JobConfig.TOPIC_REQUESTS)),
                    Operators.PARSE_REQUESTS_UID,
                    Operators.PARSE_REQUESTS_NAME,
                    PassThroughJob::passedRequest);
        }
        env.execute(JOB_NAME);
    }

    private static <T> void pass(
            StreamExecutionEnvironment env,
            JobConfig config,
            ConfigOption<String> topic,
            String sourceUid,
            String sourceName,
            ValidatingParser<T> parser,
            String parserUid,
            String parserName,
            JsonRecordSerializer.Value<T> passed) {
        LearningJob.source(env, config, topic, new RawRecordDeserializer(), sourceUid, sourceName, false)
                .process(parser)
                .uid(parserUid)
                .name(parserName)
                .sinkTo(LearningJob.sink(config, JobConfig.TOPIC_PREDICTIONS, passed, null, config.deliveryGuarantee()))
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
