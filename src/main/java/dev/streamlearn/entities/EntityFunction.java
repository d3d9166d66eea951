package dev.streamlearn.entities;

import dev.streamlearn.metrics.MetricNames;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.PredictionRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The entity features of one entity field (the {@code field}-th of each model's {@code entities}),
 * keyed by model and entity value, so one subtask owns each entity's state (RocksDB). Labeled
 * examples (first input) get the entity's features as they were before their own label, which is
 * then counted; requests (second input, out on {@link #REQUESTS}) get them as they are, and
 * count for nothing. Events of a model without this field, or without a value for it, pass with
 * the neutral values or unchanged, keyed by their id so they spread over the subtasks. Idle
 * entities leave the state after ten of their longest half-lives (processing time), by when
 * their counts weigh a thousandth.
 */
public class EntityFunction extends KeyedCoProcessFunction<String, Example, PredictionRequest, Example>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<PredictionRequest> REQUESTS =
            new OutputTag<>("entity-requests", TypeInformation.of(PredictionRequest.class));
    /** The keyed state of the entities; RocksDB's estimates of it are metrics under this name. */
    public static final String STATS_STATE = MetricNames.ENTITY_STATS_STATE;
    /** How many half-lives an idle entity is kept. */
    static final int KEPT_HALF_LIVES = 10;

    private static final char PASS_THROUGH = '\u0001';
    private static final char MODEL_AND_VALUE = '\u0000';

    private final Map<String, ModelSpec> models;
    private final int field;

    private transient Map<String, EntityEnrichment> enrichments;
    private transient ValueState<EntityStats> stats;
    private transient ListState<PriorState> priorState;
    private transient Map<String, LabelMean> restoredPriors;
    private transient Counter entitiesNew;
    private transient Counter labelsCounted;

    public EntityFunction(Map<String, ModelSpec> models, int field) {
        this.models = Map.copyOf(models);
        this.field = field;
    }

    /** The key of an event in the operator of entity field {@code field}: its model and entity value, or its own id. */
    public static String key(String modelId, String[] entities, int field, String id, long ts) {
        String value = EntityEnrichment.value(entities, field);
        if (value == null) {
            return PASS_THROUGH + (id != null ? id : Long.toString(ts));
        }
        return modelId + MODEL_AND_VALUE + value;
    }

    /** How many entity fields the model with the most has: the number of entity operators the job chains. */
    public static int fieldCount(Map<String, ModelSpec> models) {
        return models.values().stream()
                .mapToInt(m -> m.get(ModelOptions.ENTITIES).size())
                .max()
                .orElse(0);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        priorState = context.getOperatorStateStore()
                .getUnionListState(new ListStateDescriptor<>("entity-priors", TypeInformation.of(PriorState.class)));
        // every subtask gets every subtask's prior of a model back (union): it starts from their mean
        Map<String, double[]> sums = new HashMap<>();
        for (PriorState p : priorState.get()) {
            double[] s = sums.computeIfAbsent(p.modelId, m -> new double[3]);
            s[0] += p.mean;
            s[1] += p.seen;
            s[2]++;
        }
        restoredPriors = new HashMap<>();
        sums.forEach((model, s) -> restoredPriors.put(
                model, LabelMean.restored(EntityEnrichment.PRIOR_WINDOW, s[0] / s[2], (long) (s[1] / s[2]))));
    }

    @Override
    public void open(OpenContext openContext) {
        enrichments = new HashMap<>();
        long longestHalfLife = 1;
        for (ModelSpec spec : models.values()) {
            if (spec.get(ModelOptions.ENTITIES).size() > field) {
                LabelMean restored = restoredPriors.get(spec.id);
                enrichments.put(
                        spec.id, restored != null ? EntityEnrichment.of(spec, restored) : EntityEnrichment.of(spec));
                for (long h : spec.get(ModelOptions.ENTITY_HALF_LIVES)) {
                    longestHalfLife = Math.max(longestHalfLife, h);
                }
            }
        }
        ValueStateDescriptor<EntityStats> descriptor =
                new ValueStateDescriptor<>(STATS_STATE, TypeInformation.of(EntityStats.class));
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(KEPT_HALF_LIVES * longestHalfLife))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        stats = getRuntimeContext().getState(descriptor);
        entitiesNew = getRuntimeContext().getMetricGroup().counter(MetricNames.ENTITIES_NEW);
        labelsCounted = getRuntimeContext().getMetricGroup().counter(MetricNames.ENTITY_LABELS_COUNTED);
    }

    @Override
    public void processElement1(Example e, Context ctx, Collector<Example> out) throws Exception {
        EntityEnrichment enrichment = enrichments.get(e.modelId);
        if (enrichment != null) {
            boolean named = EntityEnrichment.value(e.entities, field) != null;
            EntityStats stored = named ? stats.value() : null;
            EntityStats kept = enrichment.learnFrom(e, field, stored);
            if (kept != null) {
                if (stored == null) {
                    entitiesNew.inc();
                }
                stats.update(kept);
                labelsCounted.inc();
            }
            if (EntityEnrichment.countsLabel(e)) {
                enrichment.prior().add(e.label);
            }
        }
        out.collect(e);
    }

    @Override
    public void processElement2(PredictionRequest r, Context ctx, Collector<Example> out) throws Exception {
        EntityEnrichment enrichment = enrichments.get(r.modelId);
        if (enrichment != null) {
            enrichment.serve(r, field, EntityEnrichment.value(r.entities, field) != null ? stats.value() : null);
        }
        ctx.output(REQUESTS, r);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        priorState.clear();
        for (Map.Entry<String, EntityEnrichment> e : enrichments.entrySet()) {
            LabelMean prior = e.getValue().prior();
            priorState.add(new PriorState(e.getKey(), prior.mean(), prior.seen()));
        }
    }
}
