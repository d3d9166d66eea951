package dev.streamlearn.model;

import dev.streamlearn.features.Crosses;
import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelSpec.GuardAction;
import dev.streamlearn.model.ModelSpec.OptimizerKind;
import dev.streamlearn.model.ModelSpec.Serving;
import dev.streamlearn.options.Option;
import dev.streamlearn.options.OptionType;
import java.util.List;

/**
 * The options of each model, declared once: set for every model as {@code --key value}, for one
 * as {@code --model.<id>.<key> value}. A {@link ModelSpec} holds one value of each.
 */
public final class ModelOptions {

    private ModelOptions() {}

    public static final Option<List<String>> MODELS = Option.key("models", OptionType.NAMES)
            .defaultValue(List.of("ctr"))
            .rule(ids -> !ids.isEmpty(), "must name at least one model")
            .description(
                    "Comma-separated model ids the job trains and serves; events for other ids are" + " dead-lettered.")
            .build();

    public static final Option<Loss> LOSS = Option.key("loss", OptionType.oneOf(Loss.class))
            .defaultValue(Loss.LOGISTIC)
            .description("`logistic` (labels 0/1, scores are probabilities) or `squared` (real labels).")
            .perModelNotChallenger()
            .build();

    public static final Option<OptimizerKind> OPTIMIZER = Option.key("optimizer", OptionType.oneOf(OptimizerKind.class))
            .defaultValue(OptimizerKind.FTRL)
            .description("`ftrl` (FTRL-Proximal), `adagrad`, `sgd` (rate decays as eta/sqrt(1+t)), or `rls`"
                    + " (recursive least squares: exact online ridge regression for squared loss with up to"
                    + " 1,024 features, such as time series).")
            .perModel()
            .build();

    public static final Option<Integer> HASH_BITS = Option.key("hash.bits", OptionType.INT)
            .defaultValue(20)
            .rule(v -> v >= 1 && v <= FeatureHasher.MAX_BITS, "must be in 1.." + FeatureHasher.MAX_BITS)
            .description("Features hash into 2^bits coordinates, plus one for the bias; 1.." + FeatureHasher.MAX_BITS
                    + ". A model's memory grows with the coordinates it has learnt, up to that of all 2^bits.")
            .perModelNotChallenger()
            .build();

    public static final Option<Integer> BATCH_SIZE = Option.key("batch.size", OptionType.INT)
            .defaultValue(100)
            .rule(v -> v >= 1 && v <= 1_000_000, "must be in 1..1000000")
            .description("A mini-batch closes at this many examples ...")
            .perModel()
            .build();

    public static final Option<Long> BATCH_MILLIS = Option.key("batch.millis", OptionType.LONG)
            .defaultValue(200L)
            .rule(v -> v >= 1, "must be >= 1")
            .description("... or this many milliseconds after its first example, whichever comes first.")
            .perModel()
            .build();

    public static final Option<Integer> FULL_UPDATE_EVERY = Option.key("update.full-every", OptionType.INT)
            .defaultValue(100)
            .rule(v -> v >= 1, "must be >= 1")
            .description("Every n-th version goes to inference in full, at most once a second (and the first after"
                    + " each start); the others as deltas.")
            .perModel()
            .build();

    public static final Option<Integer> METRICS_WINDOW = Option.key("metrics.window", OptionType.INT)
            .defaultValue(10_000)
            .rule(v -> v >= 1 && v <= 10_000_000, "must be in 1..10000000")
            .description("Sliding window of the prequential metrics, in examples.")
            .perModelNotChallenger()
            .build();

    public static final Option<Double> FTRL_ALPHA = Option.key("ftrl.alpha", OptionType.DOUBLE)
            .defaultValue(0.5)
            .rule(v -> v > 0 && Double.isFinite(v), "must be > 0")
            .description("FTRL-Proximal learning-rate scale: about the size of a weight the model should reach in"
                    + " one step (as Vowpal Wabbit's default rate 0.5).")
            .perModel()
            .build();

    public static final Option<Double> FTRL_BETA = Option.key("ftrl.beta", OptionType.DOUBLE)
            .defaultValue(1.0)
            .rule(v -> v >= 0 && Double.isFinite(v), "must be >= 0")
            .description("FTRL-Proximal learning-rate smoothing.")
            .perModel()
            .build();

    public static final Option<Double> LEARNING_RATE = Option.key("learning-rate", OptionType.DOUBLE)
            .defaultText(perOptimizer(k -> k.defaultLearningRate))
            .rule(v -> v > 0 && Double.isFinite(v), "must be > 0")
            .description("AdaGrad rate; SGD initial rate (decays as eta/sqrt(1+t) over examples). FTRL has"
                    + " `ftrl.alpha` instead: setting this for an FTRL model fails at start.")
            .perModel()
            .build();

