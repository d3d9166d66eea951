package dev.streamlearn.training;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.store.ModelStore;
import dev.streamlearn.records.ControlCommand;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.DeadLetterReason;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.flink.DeadLetterCounters;
import java.io.IOException;
import java.util.HashMap;
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
 * Flink adapter around {@link ModelTrainers}: examples and control commands are keyed by model
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
    private transient ModelTrainers trainers;
    private transient Map<String, TrainerMetrics> metrics;
    private transient Wakeups wakeups;
    private transient ContextOutput output;
    private transient DeadLetterCounters deadLetters;
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
        checkpointed = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>(MODEL_SNAPSHOTS_STATE, ModelSnapshot.class));
        recentVersions = context.getKeyedStateStore()
                .getMapState(new MapStateDescriptor<>(
                        RECENT_VERSIONS_STATE, Types.LONG, TypeInformation.of(StoredModel.class)));
        recentOrder = context.getKeyedStateStore()
                .getState(new ValueStateDescriptor<>(
                        RECENT_ORDER_STATE, PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        // the model id is the key wherever the trainer is called, so each model's recent versions are its own
        trainers = new ModelTrainers(
                specs,
                store,
                ModelStore::readFile,
                spec -> new KeyedRecentVersions(spec.get(ModelOptions.STORE_RECENT), recentVersions, recentOrder));
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
            if (snapshot.state == null) {
                LOG.warn(
                        "Model '{}' was checkpointed by a version of the job before feature scaling (at version {}):"
                                + " its weights do not carry over; it learns anew from version {}",
                        snapshot.modelId,
                        snapshot.version,
                        snapshot.version + 1);
            }
            ModelTrainer trainer = trainers.restore(snapshot, System.currentTimeMillis());
            if (trainer == null) {
                LOG.warn("Dropping model '{}' from the restored state: it is no longer configured", snapshot.modelId);
                continue;
            }
            LOG.info(
                    "Restored model '{}' at version {} ({} examples trained)",
                    trainer.modelId(),
                    trainer.version(),
                    snapshot.examplesTrained);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        metrics = new HashMap<>();
        deadLetters = new DeadLetterCounters(getRuntimeContext().getMetricGroup());
        wakeups = new Wakeups();
        output = new ContextOutput();
        trainers.all().forEach(this::registerMetrics);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        trainers.claimUnstored();
        checkpointed.clear();
        for (ModelTrainer trainer : trainers.all()) {
            checkpointed.add(trainer.snapshot());
        }
    }

    @Override
    public void processElement1(Example example, Context ctx, Collector<ModelUpdate> out) throws IOException {
        long now = ctx.timerService().currentProcessingTime();
        ContextOutput o = output.to(ctx, out);
        ModelTrainer trainer = trainer(example.modelId, now, o);
        if (trainers.learn(trainer, example, now, o)) {
            apply(trainer, ctx, o); // the batch's timer stays: when it fires, it wakes the next batch
        } else if (trainer.openBatchSize() == 1) {
            wakeAt(trainer, trainer.batchDeadline(), ctx);
        }
    }

    @Override
    public void processElement2(ControlCommand command, Context ctx, Collector<ModelUpdate> out) throws IOException {
        long now = ctx.timerService().currentProcessingTime();
        ContextOutput o = output.to(ctx, out);
        ModelTrainer trainer = trainer(command.modelId, now, o);
        trainers.command(command, now, o);
        LOG.info("Model '{}': {} (now at version {})", command.modelId, command, trainer.version());
        publishMetrics(trainer, ctx);
    }

    /** One timer may stand for several needs (see {@link Wakeups}): does what is due, asks again for the rest. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ModelUpdate> out) {
        wakeups.fired(ctx.getCurrentKey(), timestamp);
        ModelTrainer trainer = trainers.existing(ctx.getCurrentKey());
        if (trainer == null) {
            return;
        }
        ContextOutput o = output.to(ctx, out);
        if (trainer.openBatchSize() > 0) {
            if (trainer.batchDeadline() <= timestamp) {
                apply(trainer, ctx, o); // also stores when due and refreshes the metrics
                return;
            }
            wakeAt(trainer, trainer.batchDeadline(), ctx);
        }
        // the last version before a pause is stored once its time comes
        if (!trainers.storeIfDue(trainer, timestamp, o) && trainer.hasUnstoredVersion()) {
            wakeAt(trainer, trainer.nextStoreAt(), ctx);
        }
        publishMetrics(trainer, ctx); // a deferred metrics refresh
    }

    private void wakeAt(ModelTrainer trainer, long millis, Context ctx) {
        if (wakeups.register(trainer.modelId(), millis)) {
            ctx.timerService().registerProcessingTimeTimer(millis);
        }
    }

    private void apply(ModelTrainer trainer, Context ctx, ContextOutput o) {
        if (trainers.applyBatch(trainer, ctx.timerService().currentProcessingTime(), o)) {
            wakeAt(trainer, trainer.nextStoreAt(), ctx);
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

    private ModelTrainer trainer(String modelId, long now, ContextOutput o) throws IOException {
        ModelTrainer trainer = trainers.existing(modelId);
        if (trainer == null) {
            trainer = trainers.trainer(modelId, now, o);
            registerMetrics(trainer);
            if (trainer.continuedAfter() >= 0) {
                LOG.info(
                        "Model '{}' starts at version {}, after the versions the model store holds",
                        modelId,
                        trainer.version());
            }
        }
        return trainer;
    }

    private void registerMetrics(ModelTrainer trainer) {
        metrics.put(
                trainer.modelId(),
                new TrainerMetrics(
                        getRuntimeContext().getMetricGroup().addGroup(MetricNames.MODEL_GROUP, trainer.modelId()),
                        trainer));
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

    /** The trainers' results into this call's collector and side outputs; one instance, pointed at each call's context. */
    private final class ContextOutput implements ModelTrainers.Output {
        private Context ctx;
        private Collector<ModelUpdate> out;

        ContextOutput to(Context ctx, Collector<ModelUpdate> out) {
            this.ctx = ctx;
            this.out = out;
            return this;
        }

        @Override
        public void update(ModelUpdate update) {
            out.collect(update);
        }

        @Override
        public void store(StoredModel version) {
            ctx.output(STORED_MODELS, version);
        }

        @Override
        public void log(ModelLogEntry line) {
            if (line.event != ModelLogEntry.Event.STORED) {
                LOG.info("Model '{}': {}", line.modelId, line);
            }
            ctx.output(MODEL_LOG, line);
        }

        @Override
        public void refused(Example example) {
            ctx.output(REFUSED_EXAMPLES, deadLetters.count(refusedExample(example)));
        }
    }
}
