package dev.streamlearn.training;

/** Told of every prequential score: the prediction made before learning from an example, and its label. */
@FunctionalInterface
public interface ScoreListener {
    void scored(double prediction, double label);
}