    public static final Option<Double> L1 = Option.key("l1", OptionType.DOUBLE)
            .defaultText(perOptimizer(k -> k.defaultL1))
            .rule(v -> v >= 0 && Double.isFinite(v), "must be >= 0")
            .description("L1 strength. FTRL weighs it against the loss summed over the whole stream, so 1.0 is mild;"
                    + " AdaGrad and SGD apply theirs at every example, where any fixed amount would outweigh a long"
                    + " stream, so they start without. The bias is never regularized.")
            .perModel()
            .build();

    public static final Option<Double> L2 = Option.key("l2", OptionType.DOUBLE)
            .defaultText(perOptimizer(k -> k.defaultL2))
            .rule(v -> v >= 0 && Double.isFinite(v), "must be >= 0")
            .description("L2 strength (same remark as `l1`). For `rls` it is the ridge, which must be above 0: on"
                    + " standardized features 1 weighs as much as one example.")
            .perModel()
            .build();

    public static final Option<Double> SCALE_CLIP = Option.key("scale.clip", OptionType.DOUBLE)
            .defaultValue(10.0)
            .rule(v -> v >= 1 && v <= 1000, "must be in 1..1000")
            .description("Numeric features, and the labels of squared-loss models, are standardized by running"
                    + " statistics kept in the model and clipped to this many standard deviations.")
            .perModel()
            .build();

    public static final Option<Double> GRADIENT_CLIP = Option.key("gradient.clip", OptionType.DOUBLE)
            .defaultValue(10.0)
            .rule(v -> v > 0 && v <= 1e6, "must be in (0, 1e6]")
            .description("The slope of one example's weighted loss in the margin is clipped to ±this, so one record"
                    + " moves the model at most as much as this many ordinary ones (logistic loss: an unweighted"
                    + " example's slope is at most 1, so only weights above 10 are cut; squared loss: residuals"
                    + " beyond 10 standard deviations count as 10, a Huber loss).")
            .perModel()
            .build();

    public static final Option<GuardAction> GUARD_ACTION = Option.key(
                    "guard.action", OptionType.oneOf(GuardAction.class))
            .defaultValue(GuardAction.ALERT)
            .description("What a sudden rise of the model's prequential loss makes the trainer do: `none`, `alert`"
                    + " (a model-log line and `guardAlarms`), `freeze` (keep serving, stop learning until the loss"
                    + " is back) or `rollback` (back to the newest healthy version from before the rise, then as"
                    + " freeze). See docs/LEARNING.md, *Guardrails*.")
            .perModel()
            .build();

    public static final Option<Integer> GUARD_WINDOW = Option.key("guard.window", OptionType.INT)
            .defaultValue(500)
            .rule(v -> v >= 50 && v <= 100_000, "must be in 50..100000")
            .description("Examples whose mean loss (log loss; absolute error for squared loss) the guard compares"
                    + " with its reference, a slow average over 20 windows.")
            .perModel()
            .build();

    public static final Option<Double> GUARD_RATIO = Option.key("guard.ratio", OptionType.DOUBLE)
            .defaultValue(1.0)
            .rule(v -> v > 0 && v <= 100, "must be in (0, 100]")
            .description("The window's loss must be this fraction above the reference (1.0: doubled), and 4"
                    + " standard errors above it, to alarm.")
            .perModel()
            .build();

    public static final Option<Integer> GUARD_QUIET = Option.key("guard.quiet", OptionType.INT)
            .defaultValue(250)
            .rule(v -> v >= 1, "must be >= 1")
            .description("Examples with the loss back under the threshold that end an alarm and resume learning.")
            .perModel()
            .build();

    public static final Option<Long> GUARD_MAX_EPISODE = Option.key("guard.max-episode", OptionType.LONG)
            .defaultValue(10_000L)
            .rule(v -> v >= 1, "must be >= 1")
            .description("Examples after which a rise that persists is taken as the new normal: learning resumes and"
                    + " the reference moves to it.")
            .perModel()
            .build();

    public static final Option<Long> SCALE_HORIZON = Option.key("scale.horizon", OptionType.LONG)
            .defaultValue(100_000L)
            .rule(v -> v == 0 || v >= 10, "must be 0 or >= 10")
            .description("A feature's scaling statistics are exact (Welford) for its first n values, then weigh the"
                    + " past exponentially with rate 1/n, so they follow a slowly drifting range; 0: never forget.")
            .perModel()
            .build();

