package dev.streamlearn.model;

import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.metrics.Loss;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/** Everything that defines how one model learns, fixed when the job starts. Built with {@link #builder}. */
public final class ModelSpec implements Serializable {

    private static final long serialVersionUID = 2L;

    /**
     * The optimizers, each with the regularization and learning rate it starts from when none is
     * configured. FTRL's L1 and L2 weigh against the loss summed over the whole stream, so 1 is
     * mild; AdaGrad and SGD apply theirs at every step, where any fixed amount would dominate a
     * long stream: they start without. Recursive least squares is exact ridge regression; its L2 is
     * the ridge (on standardized features, 1 weighs as much as one example).
     */
    public enum OptimizerKind {
        FTRL(1.0, 1.0, Double.NaN),
        ADAGRAD(0.0, 0.0, 0.1),
        SGD(0.0, 0.0, 0.1),
        /** Recursive least squares (squared loss, few features): L2 is the ridge, one pseudo-example's worth. */
        RLS(0.0, 1.0, Double.NaN);

        public final double defaultL1;
        public final double defaultL2;
        /** AdaGrad's eta, SGD's initial rate; FTRL has alpha and beta instead. */
        public final double defaultLearningRate;

        OptimizerKind(double defaultL1, double defaultL2, double defaultLearningRate) {
            this.defaultL1 = defaultL1;
            this.defaultL2 = defaultL2;
            this.defaultLearningRate = defaultLearningRate;
        }

        /** The name in options and messages: {@code ftrl}, {@code adagrad}, ... */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What the guard does when a model's prequential loss rises suddenly (see {@code LossShiftDetector}). */
    public enum GuardAction {
        /** Nothing is watched. */
        NONE,
        /** A line on the model log and a metric. */
        ALERT,
        /** Keep serving, stop learning until the loss is back (or the change persisted long enough to keep). */
        FREEZE,
        /** Back to the newest healthy version from before the rise, then as {@link #FREEZE}. */
        ROLLBACK;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The defaults of the job's model options. */
    public static final class Defaults {
        public static final Loss LOSS = Loss.LOGISTIC;
        public static final OptimizerKind OPTIMIZER = OptimizerKind.FTRL;
        public static final int HASH_BITS = 20;
        public static final int BATCH_SIZE = 100;
        public static final long BATCH_MILLIS = 200L;
        public static final int FULL_UPDATE_EVERY = 100;
        public static final int METRICS_WINDOW = 10_000;
        public static final double FTRL_ALPHA = 0.5;
        public static final double FTRL_BETA = 1.0;
        public static final long STORE_INTERVAL_MILLIS = 10_000L;
        public static final int RECENT_VERSIONS = 5;
        public static final double SCALE_CLIP = 10.0;
        public static final double GRADIENT_CLIP = 10.0;
        public static final GuardAction GUARD_ACTION = GuardAction.ALERT;
        public static final int GUARD_WINDOW = 500;
        public static final double GUARD_RATIO = 1.0;
        public static final int GUARD_QUIET = GUARD_WINDOW / 2;
        public static final long GUARD_MAX_EPISODE = 10_000L;
        public static final long SCALE_HORIZON = 100_000L;
        public static final long FORGET_HALF_LIFE = 0L;
        public static final List<String> ENTITIES = List.of();
        public static final List<Long> ENTITY_HALF_LIVES = List.of(3_600_000L, 86_400_000L);
        public static final double ENTITY_PRIOR_STRENGTH = 10.0;

        private Defaults() {}
    }

    public final String id;
    public final Loss loss;
    public final OptimizerKind optimizer;
    public final int hashBits;
    public final int batchSize;
    public final long batchMillis;
    public final int fullSnapshotEvery;
    public final int metricsWindow;
    public final double ftrlAlpha;
    public final double ftrlBeta;
    public final double learningRate;
    public final double l1;
    public final double l2;
    /** A version goes to the model store at most this often (and at every rollback, freeze, resume). */
    public final long storeIntervalMillis;
    /** How many stored versions the trainer keeps in its state for rollback without the store. */
    public final int recentVersions;
    /** URI of a model file to start from when there is no state, or null. */
    public final String initialModel;
    /** Every request of the model is an impression, kept until its outcome or the end of its window. */
    public final boolean logRequests;
    /** Standardized numeric values are clipped to this many standard deviations. */
    public final double scaleClip;
    /** The largest slope of one example's (weighted) loss in the margin that a step uses. */
    public final double gradientClip;

