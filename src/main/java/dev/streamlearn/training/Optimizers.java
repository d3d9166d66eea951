package dev.streamlearn.training;

import dev.streamlearn.model.ModelSpec;

final class Optimizers {

    private Optimizers() {}

    static Optimizer create(ModelSpec spec) {
        int dimension = spec.dimension();
        int bias = spec.biasIndex();
        double decay = spec.forgetDecay();
        switch (spec.optimizer) {
            case FTRL:
                return new FtrlProximal(dimension, bias, spec.ftrlAlpha, spec.ftrlBeta, spec.l1, spec.l2, decay);
            case ADAGRAD:
                return new AdaGrad(dimension, bias, spec.learningRate, spec.l1, spec.l2, decay);
            case RLS:
                return new RecursiveLeastSquares(dimension, spec.l2, decay);
            case SGD:
                return new Sgd(
                        dimension,
                        bias,
                        spec.learningRate,
                        spec.l1,
                        spec.l2,
                        spec.forgetHalfLife > 0 ? spec.forgetHalfLife : Double.POSITIVE_INFINITY);
            default:
                throw new IllegalArgumentException("unknown optimizer " + spec.optimizer);
        }
    }
}