    public static final Option<List<String>> SCALE_LOG = Option.key("scale.log", OptionType.NAMES)
            .defaultValue(List.of())
            .description("Numeric features (comma-separated names, or `*` for all) that go through a signed `log1p`"
                    + " before scaling: for heavy-tailed counts.")
            .perModel()
            .build();

    public static final Option<Long> FORGET_HALF_LIFE = Option.key("forget.half-life", OptionType.LONG)
            .defaultValue(0L)
            .rule(v -> v >= 0, "must be >= 0")
            .description("For drifting streams: what the optimizer has accumulated halves every n updates of a"
                    + " coordinate (FTRL and AdaGrad accumulators; SGD's rate stops falling after n examples), so the"
                    + " model keeps following a changing world; 0: off.")
            .perModel()
            .build();

    /** The blocks a promotion window is cut into: its standard error is that of their means. */
    public static final int PROMOTION_BLOCKS = 20;

    public static final Option<ChallengerList> CHALLENGERS = Option.key("challengers", ChallengerList.TYPE)
            .defaultValue(ChallengerList.AUTO)
            .description("Learners beside the served one (the champion), learning from the same examples and scored"
                    + " on them before each; one that beats the champion (see `promotion.*`) is promoted. `auto`: a"
                    + " built-in set (`forget`: `forget.half-life` 100; `log`: every numeric feature through a log;"
                    + " for a time series the other of `ftrl` and `rls` instead of the log; with `crosses`, `nocross`"
                    + " without them); `none`; or `name:key=value key=value;name:...` with options marked"
                    + " *challenger* (see docs/LEARNING.md, *Challengers*).")
            .perModelNotChallenger()
            .build();

    public static final Option<Serving> SERVE = Option.key("serve", OptionType.oneOf(Serving.class))
            .defaultValue(Serving.BLEND)
            .description("What a model with challengers serves: `blend`, the champion and every learner that"
                    + " transforms features as it does, their weights averaged by Hedge weights from their losses"
                    + " over about the last `promotion.window` examples; or `champion`, the champion alone. See"
                    + " docs/LEARNING.md, *Challengers*.")
            .perModelNotChallenger()
            .build();

    public static final Option<Integer> PROMOTION_WINDOW = Option.key("promotion.window", OptionType.INT)
            .defaultValue(2000)
            .rule(
                    v -> v >= 200 && v <= 1_000_000 && v % PROMOTION_BLOCKS == 0,
                    "must be a multiple of " + PROMOTION_BLOCKS + " in 200..1000000")
            .description("The recent examples, scored by every learner, over which a challenger must beat the"
                    + " champion; checked every twentieth of it.")
            .perModelNotChallenger()
            .build();

    public static final Option<Double> PROMOTION_MARGIN = Option.key("promotion.margin", OptionType.DOUBLE)
            .defaultValue(0.02)
            .rule(v -> v >= 0 && v < 1, "must be in [0, 1)")
            .description("A challenger's mean loss over the window (log loss; absolute error for squared loss) must be"
                    + " this fraction below the champion's ...")
            .perModelNotChallenger()
            .build();

    public static final Option<Double> PROMOTION_STD_ERRORS = Option.key("promotion.std-errors", OptionType.DOUBLE)
            .defaultValue(5.0)
            .rule(v -> v >= 1 && v <= 100, "must be in 1..100")
            .description("... and the difference this many standard errors above zero, the error taken over the"
                    + " window's 20 blocks of paired differences, so that neighbouring examples that are alike do"
                    + " not count as independent evidence.")
            .perModelNotChallenger()
            .build();

    public static final Option<Long> STORE_INTERVAL = Option.key("store.interval", OptionType.LONG)
            .defaultValue(10_000L)
            .rule(v -> v >= 0, "must be >= 0")
            .description("A version is stored (model store and model log) at most every n ms, and at every rollback,"
                    + " freeze and resume; 0: every version.")
            .perModelNotChallenger()
            .build();

    public static final Option<Integer> STORE_RECENT = Option.key("store.recent", OptionType.INT)
            .defaultValue(5)
            .rule(v -> v >= 1 && v <= 100, "must be in 1..100")
            .description("Stored versions the trainer also keeps in keyed state (RocksDB), so rollback to them needs"
                    + " no store read.")
            .perModelNotChallenger()
            .build();

    public static final Option<Boolean> LOG_REQUESTS = Option.key("log.requests", OptionType.BOOLEAN)
            .defaultValue(false)
            .description("Every request of the model is an impression that waits for its outcome (else only requests"
                    + " with `\"log\":true`).")
            .perModelNotChallenger()
            .build();

