package dev.streamlearn.training;

import dev.streamlearn.model.ModelSpec;

final class Optimizers {

    private Optimizers() {}

    static Optimizer create(ModelSpec spec, int dimension) {
        switch (spec.optimizer) {
            case FTRL:
                return new FtrlProximal(dimension, spec.ftrlAlpha, spec.ftrlBeta, spec.l1, spec.l2);
            case ADAGRAD:
                return new AdaGrad(dimension, spec.learningRate, spec.l1, spec.l2);
            case SGD:
                return new Sgd(spec.learningRate, spec.l1, spec.l2);
            default:
                throw new IllegalArgumentException("unknown optimizer " + spec.optimizer);
        }
    }
}
