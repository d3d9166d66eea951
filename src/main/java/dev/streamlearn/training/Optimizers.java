package dev.streamlearn.training;

import dev.streamlearn.model.ModelSpec;

final class Optimizers {

    private Optimizers() {}

    static Optimizer create(ModelSpec spec, int dimension) {
        int bias = spec.biasIndex();
        switch (spec.optimizer) {
            case FTRL:
                return new FtrlProximal(dimension, bias, spec.ftrlAlpha, spec.ftrlBeta, spec.l1, spec.l2);
            case ADAGRAD:
                return new AdaGrad(dimension, bias, spec.learningRate, spec.l1, spec.l2);
            case SGD:
                return new Sgd(bias, spec.learningRate, spec.l1, spec.l2);
            default:
                throw new IllegalArgumentException("unknown optimizer " + spec.optimizer);
        }
    }
}
