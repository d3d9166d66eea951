package dev.streamlearn.training;

/** Told of every learner's prequential score of each example, by the learner's position (with challengers only). */
@FunctionalInterface
public interface LearnerListener {
    void scored(int learner, double prediction);
}
