package dev.streamlearn.outcomes;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.DeadLetterReason;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Impression;
import dev.streamlearn.records.Outcome;
import dev.streamlearn.records.flink.DeadLetterCounters;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The online joiner: keyed by request id, an impression waits in keyed state (RocksDB) for its
 * outcome until its {@link AttributionWindow} closes in event time. An outcome within the window
 * makes it a positive (the outcome's label), no outcome a negative (0): exactly one labeled event
 * per impression, out as JSON for the labeled-events topic, when the window closes (or, with
 * {@link AttributionWindow.Release#OUTCOME}, a positive at once; with {@link
 * AttributionWindow.Release#FAKE_NEGATIVE}, a weighted negative and any positive at once, and the
 * final label to calibrate with when the window closes). State and timers checkpoint
 * with the job, so a restore neither loses nor repeats one. A closed impression is remembered for
 * one more window, so a late or repeated outcome is told from an unknown one; then nothing of it
 * is left. An outcome that comes before its impression waits for it one window of event time.
 */
public class OutcomeJoiner extends KeyedCoProcessFunction<String, Impression, Outcome, String>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("join-dead-letters", TypeInformation.of(DeadLetter.class));

    private static final int HISTOGRAM_WINDOW = 10_000;

    private final Map<String, ModelSpec> models;
    private final AttributionWindow window;
    private final String requestsTopic;
    private final String outcomesTopic;
    private final int deadLetterPayloadChars;

    private transient ValueState<Impression> pending;
    private transient ValueState<ClosedImpression> closed;
    private transient ValueState<Outcome> early;
    private transient ListState<Long> pendingCountState;
    private transient long pendingCount;

    private transient Counter logged;
    private transient Counter joined;
    private transient Counter expired;
    private transient Counter duplicateImpressions;
    private transient Counter late;
    private transient Counter unknown;
    private transient Counter duplicateOutcomes;
    private transient DeadLetterCounters deadLetters;
    private transient Counter refused;
    private transient Histogram labelDelayMillis;

    public OutcomeJoiner(
            Map<String, ModelSpec> models,
            AttributionWindow window,
            String requestsTopic,
            String outcomesTopic,
            int deadLetterPayloadChars) {
        this.models = models;
        this.window = window;
        this.requestsTopic = requestsTopic;
        this.outcomesTopic = outcomesTopic;
        this.deadLetterPayloadChars = deadLetterPayloadChars;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        pendingCountState = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("impressions-pending-count", Types.LONG));
        pendingCount = 0;
        for (Long n : pendingCountState.get()) {
            pendingCount += n; // after a rescale the counts of several subtasks may land here
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        pendingCountState.update(List.of(pendingCount));
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("impression", TypeInformation.of(Impression.class)));
        closed = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("closed-impression", TypeInformation.of(ClosedImpression.class)));
        early = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("early-outcome", TypeInformation.of(Outcome.class)));
        MetricGroup group = getRuntimeContext().getMetricGroup();
        group.gauge(MetricNames.IMPRESSIONS_PENDING, (Gauge<Long>) () -> pendingCount);
        logged = group.counter(MetricNames.IMPRESSIONS_LOGGED);
        joined = group.counter(MetricNames.IMPRESSIONS_JOINED);
        expired = group.counter(MetricNames.IMPRESSIONS_EXPIRED);
        duplicateImpressions = group.counter(MetricNames.IMPRESSIONS_DUPLICATE);
        late = group.counter(MetricNames.OUTCOMES_LATE);
        unknown = group.counter(MetricNames.OUTCOMES_UNKNOWN);
        duplicateOutcomes = group.counter(MetricNames.OUTCOMES_DUPLICATE);
        deadLetters = new DeadLetterCounters(group);
        refused = group.counter(MetricNames.OUTCOMES_REFUSED);
        labelDelayMillis =
                group.histogram(MetricNames.LABEL_DELAY_MILLIS, new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    }

    @Override
    public void processElement1(Impression impression, Context ctx, Collector<String> out) throws Exception {
        if (pending.value() != null || closed.value() != null) {
            duplicateImpressions.inc();
            reject(
                    ctx,
                    DeadLetterReason.DUPLICATE_IMPRESSION,
                    "request id '" + impression.id + "' is already an impression within its window; ids of"
                            + " remembered requests must be unique",
                    requestsTopic,
                    impression.payload,
                    impression.modelId);
            return;
        }
        logged.inc();
        pending.update(impression);
        pendingCount++;
        ctx.timerService().registerEventTimeTimer(window.closesAt(impression.ts));
        if (fakeNegatives(impression)) {
            out.collect(JoinedEvent.of(impression, 0.0, Example.Use.LEARN_FAKE_NEGATIVE));
        }
        Outcome waiting = early.value();
        if (waiting != null) {
            early.clear();
            ctx.timerService().deleteEventTimeTimer(window.unknownAfter(waiting.ts));
            join(impression, waiting, ctx, out);
        }
    }

    @Override
    public void processElement2(Outcome outcome, Context ctx, Collector<String> out) throws Exception {
        Impression impression = pending.value();
        if (impression != null) {
            if (!Double.isNaN(impression.label)) {
                duplicateOutcomes.inc(); // joined, waiting for its window's end: counted, never learnt twice
                return;
            }
            join(impression, outcome, ctx, out);
            return;
        }
        ClosedImpression done = closed.value();
        if (done != null) {
            if (done.joined) {
                duplicateOutcomes.inc(); // counted, never learnt twice
            } else {
                late.inc();
                reject(
                        ctx,
                        DeadLetterReason.OUTCOME_LATE,
                        "the attribution window of request '" + outcome.id
                                + "' had closed; it was learnt as a negative",
                        outcomesTopic,
                        outcome.payload,
                        null);
            }
            return;
        }
        if (early.value() != null) {
            duplicateOutcomes.inc();
            return;
        }
        // its impression may still be on its way (requests pass inference first): wait a window
        early.update(outcome);
        ctx.timerService().registerEventTimeTimer(window.unknownAfter(outcome.ts));
    }

    /** An outcome for a pending impression: a positive if it is within the window and its label fits the model. */
    private void join(Impression impression, Outcome outcome, Context ctx, Collector<String> out) throws Exception {
        ModelSpec spec = models.get(impression.modelId);
        if (!spec.loss().acceptsLabel(outcome.label)) {
            refused.inc();
            reject(
                    ctx,
                    DeadLetterReason.BAD_LABEL,
                    "label " + outcome.label + " is not valid for "
                            + spec.loss().labelRule() + " (model '" + impression.modelId + "')",
                    outcomesTopic,
                    outcome.payload,
                    impression.modelId);
            return;
        }
        if (!window.attributes(impression.ts, outcome.ts)) {
            late.inc(); // the impression becomes a negative when event time reaches its window's end
            reject(
                    ctx,
                    DeadLetterReason.OUTCOME_LATE,
                    "outcome at " + outcome.ts + " is after the attribution window of request '" + outcome.id
                            + "' (closed at " + window.closesAt(impression.ts) + ")",
                    outcomesTopic,
                    outcome.payload,
                    impression.modelId);
            return;
        }
        joined.inc();
        labelDelayMillis.update(Math.max(0, outcome.ts - impression.ts));
        if (fakeNegatives(impression)) {
            impression.label = outcome.label; // calibrates when the window closes
            pending.update(impression);
            if (outcome.label > 0) {
                out.collect(JoinedEvent.of(impression, outcome.label, Example.Use.LEARN_FAKE_NEGATIVE));
            }
            return;
        }
        if (window.release != AttributionWindow.Release.OUTCOME) {
            impression.label = outcome.label; // learnt when the window closes, as the negatives of its time are
            pending.update(impression);
            return;
        }
        out.collect(JoinedEvent.of(impression, outcome.label));
        close(impression, true, ctx);
        ctx.timerService().deleteEventTimeTimer(window.closesAt(impression.ts));
    }

    /** Whether the impression is released as fake-negative feedback: by the policy, for a logistic model. */
    private boolean fakeNegatives(Impression impression) {
        return window.release == AttributionWindow.Release.FAKE_NEGATIVE
                && models.get(impression.modelId).loss() == Loss.LOGISTIC;
    }

    private void close(Impression impression, boolean byOutcome, Context ctx) throws Exception {
        pending.clear();
        pendingCount--;
        long forgetAt = window.forgetAt(impression.ts);
        closed.update(new ClosedImpression(byOutcome, forgetAt));
        ctx.timerService().registerEventTimeTimer(forgetAt);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) throws Exception {
        Impression impression = pending.value();
        if (impression != null && timestamp >= window.closesAt(impression.ts)) {
            boolean positive = !Double.isNaN(impression.label);
            out.collect(JoinedEvent.of(
                    impression,
                    positive ? impression.label : 0.0,
                    fakeNegatives(impression) ? Example.Use.CALIBRATE : Example.Use.LEARN));
            if (!positive) {
                expired.inc();
            }
            close(impression, positive, ctx);
        }
        ClosedImpression done = closed.value();
        if (done != null && timestamp >= done.forgetAt) {
            closed.clear();
        }
        Outcome waiting = early.value();
        if (waiting != null && timestamp >= window.unknownAfter(waiting.ts)) {
            early.clear();
            unknown.inc();
            reject(
                    ctx,
                    DeadLetterReason.OUTCOME_UNKNOWN,
                    "no impression with request id '" + waiting.id + "' was logged before the outcome (or"
                            + " it was closed more than a window ago)",
                    outcomesTopic,
                    waiting.payload,
                    null);
        }
    }

    /** Sends a record the join cannot use to the dead-letter topic, with the model it was for (null: unknown). */
    private void reject(
            Context ctx, DeadLetterReason reason, String detail, String topic, String payload, String modelId) {
        DeadLetter d = new DeadLetter(reason, detail, topic, payload, deadLetterPayloadChars);
        d.modelId = modelId;
        ctx.output(DEAD_LETTERS, deadLetters.count(d));
    }
}