    public final GuardAction guardAction;
    /** Examples in the guard's short window. */
    public final int guardWindow;
    /** The short window's loss must exceed the reference by this fraction to alarm. */
    public final double guardRatio;
    /** Examples back under the threshold that end an episode (and resume learning). */
    public final int guardQuiet;
    /** Examples after which a rise that persists is kept as the new normal (learning resumes). */
    public final long guardMaxEpisode;
    /** Values of a feature after which its statistics weigh the past exponentially; 0: never. */
    public final long scaleHorizon;
    /** Numeric features that are log-transformed before scaling; {@code *} alone: all. */
    public final List<String> logFeatures;
    /** Forgetting: the half-life, in updates of a coordinate, of what the optimizer has accumulated; 0: none. */
    public final long forgetHalfLife;
    /** Fields of an event that name entities (a user, an item) whose statistics become features; empty: none. */
    public final List<String> entities;
    /** Half-lives, in ms of event time, of the entity statistics. */
    public final List<Long> entityHalfLives;
    /** How many events of the recent mean label a new entity's rate starts with. */
    public final double entityPriorStrength;

    private ModelSpec(Builder b) {
        this.id = b.id;
        this.loss = b.loss;
        this.optimizer = b.optimizer;
        this.hashBits = b.hashBits;
        this.batchSize = b.batchSize;
        this.batchMillis = b.batchMillis;
        this.fullSnapshotEvery = b.fullUpdateEvery;
        this.metricsWindow = b.metricsWindow;
        this.ftrlAlpha = b.ftrlAlpha;
        this.ftrlBeta = b.ftrlBeta;
        this.learningRate = Double.isNaN(b.learningRate) ? b.optimizer.defaultLearningRate : b.learningRate;
        this.l1 = Double.isNaN(b.l1) ? b.optimizer.defaultL1 : b.l1;
        this.l2 = Double.isNaN(b.l2) ? b.optimizer.defaultL2 : b.l2;
        this.storeIntervalMillis = b.storeIntervalMillis;
        this.recentVersions = b.recentVersions;
        this.initialModel = b.initialModel == null || b.initialModel.isBlank() ? null : b.initialModel;
        this.logRequests = b.logRequests;
        this.scaleClip = b.scaleClip;
        this.gradientClip = b.gradientClip;
        this.guardAction = b.guardAction;
        this.guardWindow = b.guardWindow;
        this.guardRatio = b.guardRatio;
        this.guardQuiet = b.guardQuiet;
        this.guardMaxEpisode = b.guardMaxEpisode;
        this.scaleHorizon = b.scaleHorizon;
        this.logFeatures = List.copyOf(b.logFeatures);
        this.forgetHalfLife = b.forgetHalfLife;
        this.entities = List.copyOf(b.entities);
        this.entityHalfLives = List.copyOf(b.entityHalfLives);
        this.entityPriorStrength = b.entityPriorStrength;
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder that starts from this spec. */
    public Builder toBuilder() {
        Builder b = new Builder(id);
        b.loss = loss;
        b.optimizer = optimizer;
        b.hashBits = hashBits;
        b.batchSize = batchSize;
        b.batchMillis = batchMillis;
        b.fullUpdateEvery = fullSnapshotEvery;
        b.metricsWindow = metricsWindow;
        b.ftrlAlpha = ftrlAlpha;
        b.ftrlBeta = ftrlBeta;
        b.learningRate = learningRate;
        b.l1 = l1;
        b.l2 = l2;
        b.storeIntervalMillis = storeIntervalMillis;
        b.recentVersions = recentVersions;
        b.initialModel = initialModel;
        b.logRequests = logRequests;
        b.scaleClip = scaleClip;
        b.gradientClip = gradientClip;
        b.guardAction = guardAction;
        b.guardWindow = guardWindow;
        b.guardRatio = guardRatio;
        b.guardQuiet = guardQuiet;
        b.guardMaxEpisode = guardMaxEpisode;
        b.scaleHorizon = scaleHorizon;
        b.logFeatures = logFeatures;
        b.forgetHalfLife = forgetHalfLife;
        b.entities = entities;
        b.entityHalfLives = entityHalfLives;
        b.entityPriorStrength = entityPriorStrength;
        return b;
    }

    /** Weight vector length: 2^hashBits hashed coordinates plus the bias. */
    public int dimension() {
        return FeatureHasher.dimension(hashBits);
    }

    /** The bias coordinate, after the hashed ones. */
    public int biasIndex() {
        return FeatureHasher.biasIndex(hashBits);
    }

    /** Whether every numeric feature is log-transformed. */
    public boolean logAllFeatures() {
        return logFeatures.size() == 1 && logFeatures.get(0).equals("*");
    }

    /** The per-update factor by which forgetting shrinks accumulated state; 1 without forgetting. */
    public double forgetDecay() {
        return forgetHalfLife <= 0 ? 1.0 : Math.pow(0.5, 1.0 / forgetHalfLife);
    }

    /** Named settings for one model; what is not set keeps the job's default. */
    public static final class Builder {
        private final String id;
        private Loss loss = Defaults.LOSS;
        private OptimizerKind optimizer = Defaults.OPTIMIZER;
        private int hashBits = Defaults.HASH_BITS;
        private int batchSize = Defaults.BATCH_SIZE;
        private long batchMillis = Defaults.BATCH_MILLIS;
        private int fullUpdateEvery = Defaults.FULL_UPDATE_EVERY;
        private int metricsWindow = Defaults.METRICS_WINDOW;
        private double ftrlAlpha = Defaults.FTRL_ALPHA;
        private double ftrlBeta = Defaults.FTRL_BETA;
        private double learningRate = Double.NaN;
        private double l1 = Double.NaN;
        private double l2 = Double.NaN;
        private long storeIntervalMillis = Defaults.STORE_INTERVAL_MILLIS;
        private int recentVersions = Defaults.RECENT_VERSIONS;
        private String initialModel;
        private boolean logRequests;
        private double scaleClip = Defaults.SCALE_CLIP;
        private double gradientClip = Defaults.GRADIENT_CLIP;
        private GuardAction guardAction = Defaults.GUARD_ACTION;
        private int guardWindow = Defaults.GUARD_WINDOW;
        private double guardRatio = Defaults.GUARD_RATIO;
        private int guardQuiet = Defaults.GUARD_QUIET;
        private long guardMaxEpisode = Defaults.GUARD_MAX_EPISODE;
        private long scaleHorizon = Defaults.SCALE_HORIZON;
        private List<String> logFeatures = List.of();
        private long forgetHalfLife = Defaults.FORGET_HALF_LIFE;
        private List<String> entities = Defaults.ENTITIES;
        private List<Long> entityHalfLives = Defaults.ENTITY_HALF_LIVES;
        private double entityPriorStrength = Defaults.ENTITY_PRIOR_STRENGTH;

        private Builder(String id) {
            this.id = id;
        }

        public Builder loss(Loss v) {
            loss = v;
            return this;
        }

        public Builder optimizer(OptimizerKind v) {
            optimizer = v;
            return this;
        }

        public Builder hashBits(int v) {
            hashBits = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder batchMillis(long v) {
            batchMillis = v;
            return this;
        }

        public Builder fullUpdateEvery(int v) {
            fullUpdateEvery = v;
            return this;
        }

        public Builder metricsWindow(int v) {
            metricsWindow = v;
            return this;
        }

        public Builder ftrl(double alpha, double beta) {
            ftrlAlpha = alpha;
            ftrlBeta = beta;
            return this;
        }

        /** NaN: the optimizer's default. */
        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        /** NaN: the optimizer's default. */
        public Builder l1(double v) {
            l1 = v;
            return this;
        }

        /** NaN: the optimizer's default. */
        public Builder l2(double v) {
            l2 = v;
            return this;
        }

        public Builder storeIntervalMillis(long v) {
            storeIntervalMillis = v;
            return this;
        }

        public Builder recentVersions(int v) {
            recentVersions = v;
            return this;
        }

        public Builder logRequests(boolean v) {
            logRequests = v;
            return this;
        }

        public Builder initialModel(String v) {
            initialModel = v;
            return this;
        }

        public Builder guard(GuardAction action, int window, double ratio, int quiet, long maxEpisode) {
            guardAction = action;
            guardWindow = window;
            guardRatio = ratio;
            guardQuiet = quiet;
            guardMaxEpisode = maxEpisode;
            return this;
        }

        public Builder guardAction(GuardAction action) {
            guardAction = action;
            return this;
        }

        public Builder gradientClip(double v) {
            gradientClip = v;
            return this;
        }

        public Builder scaleClip(double v) {
            scaleClip = v;
            return this;
        }

        public Builder scaleHorizon(long v) {
            scaleHorizon = v;
            return this;
        }

        public Builder logFeatures(List<String> v) {
            logFeatures = v;
            return this;
        }

        public Builder forgetHalfLife(long v) {
            forgetHalfLife = v;
            return this;
        }

        public Builder entities(List<String> fields, List<Long> halfLivesMillis, double priorStrength) {
            entities = fields;
            entityHalfLives = halfLivesMillis;
            entityPriorStrength = priorStrength;
            return this;
        }

        public ModelSpec build() {
            return new ModelSpec(this);
        }
    }
}
