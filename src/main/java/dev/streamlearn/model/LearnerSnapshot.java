package dev.streamlearn.model;

import dev.streamlearn.metrics.DetectorState;
import dev.streamlearn.metrics.MetricsState;

/**
 * One learner of a model in a snapshot: its name and options, what it learnt (null for the
 * champion, whose state is the snapshot's own), its scores and its guard.
 */
public class LearnerSnapshot {
    public String name;
    /** Its options as written ({@code key=value ...}); empty for the model's own learner. */
    public String options;

    public ModelState state;
    public MetricsState scores;
    public boolean paused;
    public long examplesLearnt;
    public long updatesRefused;
    public DetectorState guardDetector;
    public boolean guardInEpisode;
    public long guardEpisodeLength;
    public long guardQuietFor;
    public long guardAlarms;

    public LearnerSnapshot() {}
}
