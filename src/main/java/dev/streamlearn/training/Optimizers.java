package dev.streamlearn.training;

import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.TableColumns;

final class Optimizers {

    private Optimizers() {}

    static Optimizer create(ModelSpec spec) {
        return create(spec, TableColumns.own(spec.dimension(), width(spec)));
    }

    /** How many numbers per coordinate the spec's optimizer keeps: its weight and its state. */
    static int width(ModelSpec spec) {
        switch (spec.optimizer()) {
            case FTRL:
                return FtrlProximal.WIDTH;
            case ADAGRAD:
                return AdaGrad.WIDTH;
            case RLS:
                return RecursiveLeastSquares.WIDTH;
            case SGD:
                return Sgd.WIDTH;
            default:
                throw new IllegalArgumentException("unknown optimizer " + spec.optimizer());
        }
    }

    /** The spec's optimizer, in the given columns of {@link #width} numbers. */
    static Optimizer create(ModelSpec spec, TableColumns columns) {
        int bias = spec.biasIndex();
        double decay = spec.forgetDecay();
        switch (spec.optimizer()) {
            case FTRL:
                return new FtrlProximal(
                        columns,
                        bias,
                        spec.get(ModelOptions.FTRL_ALPHA),
                        spec.get(ModelOptions.FTRL_BETA),
                        spec.get(ModelOptions.L1),
                        spec.get(ModelOptions.L2),
                        decay);
            case ADAGRAD:
                return new AdaGrad(
                        columns,
                        bias,
                        spec.get(ModelOptions.LEARNING_RATE),
                        spec.get(ModelOptions.L1),
                        spec.get(ModelOptions.L2),
                        decay);
            case RLS:
                return new RecursiveLeastSquares(columns, spec.get(ModelOptions.L2), decay);
            case SGD:
                return new Sgd(
                        columns,
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
