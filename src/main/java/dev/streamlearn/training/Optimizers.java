package dev.streamlearn.training;

import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;

final class Optimizers {

    private Optimizers() {}

    static Optimizer create(ModelSpec spec) {
        int dimension = spec.dimension();
        int bias = spec.biasIndex();
        double decay = spec.forgetDecay();
        switch (spec.optimizer()) {
            case FTRL:
                return new FtrlProximal(
                        dimension,
                        bias,
                        spec.get(ModelOptions.FTRL_ALPHA),
                        spec.get(ModelOptions.FTRL_BETA),
                        spec.get(ModelOptions.L1),
                        spec.get(ModelOptions.L2),
                        decay);
            case ADAGRAD:
                return new AdaGrad(
                        dimension,
                        bias,
                        spec.get(ModelOptions.LEARNING_RATE),
                        spec.get(ModelOptions.L1),
                        spec.get(ModelOptions.L2),
                        decay);
            case RLS:
                return new RecursiveLeastSquares(dimension, spec.get(ModelOptions.L2), decay);
            case SGD:
                return new Sgd(
                        dimension,
                        bias,
                        spec.get(ModelOptions.LEARNING_RATE),
                        spec.get(ModelOptions.L1),
                        spec.get(ModelOptions.L2),
                        spec.get(ModelOptions.FORGET_HALF_LIFE) > 0
                                ? spec.get(ModelOptions.FORGET_HALF_LIFE)
                                : Double.POSITIVE_INFINITY);
            default:
                throw new IllegalArgumentException("unknown optimizer " + spec.optimizer());
        }
    }
}
