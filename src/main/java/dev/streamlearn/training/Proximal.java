package dev.streamlearn.training;

final class Proximal {

    private Proximal() {}

    /** The proximal operator of {@code threshold * |w|}. */
    static double softThreshold(double w, double threshold) {
        if (w > threshold) {
            return w - threshold;
        }
        if (w < -threshold) {
            return w + threshold;
        }
        return 0.0;
    }
}