    public static final Option<List<String>> ENTITIES = Option.key("entities", OptionType.NAMES)
            .defaultValue(List.of())
            .rule(v -> v.stream().distinct().count() == v.size(), "must name each field once")
            .description("Names whose values are entities (`user,item`), from the event's `entities` object, else its"
                    + " features: each entity's decayed event count and smoothed label rate per half-life, and the"
                    + " time since its last labeled event, become numeric features, as they were before the event's"
                    + " own label (see docs/LEARNING.md, entity features); empty: none.")
            .perModelNotChallenger()
            .build();

    public static final Option<List<Long>> ENTITY_HALF_LIVES = Option.key("entities.half-lives", OptionType.DURATIONS)
            .defaultValue(List.of(3_600_000L, 86_400_000L))
            .description("Half-lives of the entity statistics, in event time (`30m`, `1h`, `1d`; a bare number is ms)."
                    + " An idle entity leaves the state after ten of the longest.")
            .perModelNotChallenger()
            .build();

    public static final Option<Double> ENTITY_PRIOR_STRENGTH = Option.key("entities.prior-strength", OptionType.DOUBLE)
            .defaultValue(10.0)
            .rule(v -> v > 0 && Double.isFinite(v), "must be > 0")
            .description("How many events of the stream's recent mean label a new entity's rate starts with.")
            .perModelNotChallenger()
            .build();

    public static final Option<Crosses> CROSSES = Option.key("crosses", Crosses.TYPE)
            .defaultValue(Crosses.NONE)
            .description("Feature crosses, hashed as features of their own (`user*genre,item*age`): the pair's values"
                    + " together (`user=u7^genre=drama`); `a*b*c` for three fields; `user*` for the field with every"
                    + " other string-valued feature. A string with commas crosses value by value; a number crosses"
                    + " as its value (a slope per value of the other field; two numbers: their product). Fields come"
                    + " from the features, else the `entities` object; a cross with a missing field is left out.")
            .perModelNotChallenger()
            .build();

    public static final Option<Boolean> CROSSES_USE = Option.key("crosses.use", OptionType.BOOLEAN)
            .defaultValue(true)
            .description("Whether the learner learns from and scores with the model's crosses: a challenger set to"
                    + " false (`auto` adds one, `nocross`, to a model with crosses) finds out whether they pay.")
            .perModel()
            .build();

    public static final Option<String> INITIAL_MODEL = Option.key("initial-model", OptionType.STRING)
            .defaultValue("")
            .rule(
                    v -> v.isEmpty() || v.contains("://") || v.startsWith("/"),
                    "must be an absolute path or a URI such as file:///data/models/ctr/v000000000000.model")
            .description("Model file (URI) to start from when there is no checkpointed state, e.g. a batch model from"
                    + " `scripts/train-offline`; served as its version until the first update.")
            .perModelNotChallenger()
            .build();

    /** Every option of a model, in the order of the README's table. */
    public static final List<Option<?>> ALL = List.of(
            LOSS,
            OPTIMIZER,
            HASH_BITS,
            BATCH_SIZE,
            BATCH_MILLIS,
            FULL_UPDATE_EVERY,
            METRICS_WINDOW,
            FTRL_ALPHA,
            FTRL_BETA,
            LEARNING_RATE,
            L1,
            L2,
            SCALE_CLIP,
            GRADIENT_CLIP,
            GUARD_ACTION,
            GUARD_WINDOW,
            GUARD_RATIO,
            GUARD_QUIET,
            GUARD_MAX_EPISODE,
            SCALE_HORIZON,
            SCALE_LOG,
            FORGET_HALF_LIFE,
            CHALLENGERS,
            SERVE,
            PROMOTION_WINDOW,
            PROMOTION_MARGIN,
            PROMOTION_STD_ERRORS,
            STORE_INTERVAL,
            STORE_RECENT,
            LOG_REQUESTS,
            ENTITIES,
            ENTITY_HALF_LIVES,
            ENTITY_PRIOR_STRENGTH,
            CROSSES,
            CROSSES_USE,
            INITIAL_MODEL);

    private static String perOptimizer(java.util.function.ToDoubleFunction<OptimizerKind> value) {
        StringBuilder b = new StringBuilder("per optimizer: `");
        String separator = "";
        for (OptimizerKind k : OptimizerKind.values()) {
            double v = value.applyAsDouble(k);
            if (!Double.isNaN(v)) {
                b.append(separator).append(k).append(' ').append(v);
                separator = ", ";
            }
        }
        return b.append('`').toString();
    }
}
