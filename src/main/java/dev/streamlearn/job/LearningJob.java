package dev.streamlearn.job;

import dev.streamlearn.ingest.RawRecordDeserializer;
import dev.streamlearn.ingest.SourceRecord;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.model.store.ModelStoreSink;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/** Entry point for {@code flink run}: reads the options, wires Kafka in and out, runs the topology. */
public final class LearningJob {

    public static final String JOB_NAME = "streamlearn";

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
        KafkaInputs in = readFromKafka(env, config);
        JobTopology.Outputs outputs = JobTopology.build(config, in.labeled, in.requests, in.control, in.series);
        outputs.writeTo(sink(config, JobConfig.TOPIC_PREDICTIONS), sink(config, JobConfig.TOPIC_DEAD_LETTER),
                modelLogSink(config), storeSink(config));
        outputs.writeForecastsTo(forecastSink(config));
        return outputs;
    }

    /** The raw records of the three input topics. */
    public static final class KafkaInputs {
        public final DataStream<SourceRecord> labeled;
        public final DataStream<SourceRecord> requests;
        public final DataStream<SourceRecord> control;
        /** Null when the job has no time-series input. */
        public final DataStream<SourceRecord> series;

        KafkaInputs(DataStream<SourceRecord> labeled, DataStream<SourceRecord> requests,
                DataStream<SourceRecord> control, DataStream<SourceRecord> series) {
            this.labeled = labeled;
            this.requests = requests;
            this.control = control;
            this.series = series;
        }
    }

    public static KafkaInputs readFromKafka(StreamExecutionEnvironment env, JobConfig config) {
        DataStream<SourceRecord> labeled = env.fromSource(
                        source(config, JobConfig.TOPIC_LABELED, new RawRecordDeserializer(config.labeledSkipBefore())),
                        WatermarkStrategy.noWatermarks(), Operators.LABELED_SOURCE_NAME)
                .uid(Operators.LABELED_SOURCE_UID);
        DataStream<SourceRecord> requests = env.fromSource(
                        source(config, JobConfig.TOPIC_REQUESTS, new RawRecordDeserializer()),
                        WatermarkStrategy.noWatermarks(), Operators.REQUEST_SOURCE_NAME)
                .uid(Operators.REQUEST_SOURCE_UID);
        DataStream<SourceRecord> control = env.fromSource(
                        source(config, JobConfig.TOPIC_CONTROL, new RawRecordDeserializer()),
                        WatermarkStrategy.noWatermarks(), Operators.CONTROL_SOURCE_NAME)
                .uid(Operators.CONTROL_SOURCE_UID);
        DataStream<SourceRecord> series = config.series() == null ? null : env.fromSource(
                        source(config, JobConfig.TOPIC_SERIES, new RawRecordDeserializer()),
                        WatermarkStrategy.noWatermarks(), Operators.SERIES_SOURCE_NAME)
                .uid(Operators.SERIES_SOURCE_UID);
        return new KafkaInputs(labeled, requests, control, series);
    }

    private static KafkaSource<SourceRecord> source(JobConfig config, ConfigOption<String> topic,
            RawRecordDeserializer deserializer) {
        return KafkaSource.<SourceRecord>builder()
                .setBootstrapServers(config.get(JobConfig.BOOTSTRAP_SERVERS))
                .setTopics(config.get(topic))
                .setGroupId(config.get(JobConfig.GROUP_ID))
                .setStartingOffsets(startingOffsets(config.get(JobConfig.STARTING_OFFSETS)))
                .setDeserializer(deserializer)
                .setProperty("commit.offsets.on.checkpoint", "true")
                .build();
    }

    private static OffsetsInitializer startingOffsets(String mode) {
        switch (mode) {
            case "earliest":
                return OffsetsInitializer.earliest();
            case "latest":
                return OffsetsInitializer.latest();
            default:
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
        }
    }

    /** The model log is written exactly once: a line appears when the checkpoint holding its version completes. */
    public static KafkaSink<String> modelLogSink(JobConfig config) {
        return KafkaSink.<String>builder()
                .setBootstrapServers(config.get(JobConfig.BOOTSTRAP_SERVERS))
                .setRecordSerializer(keyedBy(config.get(JobConfig.TOPIC_MODEL_LOG), "model"))
                .setDeliveryGuarantee(org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(JOB_NAME + "-" + config.get(JobConfig.TOPIC_MODEL_LOG))
                // below the broker's transaction.max.timeout.ms (15 min by default)
                .setProperty("transaction.timeout.ms", "600000")
                .build();
    }

    /** Forecasts, keyed by series so that each series' forecasts stay in order. */
    public static KafkaSink<String> forecastSink(JobConfig config) {
        return KafkaSink.<String>builder()
                .setBootstrapServers(config.get(JobConfig.BOOTSTRAP_SERVERS))
                .setRecordSerializer(keyedBy(config.get(JobConfig.TOPIC_FORECASTS), "series"))
                .setDeliveryGuarantee(config.deliveryGuarantee())
                .setTransactionalIdPrefix(JOB_NAME + "-" + config.get(JobConfig.TOPIC_FORECASTS))
                .build();
    }

    /** JSON records keyed by one of their fields, so that records with the same key stay in order. */
    private static KafkaRecordSerializationSchema<String> keyedBy(String topic, String field) {
        return (json, context, timestamp) -> new org.apache.kafka.clients.producer.ProducerRecord<>(topic,
                Json.field(json, field).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The model store sink, or null when the job has no store. */
    public static ModelStoreSink storeSink(JobConfig config) {
        ModelStore store = config.store();
        return store == null ? null : new ModelStoreSink(store, config.getInt(JobConfig.STORE_KEEP_LAST),
                config.getInt(JobConfig.STORE_KEEP_EVERY));
    }

    public static KafkaSink<String> sink(JobConfig config, ConfigOption<String> topic) {
        return KafkaSink.<String>builder()
                .setBootstrapServers(config.get(JobConfig.BOOTSTRAP_SERVERS))
                .setRecordSerializer(KafkaRecordSerializationSchema.builder()
                        .setTopic(config.get(topic))
                        .setValueSerializationSchema(new SimpleStringSchema())
                        .build())
                .setDeliveryGuarantee(config.deliveryGuarantee())
                .setTransactionalIdPrefix(JOB_NAME + "-" + config.get(topic))
                .build();
    }
}
