package dev.streamlearn.ingest;

import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.records.Stamps;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Kafka record values as text, decoded leniently: a null value (tombstone) becomes an empty
 * record and invalid UTF-8 becomes replacement characters with the record's bytes kept beside
 * them, so the parser can dead-letter them as they came instead of the source failing the job.
 */
public final class RawRecordDeserializer implements KafkaRecordDeserializationSchema<SourceRecord> {

    private static final long serialVersionUID = 1L;
    private static final int HISTOGRAM_WINDOW = 10_000;

    private final String input;
    private final long skipBeforeMillis;
    private transient Counter skipped;
    private transient Histogram sourceLagMillis;

    /** Every record of {@code input} (its name in the metrics: labeled, requests...). */
    public RawRecordDeserializer(String input) {
        this(input, Long.MIN_VALUE);
    }

    /**
     * Records whose Kafka timestamp is before {@code skipBeforeMillis} are dropped (and counted as
     * {@code recordsSkipped}): how a job restored from a savepoint skips the data written since.
     */
    public RawRecordDeserializer(String input, long skipBeforeMillis) {
        this.input = input;
        this.skipBeforeMillis = skipBeforeMillis;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        skipped = context.getMetricGroup().counter(MetricNames.RECORDS_SKIPPED);
        sourceLagMillis = context.getMetricGroup()
                .addGroup(MetricNames.INPUT_GROUP)
                .addGroup(input)
                .histogram(MetricNames.SOURCE_LAG_MILLIS, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SourceRecord> out) {
        if (record.timestamp() < skipBeforeMillis) {
            skipped.inc();
            return;
        }
        byte[] value = record.value();
        String text = value == null ? "" : new String(value, StandardCharsets.UTF_8);
        SourceRecord r = new SourceRecord(text, record.partition(), record.offset());
        r.readAtNanos = Stamps.now();
        r.readBy = Stamps.PROCESS;
        if (record.timestamp() >= 0) { // a record without a timestamp says -1
            sourceLagMillis.update(Math.max(0, System.currentTimeMillis() - record.timestamp()));
        }
        // the replacement character is rare in valid text: only then decode again, strictly
        if (text.indexOf('\uFFFD') >= 0 && !isValidUtf8(value)) {
            r.invalidUtf8 = value;
        }
        out.collect(r);
    }

    static boolean isValidUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Override
    public TypeInformation<SourceRecord> getProducedType() {
        return TypeInformation.of(SourceRecord.class);
    }
}
