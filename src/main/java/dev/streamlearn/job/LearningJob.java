package dev.streamlearn.job;

import dev.streamlearn.ingest.RawRecordDeserializer;
import dev.streamlearn.ingest.SourceRecord;
import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.model.store.ModelStoreSink;
import dev.streamlearn.options.InvalidConfigException;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.Forecast;
import dev.streamlearn.records.Prediction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Entry point for {@code flink run}: reads the options, wires Kafka in and out, runs the topology. */
public final class LearningJob {

    public static final String JOB_NAME = "streamlearn";
    /** How soon a topic created after the job started is read (the outcomes topic). */
    private LearningJob() {}

    public static void main(String[] args) throws Exception {
        JobConfig config;
        try {
            config = JobConfig.fromArgs(args);
        } catch (InvalidConfigException e) {
            System.err.println("streamlearn: " + e.getMessage());
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        attachToKafka(env, config);
        env.execute(JOB_NAME);
    }

    /** Adds the Kafka sources, the topology and the Kafka sinks to {@code env}. */
    public static JobTopology.Outputs attachToKafka(StreamExecutionEnvironment env, JobConfig config) {
        return JobTopology.build(config, kafkaSources(env, config), kafkaSinks(config));
    }

    /** The records of the input topics; time-series points only where the job has a series model. */
    public static JobTopology.Sources kafkaSources(StreamExecutionEnvironment env, JobConfig config) {
        JobTopology.Sources sources = JobTopology.Sources.of(
                        source(
                                env,
                                config,
                                Topic.LABELED,
                                new RawRecordDeserializer("labeled", config.labeledSkipBefore()),
                                Operators.LABELED_SOURCE_UID,
                                Operators.LABELED_SOURCE_NAME),
                        source(
                                env,
                                config,
                                Topic.REQUESTS,
                                new RawRecordDeserializer("requests"),
                                Operators.REQUEST_SOURCE_UID,
                                Operators.REQUEST_SOURCE_NAME),
                        source(
                                env,
                                config,
                                Topic.CONTROL,
                                new RawRecordDeserializer("control"),
                                Operators.CONTROL_SOURCE_UID,
                                Operators.CONTROL_SOURCE_NAME))
                .withOutcomes(source(
                        env,
                        config,
                        Topic.OUTCOMES,
                        new RawRecordDeserializer("outcomes"),
                        Operators.OUTCOME_SOURCE_UID,
                        Operators.OUTCOME_SOURCE_NAME));
        return config.series() == null
                ? sources
                : sources.withSeries(source(
                        env,
                        config,
                        Topic.SERIES,
                        new RawRecordDeserializer("series"),
                        Operators.SERIES_SOURCE_UID,
                        Operators.SERIES_SOURCE_NAME));
    }

    /**
     * The input topics its sources need at their start (the outcomes topic may come later): a
     * source of a topic that does not exist fails the job, again at every restart.
     */
    public static List<Topic> inputTopicsNeeded(JobConfig config) {
        return config.series() == null
                ? List.of(Topic.LABELED, Topic.REQUESTS, Topic.CONTROL)
                : List.of(Topic.LABELED, Topic.REQUESTS, Topic.CONTROL, Topic.SERIES);
    }

    /** The output topics and the model store. */
    public static JobTopology.Sinks kafkaSinks(JobConfig config) {
        return new JobTopology.Sinks(
                predictionSink(config),
                deadLetterSink(config),
                modelLogSink(config),
                Optional.ofNullable(storeSink(config)),
                forecastSink(config),
                joinedEventSink(config));
    }

    /**
     * The records of a topic. One the job does not need at its start ({@link #inputTopicsNeeded}) is
     * subscribed by name pattern: the job runs without it and reads it from its start once it exists
     * (found within {@link KafkaOptions#TOPIC_DISCOVERY_MILLIS}).
     */
    static DataStream<SourceRecord> source(
            StreamExecutionEnvironment env,
            JobConfig config,
            Topic topic,
            RawRecordDeserializer deserializer,
            String uid,
            String name) {
        boolean mayBeCreatedLater = !inputTopicsNeeded(config).contains(topic);
        KafkaSourceBuilder<SourceRecord> builder = KafkaSource.<SourceRecord>builder()
                .setProperties(config.kafkaClientProperties()) // first: the job's own settings below win
                .setBootstrapServers(config.get(KafkaOptions.BOOTSTRAP_SERVERS));
        if (mayBeCreatedLater) {
            builder.setTopicPattern(Pattern.compile(Pattern.quote(config.topic(topic))))
                    .setProperty(
                            "partition.discovery.interval.ms",
                            String.valueOf(config.get(KafkaOptions.TOPIC_DISCOVERY_MILLIS)));
        } else {
            builder.setTopics(config.topic(topic));
        }
        KafkaSource<SourceRecord> source = builder.setGroupId(config.get(KafkaOptions.GROUP_ID))
                .setStartingOffsets(startingOffsets(config.get(KafkaOptions.STARTING_OFFSETS)))
                .setDeserializer(deserializer)
                .setProperty("commit.offsets.on.checkpoint", "true")
                // joined events are written in transactions: read what was committed, once
                .setProperty("isolation.level", "read_committed")
                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), name).uid(uid);
    }

    // the connector's committed-offsets start takes Kafka's reset strategy, which Kafka 4 deprecates
    @SuppressWarnings("deprecation")
    private static OffsetsInitializer startingOffsets(KafkaOptions.StartingOffsets mode) {
        switch (mode) {
            case EARLIEST:
                return OffsetsInitializer.earliest();
            case LATEST:
                return OffsetsInitializer.latest();
            default:
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        }
    }

    private static final String LINGER_MS = "linger.ms";

    /**
     * Predictions, unkeyed: any partition serves. Each is sent at once ({@code linger.ms} 0, unless
     * the Kafka client properties say otherwise): a caller waits on every prediction, and Kafka
     * 4's default of 5 ms held each one up to that long (scripts/bench-e2e: Kafka's hop out of the
     * job, median 6-10 ms against 2-3 ms); under load, batches still form behind the requests in
     * flight.
     */
    public static KafkaSink<Prediction> predictionSink(JobConfig config) {
        return sink(
                config,
                Topic.PREDICTIONS,
                Json::prediction,
                null,
                config.deliveryGuarantee(),
                predictionProducerSettings(config));
    }

    /** The predictions producer's own settings: {@code linger.ms} 0 where the client properties do not set it. */
    static Map<String, String> predictionProducerSettings(JobConfig config) {
        return config.kafkaClientProperties().containsKey(LINGER_MS) ? Map.of() : Map.of(LINGER_MS, "0");
    }

    /**
     * Joined impressions into the labeled-events topic, where the trainer reads them; exactly once,
     * so each impression is learnt once also across failures.
     */
    public static KafkaSink<String> joinedEventSink(JobConfig config) {
        return sink(
                config,
                Topic.LABELED,
                event -> event.getBytes(StandardCharsets.UTF_8),
                null,
                DeliveryGuarantee.EXACTLY_ONCE);
    }

    public static KafkaSink<DeadLetter> deadLetterSink(JobConfig config) {
        return sink(config, Topic.DEAD_LETTER, Json::deadLetter, null, config.deliveryGuarantee());
    }

    /**
     * The model log, keyed by model so each model's history stays in order, and written exactly
     * once: a line appears when the checkpoint holding its version completes.
     */
    public static KafkaSink<ModelLogEntry> modelLogSink(JobConfig config) {
        return sink(config, Topic.MODEL_LOG, Json::modelLog, e -> e.modelId, DeliveryGuarantee.EXACTLY_ONCE);
    }

    /** Forecasts, keyed by series so that each series' forecasts stay in order. */
    public static KafkaSink<Forecast> forecastSink(JobConfig config) {
        return sink(config, Topic.FORECASTS, Json::forecast, f -> f.series, config.deliveryGuarantee());
    }

    static <T> KafkaSink<T> sink(
            JobConfig config,
            Topic topic,
            JsonRecordSerializer.Value<T> json,
            JsonRecordSerializer.Key<T> key,
            DeliveryGuarantee guarantee) {
        return sink(config, topic, json, key, guarantee, Map.of());
    }

    /** A sink with producer settings of its own, over the client properties. */
    static <T> KafkaSink<T> sink(
            JobConfig config,
            Topic topic,
            JsonRecordSerializer.Value<T> json,
            JsonRecordSerializer.Key<T> key,
            DeliveryGuarantee guarantee,
            Map<String, String> producerSettings) {
        KafkaSinkBuilder<T> builder = KafkaSink.<T>builder()
                .setKafkaProducerConfig(config.kafkaClientProperties()) // first: the job's own settings below win
                .setBootstrapServers(config.get(KafkaOptions.BOOTSTRAP_SERVERS))
                .setRecordSerializer(new JsonRecordSerializer<>(config.topic(topic), json, key))
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(JOB_NAME + "-" + config.topic(topic))
                // below the broker's transaction.max.timeout.ms (15 min by default)
                .setProperty("transaction.timeout.ms", "600000");
        producerSettings.forEach(builder::setProperty);
        return builder.build();
    }

    /** The model store sink, or null when the job has no store. */
    public static ModelStoreSink storeSink(JobConfig config) {
        ModelStore store = config.store();
        return store == null
                ? null
                : new ModelStoreSink(store, config.get(ModelStore.KEEP_LAST), config.get(ModelStore.KEEP_EVERY));
    }
}
