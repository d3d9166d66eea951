package dev.streamlearn.training;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.records.ControlCommand;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.DeadLetterReason;
import dev.streamlearn.records.Example;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flink adapter around {@link ModelTrainer}: examples and control commands are keyed by model
 * id, so each model has a single writer. The live weights stay in operator memory (touched per
 * example, never deserialized per access) and are checkpointed as union operator state; on
 * restore each subtask keeps the models whose key group it owns, so rescaling works too.
 * Mini-batches close by size on arrival and by time on a processing-time timer ({@link Wakeups}).
 *
 * <p>Versions to keep go to the {@link #STORED_MODELS} side output (for the model store) with a
 * line for the {@link #MODEL_LOG}; both sinks commit with the checkpoint that holds the version.
 */
public class TrainerFunction extends KeyedCoProcessFunction<String, Example, ControlCommand, ModelUpdate>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TrainerFunction.class);

    // state names are what savepoints are read by: never renamed
    static final String MODEL_SNAPSHOTS_STATE = "model-snapshots";
    static final String RECENT_VERSIONS_STATE = "recent-versions";
    static final String RECENT_ORDER_STATE = "recent-versions-order";

    public static final OutputTag<StoredModel> STORED_MODELS =
            new OutputTag<>("stored-models", TypeInformation.of(StoredModel.class));
    public static final OutputTag<ModelLogEntry> MODEL_LOG =
            new OutputTag<>("model-log", TypeInformation.of(ModelLogEntry.class));

    /** Examples whose update would have made the model non-finite: not learnt, dead-lettered. */
    public static final OutputTag<DeadLetter> REFUSED_EXAMPLES =
            new OutputTag<>("refused-examples", TypeInformation.of(DeadLetter.class));

    private final Map<String, ModelSpec> specs;
    private final ModelStore store;
    private final String labeledTopic;
    private final int deadLetterPayloadChars;
    private transient Map<String, ModelTrainer> trainers;
    private transient Map<String, TrainerMetrics> metrics;
    private transient Wakeups wakeups;
    private transient ListState<ModelSnapshot> checkpointed;
    private transient MapState<Long, StoredModel> recentVersions;
    private transient ValueState<long[]> recentOrder;

    /**
     * @param store where older versions are read back from for rollback; null when the job has none
     * @param labeledTopic where the examples came from, for the dead letters of refused ones
     */
    public TrainerFunction(
            Map<String, ModelSpec> specs, ModelStore store, String labeledTopic, int deadLetterPayloadChars) {
        this.specs = specs;
        this.store = store;
        this.labeledTopic = labeledTopic;
        this.deadLetterPayloadChars = deadLetterPayloadChars;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        trainers = new HashMap<>();
        checkpointed = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>(MODEL_SNAPSHOTS_STATE, ModelSnapshot.class));
        recentVersions = context.getKeyedStateStore()
                .getMapState(new MapStateDescriptor<>(
                        RECENT_VERSIONS_STATE, Types.LONG, TypeInformation.of(StoredModel.class)));
        recentOrder = context.getKeyedStateStore()
                .getState(new ValueStateDescriptor<>(
                        RECENT_ORDER_STATE, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        if (!context.isRestored()) {
            return;
        }
        int maxParallelism = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
        int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        for (ModelSnapshot snapshot : checkpointed.get()) {
            if (KeyGroupRangeAssignment.assignKeyToParallelOperator(snapshot.modelId, maxParallelism, parallelism)
                    != subtask) {
                continue;
            }
            ModelSpec spec = specs.get(snapshot.modelId);
            if (spec == null) {
                LOG.warn("Dropping model '{}' from the restored state: it is no longer configured", snapshot.modelId);
                continue;
            }
            if (snapshot.state == null) {
                LOG.warn(
                        "Model '{}' was checkpointed by a version of the job before feature scaling (at version {}):"
                                + " its weights do not carry over; it learns anew from version {}",
                        snapshot.modelId,
                        snapshot.version,
                        snapshot.version + 1);
            }
            ModelTrainer trainer = ModelTrainer.restore(spec, snapshot, recentVersions(spec));
            if (store != null) {
                List<Long> stored = store.versions(spec.id);
                if (!stored.isEmpty() && stored.get(stored.size() - 1) > trainer.version()) {
                    trainer.continueAfter(stored.get(stored.size() - 1));
                    LOG.info(
                            "Model '{}': the store already has versions up to {}; the restored version {} continues"
                                    + " as version {}",
                            spec.id,
                            stored.get(stored.size() - 1),
                            snapshot.version,
                            trainer.version());
                }
            }
            trainers.put(spec.id, trainer);
            LOG.info(
                    "Restored model '{}' at version {} ({} examples trained)",
                    spec.id,
                    trainer.version(),
                    snapshot.examplesTrained);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        metrics = new HashMap<>();
        wakeups = new Wakeups();
        trainers.values().forEach(this::registerMetrics);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        checkpointed.clear();
        for (ModelTrainer trainer : trainers.values()) {
            checkpointed.add(trainer.snapshot());
        }
    }

    @Override
    public void processElement1(Example example, Context ctx, Collector<ModelUpdate> out) throws IOException {
        ModelTrainer trainer = trainer(example.modelId);
        long now = ctx.timerService().currentProcessingTime();
        boolean full = trainer.add(example, now);
        for (Example refused : trainer.drainRefused()) {
            ctx.output(REFUSED_EXAMPLES, refusedExample(refused));
        }
        for (ModelTrainer.GuardEvent event : trainer.drainGuardEvents()) {
            if (event.update != null) {
                out.collect(event.update);
            }
            if (event.event == ModelLogEntry.Event.ALARM) {
                ctx.output(
                        MODEL_LOG,
                        ModelLogEntry.note(
                                ModelLogEntry.Event.ALARM, trainer.modelId(), trainer.version(), event.reason, now));
            } else {
                keep(trainer, event.event, event.reason, now, ctx);
            }
            LOG.warn("Model '{}': {} ({})", trainer.modelId(), event.event, event.reason);
        }
        if (full) {
            apply(trainer, ctx, out); // the batch's timer stays: when it fires, it wakes the next batch
        } else if (trainer.openBatchSize() == 1) {
            wakeAt(trainer, trainer.batchDeadline(), ctx);
        }
    }

    @Override
    public void processElement2(ControlCommand command, Context ctx, Collector<ModelUpdate> out) throws IOException {
        ModelTrainer trainer = trainer(command.modelId);
        long now = ctx.timerService().currentProcessingTime();
        switch (command.op) {
            case FREEZE:
                trainer.freeze();
                keep(trainer, ModelLogEntry.Event.FREEZE, null, now, ctx);
                break;
            case RESUME:
                trainer.resume();
                keep(trainer, ModelLogEntry.Event.RESUME, null, now, ctx);
                break;
            case ROLLBACK:
                rollback(trainer, command, now, ctx, out);
                break;
            default:
                throw new IllegalStateException("unhandled control op " + command.op);
        }
        LOG.info("Model '{}': {} (now at version {})", command.modelId, command, trainer.version());
        publishMetrics(trainer, ctx);
    }

    private void rollback(
            ModelTrainer trainer, ControlCommand command, long now, Context ctx, Collector<ModelUpdate> out) {
        long wanted = command.version;
        StoredModel target;
        try {
            target = wanted == ControlCommand.PREVIOUS_BETTER ? previousBetter(trainer) : find(trainer, wanted);
        } catch (IOException e) {
            reject(trainer, "the model store could not be read: " + e.getMessage(), now, ctx);
            return;
        }
        if (target == null) {
            reject(
                    trainer,
                    wanted == ControlCommand.PREVIOUS_BETTER
                            ? "no earlier version has a lower windowed loss than now (" + trainer.currentQualityLoss()
                                    + ")"
                            : "version " + wanted + " no longer exists (not in the recent versions"
                                    + (store == null
                                            ? ", and the job has no model store)"
                                            : " nor in the model store)"),
                    now,
                    ctx);
            return;
        }
        if (!target.isFinite() && !command.force) {
            reject(
                    trainer,
                    "version " + target.version + " has non-finite weights or optimizer values: it would serve NaN"
                            + " (add \"force\":true to roll back to it anyway)",
                    now,
                    ctx);
            return;
        }
        ModelUpdate update;
        try {
            update = trainer.rollbackTo(target, now);
        } catch (IllegalArgumentException e) {
            reject(trainer, e.getMessage(), now, ctx);
            return;
        }
        out.collect(update);
        keep(trainer, ModelLogEntry.Event.ROLLBACK, command.force ? "forced" : null, now, ctx);
    }

    private StoredModel find(ModelTrainer trainer, long version) throws IOException {
        StoredModel recent = trainer.recentVersion(version);
        if (recent != null
                || store == null
                || !store.versions(trainer.modelId()).contains(version)) {
            return recent;
        }
        return store.read(trainer.modelId(), version);
    }

    /** The newest earlier version, in state or in the store, whose windowed loss was lower than the current one. */
    private StoredModel previousBetter(ModelTrainer trainer) throws IOException {
        double now = trainer.currentQualityLoss();
        List<StoredModel> candidates = new ArrayList<>(trainer.recentVersions());
        long oldestRecent = candidates.isEmpty() ? Long.MAX_VALUE : candidates.get(0).version;
        if (store != null) {
            List<Long> stored = store.versions(trainer.modelId());
            for (int i = stored.size() - 1; i >= 0; i--) {
                if (stored.get(i) < oldestRecent) {
                    candidates.add(0, store.read(trainer.modelId(), stored.get(i)));
                    break; // one read per command: the newest stored version before the recent ones
                }
            }
        }
        for (int i = candidates.size() - 1; i >= 0; i--) {
            StoredModel c = candidates.get(i);
            // a NaN loss now is the worst there is: any healthy version with a loss beats it
            boolean better = c.qualityLoss() < now || (Double.isNaN(now) && !Double.isNaN(c.qualityLoss()));
            if (c.version < trainer.version() && better && c.isFinite()) {
                return c;
            }
        }
        return null;
    }

    /** The record itself is gone by now (parsed and hashed): the dead letter says where it is in Kafka. */
    private DeadLetter refusedExample(Example e) {
        ObjectNode where = JsonNodeFactory.instance.objectNode();
        where.put("model", e.modelId);
        where.put("id", e.id);
        where.put("partition", e.partition);
        where.put("offset", e.offset);
        where.put("ts", e.ts);
        DeadLetter d = new DeadLetter(
                DeadLetterReason.POISONED_UPDATE,
                "learning from this example would have made a weight or optimizer value of model '" + e.modelId
                        + "' non-finite: not learnt, the model is as before it",
                labeledTopic,
                where.toString(),
                deadLetterPayloadChars);
        d.modelId = e.modelId;
        return d;
    }

    private void reject(ModelTrainer trainer, String reason, long now, Context ctx) {
        ctx.output(MODEL_LOG, ModelLogEntry.rejected(trainer.modelId(), trainer.version(), reason, now));
    }

    /** Stores the current version and logs why ({@code reason}: null when the event says it all). */
    private void keep(ModelTrainer trainer, ModelLogEntry.Event event, String reason, long now, Context ctx) {
        StoredModel m = trainer.store(now);
        if (store != null) {
            ctx.output(STORED_MODELS, m);
        }
        ModelLogEntry line = ModelLogEntry.of(
                event,
                m,
                store == null ? null : store.pathOf(m.modelId, m.version).toString());
        line.reason = reason;
        ctx.output(MODEL_LOG, line);
    }

    /** One timer may stand for several needs (see {@link Wakeups}): does what is due, asks again for the rest. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ModelUpdate> out) {
        wakeups.fired(ctx.getCurrentKey(), timestamp);
        ModelTrainer trainer = trainers.get(ctx.getCurrentKey());
        if (trainer == null) {
            return;
        }
        if (trainer.hasOpenBatch()) {
            if (trainer.batchDeadline() <= timestamp) {
                apply(trainer, ctx, out); // also stores when due and refreshes the metrics
                return;
            }
            wakeAt(trainer, trainer.batchDeadline(), ctx);
        }
        if (trainer.hasUnstoredVersion()) {
            if (trainer.storeDue(timestamp)) {
                keep(trainer, ModelLogEntry.Event.STORED, null, timestamp, ctx); // the last version before a pause
            } else {
                wakeAt(trainer, trainer.nextStoreAt(), ctx);
            }
        }
        publishMetrics(trainer, ctx); // a deferred metrics refresh
    }

    private void wakeAt(ModelTrainer trainer, long millis, Context ctx) {
        if (wakeups.register(trainer.modelId(), millis)) {
            ctx.timerService().registerProcessingTimeTimer(millis);
        }
    }

    private void apply(ModelTrainer trainer, Context ctx, Collector<ModelUpdate> out) {
        ModelUpdate update = trainer.applyBatch();
        if (update != null) {
            out.collect(update);
            long now = ctx.timerService().currentProcessingTime();
            if (trainer.storeDue(now)) {
                keep(trainer, ModelLogEntry.Event.STORED, null, now, ctx);
            } else {
                wakeAt(trainer, trainer.nextStoreAt(), ctx);
            }
        }
        publishMetrics(trainer, ctx);
    }

    private void publishMetrics(ModelTrainer trainer, Context ctx) {
        long refreshAt = metrics.get(trainer.modelId())
                .publish(trainer, ctx.timerService().currentProcessingTime());
        if (refreshAt >= 0) {
            wakeAt(trainer, refreshAt, ctx);
        }
    }

    private ModelTrainer trainer(String modelId) throws IOException {
        ModelTrainer trainer = trainers.get(modelId);
        if (trainer == null) {
            ModelSpec spec = specs.get(modelId);
            if (spec == null) {
                // the parsers reject unknown models, so this is a wiring error, not bad input
                throw new IllegalStateException("no spec for model '" + modelId + "'");
            }
            if (spec.initialModel != null) {
                trainer = ModelTrainer.startingFrom(spec, ModelStore.readFile(spec.initialModel), recentVersions(spec));
                LOG.info("Model '{}' starts from {} (version {})", modelId, spec.initialModel, trainer.version());
            } else {
                trainer = new ModelTrainer(spec, recentVersions(spec));
            }
            trainers.put(modelId, trainer);
            registerMetrics(trainer);
        }
        return trainer;
    }

    /** The model's recent versions, in keyed state: the model id is the key wherever the trainer is called. */
    private RecentVersions recentVersions(ModelSpec spec) {
        return new KeyedRecentVersions(spec.recentVersions, recentVersions, recentOrder);
    }

    private void registerMetrics(ModelTrainer trainer) {
        metrics.put(
                trainer.modelId(),
                new TrainerMetrics(getRuntimeContext().getMetricGroup().addGroup("model", trainer.modelId()), trainer));
    }
}
