package dev.streamlearn.training;

import dev.streamlearn.control.ControlCommand;
import dev.streamlearn.ingest.Example;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flink adapter around {@link ModelTrainer}: examples and control commands are keyed by model
 * id, so each model has a single writer. The live weights stay in operator memory (touched per
 * example, never deserialized per access) and are checkpointed as union operator state; on
 * restore each subtask keeps the models whose key group it owns, so rescaling works too.
 * Mini-batches close by size on arrival and by time on a processing-time timer.
 */
public class TrainerFunction extends KeyedCoProcessFunction<String, Example, ControlCommand, ModelUpdate>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TrainerFunction.class);

    private final Map<String, ModelSpec> specs;
    private transient Map<String, ModelTrainer> trainers;
    private transient Map<String, TrainerMetrics> metrics;
    private transient ListState<ModelSnapshot> checkpointed;

    public TrainerFunction(Map<String, ModelSpec> specs) {
        this.specs = specs;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        trainers = new HashMap<>();
        checkpointed = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("model-snapshots", ModelSnapshot.class));
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
            trainers.put(spec.id, ModelTrainer.restore(spec, snapshot));
            LOG.info("Restored model '{}' at version {} ({} examples trained)", spec.id, snapshot.version,
                    snapshot.examplesTrained);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        metrics = new HashMap<>();
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
    public void processElement1(Example example, Context ctx, Collector<ModelUpdate> out) {
        ModelTrainer trainer = trainer(example.modelId);
        long now = ctx.timerService().currentProcessingTime();
        boolean full = trainer.add(example.indices, example.values, example.label, example.weight, now);
        if (full) {
            ctx.timerService().deleteProcessingTimeTimer(trainer.batchDeadline());
            apply(trainer, ctx, out);
        } else if (trainer.openBatchSize() == 1) {
            ctx.timerService().registerProcessingTimeTimer(trainer.batchDeadline());
        }
    }

    @Override
    public void processElement2(ControlCommand command, Context ctx, Collector<ModelUpdate> out) {
        ModelTrainer trainer = trainer(command.modelId);
        switch (command.op) {
            case FREEZE:
                trainer.freeze();
                break;
            case RESUME:
                trainer.resume();
                break;
            default:
                throw new IllegalStateException("unhandled control op " + command.op);
        }
        LOG.info("Model '{}' {} at version {}", command.modelId, command.op, trainer.version());
        publishMetrics(trainer, ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ModelUpdate> out) {
        ModelTrainer trainer = trainers.get(ctx.getCurrentKey());
        if (trainer == null) {
            return;
        }
        if (trainer.hasOpenBatch() && trainer.batchDeadline() <= timestamp) {
            apply(trainer, ctx, out);
        } else {
            publishMetrics(trainer, ctx); // a deferred metrics refresh
        }
    }

    private void apply(ModelTrainer trainer, Context ctx, Collector<ModelUpdate> out) {
        ModelUpdate update = trainer.applyBatch();
        if (update != null) {
            out.collect(update);
        }
        publishMetrics(trainer, ctx);
    }

    private void publishMetrics(ModelTrainer trainer, Context ctx) {
        long refreshAt = metrics.get(trainer.modelId()).publish(trainer, ctx.timerService().currentProcessingTime());
        if (refreshAt >= 0) {
            ctx.timerService().registerProcessingTimeTimer(refreshAt);
        }
    }

    private ModelTrainer trainer(String modelId) {
        ModelTrainer trainer = trainers.get(modelId);
        if (trainer == null) {
            ModelSpec spec = specs.get(modelId);
            if (spec == null) {
                // the parsers reject unknown models, so this is a wiring error, not bad input
                throw new IllegalStateException("no spec for model '" + modelId + "'");
            }
            trainer = new ModelTrainer(spec);
            trainers.put(modelId, trainer);
            registerMetrics(trainer);
        }
        return trainer;
    }

    private void registerMetrics(ModelTrainer trainer) {
        metrics.put(trainer.modelId(), new TrainerMetrics(
                getRuntimeContext().getMetricGroup().addGroup("model", trainer.modelId()), trainer));
    }
}
