package dev.streamlearn.ingest;

import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.records.ControlCommand;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.DeadLetterReason;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Outcome;
import dev.streamlearn.records.PredictionRequest;
import dev.streamlearn.records.SeriesPoint;
import dev.streamlearn.records.Stamps;
import dev.streamlearn.records.flink.DeadLetterCounters;
import java.io.Serializable;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses the raw records of one topic with one of {@link EventParser}'s functions; what cannot
 * be used goes to the {@link #DEAD_LETTERS} side output with its reason, and a counter per reason
 * ({@code reason.<reason>.deadLetters}) counts it. One instance per input, made by the factories below.
 */
public final class ValidatingParser<T> extends ProcessFunction<SourceRecord, T> implements ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    /** How a raw record becomes a value: one of the parser's functions. */
    @FunctionalInterface
    interface Parse<T> extends Serializable {
        ParseResult<T> apply(EventParser parser, SourceRecord record);
    }

    private final String inputName;
    private final Class<T> type;
    private final Parse<T> parse;
    private final Map<String, ModelSpec> models;
    private final InputLimits limits;
    private final String topic;
    private transient EventParser parser;
    private transient DeadLetterCounters deadLetterCounters;
    private transient Counter recordsIn;

    private ValidatingParser(
            String inputName,
            Class<T> type,
            Parse<T> parse,
            Map<String, ModelSpec> models,
            InputLimits limits,
            String topic) {
        this.inputName = inputName;
        this.type = type;
        this.parse = parse;
        this.models = models;
        this.limits = limits;
        this.topic = topic;
    }

    /** Labeled events into examples for the trainers, with where they were in the topic. */
    public static ValidatingParser<Example> labeledEvents(
            Map<String, ModelSpec> models, InputLimits limits, String topic) {
        return new ValidatingParser<>(
                "labeled",
                Example.class,
                (parser, record) -> {
                    ParseResult<Example> r = parser.parseLabeled(record.value);
                    if (r.isOk()) {
                        r.value().partition = record.partition;
                        r.value().offset = record.offset;
                    }
                    return r;
                },
                models,
                limits,
                topic);
    }

    /** Prediction requests for the inference operator. */
    public static ValidatingParser<PredictionRequest> requests(
            Map<String, ModelSpec> models, InputLimits limits, String topic) {
        return new ValidatingParser<>(
                "requests",
                PredictionRequest.class,
                (parser, record) -> {
                    ParseResult<PredictionRequest> r = parser.parseRequest(record.value);
                    if (r.isOk() && record.readBy != 0) {
                        PredictionRequest request = r.value();
                        request.stampedBy = record.readBy;
                        request.readAtNanos = record.readAtNanos;
                        request.parsedAtNanos = Stamps.now();
                    }
                    return r;
                },
                models,
                limits,
                topic);
    }

    /** Outcomes of served requests, for the joiner of impressions and outcomes. */
    public static ValidatingParser<Outcome> outcomes(Map<String, ModelSpec> models, InputLimits limits, String topic) {
        return new ValidatingParser<>(
                "outcomes",
                Outcome.class,
                (parser, record) -> parser.parseOutcome(record.value),
                models,
                limits,
                topic);
    }

    /** Time-series points for the per-series lag windows. */
    public static ValidatingParser<SeriesPoint> seriesPoints(
            Map<String, ModelSpec> models, InputLimits limits, String topic) {
        return new ValidatingParser<>(
                "series",
                SeriesPoint.class,
                (parser, record) -> parser.parseSeriesPoint(record.value),
                models,
                limits,
                topic);
    }

    /** Control commands for the trainers. */
    public static ValidatingParser<ControlCommand> controlCommands(
            Map<String, ModelSpec> models, InputLimits limits, String topic) {
        return new ValidatingParser<>(
                "control",
                ControlCommand.class,
                (parser, record) -> parser.parseControl(record.value),
                models,
                limits,
                topic);
    }

    @Override
    public void open(OpenContext openContext) {
        parser = new EventParser(models, limits, topic);
        recordsIn = getRuntimeContext()
                .getMetricGroup()
                .addGroup(MetricNames.INPUT_GROUP, inputName)
                .counter(MetricNames.RECORDS_IN);
        deadLetterCounters = new DeadLetterCounters(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void processElement(SourceRecord record, Context ctx, Collector<T> out) {
        recordsIn.inc();
        ParseResult<T> result = record.invalidUtf8 != null
                ? ParseResult.rejected(parser.deadLetterOfBytes(
                        DeadLetterReason.NOT_UTF8, "the record is not valid UTF-8", record.invalidUtf8))
                : parse.apply(parser, record);
        if (result.isOk()) {
            out.collect(result.value());
        } else {
            ctx.output(DEAD_LETTERS, deadLetterCounters.count(result.deadLetter()));
        }
    }

    /** The input it parses, as its metrics name it. */
    public String inputName() {
        return inputName;
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return TypeInformation.of(type);
    }
}
