package dev.streamlearn.model;

import dev.streamlearn.metrics.DetectorState;
import dev.streamlearn.metrics.MetricsState;

/**
 * Everything a trainer needs to continue one model exactly where it stopped: what it has learnt
 * (weights, optimizer state, scaling; including the examples of the open mini-batch, which are
 * learnt as they arrive), version, counters, prequential metrics and where the open batch stands.
 */
public class ModelSnapshot {
    public String modelId;
    public long version;
    public long parentVersion;
    public long eventTimeThrough;
    public long openBatchEventTime;
    public long lastStoredAtMillis;
    public long[] trainedOffsets;
    public long[] openBatchOffsets;
    public long examplesTrained;
    public long batchesApplied;
    /** Examples whose update was refused because it would have made the model non-finite. */
    public long updatesRefused;
    /** The guard: its detector, whether an episode is open and how far along, and its alarms. */
    public DetectorState guardDetector;

    public boolean guardInEpisode;
    public long guardEpisodeLength;
    public long guardQuietFor;
    public long guardAlarms;
    /** The guard's last alarm: when (wall clock), the loss ratio, and what was done (a GuardAction name); null: none. */
    public long guardLastAlarmMillis;

    public double guardLastAlarmRatio;
    public String guardLastAction;
    /** The newest version the model store held when the model started or was restored and moved past it; -1 none. */
    public long continuedAfterVersion;
    /** Whether the guard (not an operator) froze the model, so the guard may resume it. */
    public boolean frozenByGuard;
    /** Loss summed over the examples learnt since the last stored version, and their count. */
    public double lossSinceStored;

    public long examplesSinceStored;

    public boolean frozen;
    public int dimension;
    public ModelState state;
    public MetricsState metrics;
    public MetricsState forecastMetrics;
    public MetricsState naiveMetrics;
    /** The served scores of joined impressions against their labels; null in snapshots from before the joiner. */
    public MetricsState servedMetrics;
    /** Examples learnt since the last version, and when the first and the newest of them arrived (wall clock). */
    public int openBatchSize;

    public long openBatchOpenedAtMillis;
    public long openBatchNewestMillis;
    /** The last stored versions, newest last, for rollback without reading the store. */
    public StoredModel[] recent;
    /** The learner whose state is {@link #state}, which is served; null in snapshots from before challengers. */
    public String champion;
    /** Every learner of the model, the champion among them (its state is {@link #state}); null: only the model's own. */
    public LearnerSnapshot[] learners;
    /** The paired losses of the promotion window: per example, one per learner in the order of {@link #learners}. */
    public double[] pairedLosses;

    public int pairedPosition;
    public int pairedFilled;
    /** The served blend's losses and mix ({@code BlendMix}); null: the champion is served alone. */
    public double[] blend;
    /** Whether automatic promotions are off (by command). */
    public boolean pinned;

    public long promotions;

    public ModelSnapshot() {}
}
