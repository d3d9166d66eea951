package dev.streamlearn.ingest;

import dev.streamlearn.records.DeadLetterReason;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.PredictionRequest;
import dev.streamlearn.records.Example;
import dev.streamlearn.model.ModelSpec;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses raw records of one topic; what cannot be used goes to the {@link #DEAD_LETTERS} side
 * output with its reason, and a counter per reason ({@code deadLetter.<reason>}) counts it.
 */
public abstract class ValidatingParser<T> extends ProcessFunction<SourceRecord, T> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private final Map<String, ModelSpec> models;
    private final int maxRecordBytes;
    private final String topic;
    private transient EventParser parser;
    private transient Map<String, Counter> deadLetterCounters;
    private transient Counter recordsIn;

    protected ValidatingParser(Map<String, ModelSpec> models, int maxRecordBytes, String topic) {
        this.models = models;
        this.maxRecordBytes = maxRecordBytes;
        this.topic = topic;
    }

    @Override
    public void open(OpenContext openContext) {
        parser = new EventParser(models, maxRecordBytes, topic);
        recordsIn = getRuntimeContext().getMetricGroup().addGroup("input", inputName()).counter("recordsIn");
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("deadLetter");
        deadLetterCounters = new HashMap<>();
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetterCounters.put(reason.code(), group.counter(reason.code()));
        }
    }

    @Override
    public void processElement(SourceRecord record, Context ctx, Collector<T> out) {
        recordsIn.inc();
        ParseResult<T> result = parse(parser, record);
        if (result.isOk()) {
            out.collect(result.value());
        } else {
            DeadLetter dead = result.deadLetter();
            deadLetterCounters.get(dead.reason).inc();
            ctx.output(DEAD_LETTERS, dead);
        }
    }

    protected abstract ParseResult<T> parse(EventParser parser, SourceRecord record);

    /** Names the input in metrics: {@code input.<name>.recordsIn}. */
    protected abstract String inputName();

    /** Labeled events into examples for the trainers. */
    public static final class LabeledEvents extends ValidatingParser<Example> {
        private static final long serialVersionUID = 1L;

        public LabeledEvents(Map<String, ModelSpec> models, int maxRecordBytes, String topic) {
            super(models, maxRecordBytes, topic);
        }

        @Override
        protected String inputName() {
            return "labeled";
        }

        @Override
        protected ParseResult<Example> parse(EventParser parser, SourceRecord record) {
            ParseResult<Example> r = parser.parseLabeled(record.value);
            if (r.isOk()) {
                r.value().partition = record.partition;
                r.value().offset = record.offset;
            }
            return r;
        }
    }

    /** Prediction requests for the inference operator. */
    public static final class Requests extends ValidatingParser<PredictionRequest> {
        private static final long serialVersionUID = 1L;

        public Requests(Map<String, ModelSpec> models, int maxRecordBytes, String topic) {
            super(models, maxRecordBytes, topic);
        }

        @Override
        protected String inputName() {
            return "requests";
        }

        @Override
        protected ParseResult<PredictionRequest> parse(EventParser parser, SourceRecord record) {
            return parser.parseRequest(record.value);
        }
    }

    /** Time-series points for the per-series lag windows. */
    public static final class SeriesPoints extends ValidatingParser<dev.streamlearn.records.SeriesPoint> {
        private static final long serialVersionUID = 1L;

        public SeriesPoints(Map<String, ModelSpec> models, int maxRecordBytes, String topic) {
            super(models, maxRecordBytes, topic);
        }

        @Override
        protected String inputName() {
            return "series";
        }

        @Override
        protected ParseResult<dev.streamlearn.records.SeriesPoint> parse(EventParser parser, SourceRecord record) {
            return parser.parseSeriesPoint(record.value);
        }
    }

    /** Control commands for the trainers. */
    public static final class ControlCommands extends ValidatingParser<dev.streamlearn.records.ControlCommand> {
        private static final long serialVersionUID = 1L;

        public ControlCommands(Map<String, ModelSpec> models, int maxRecordBytes, String topic) {
            super(models, maxRecordBytes, topic);
        }

        @Override
        protected String inputName() {
            return "control";
        }

        @Override
        protected ParseResult<dev.streamlearn.records.ControlCommand> parse(EventParser parser, SourceRecord record) {
            return parser.parseControl(record.value);
        }
    }
}
