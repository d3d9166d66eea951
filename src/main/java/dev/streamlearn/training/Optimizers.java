package dev.streamlearn.training;

import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.TableColumns;
import java.util.List;

final class Optimizers {

    private Optimizers() {}

    static Optimizer create(ModelSpec spec) {
        return create(spec, TableColumns.own(spec.dimension(), width(spec)));
    }

    /** Columns of one table for learners of the given specs, each as wide as its optimizer needs, in their order. */
    static TableColumns[] sharedColumns(List<ModelSpec> learners) {
        int[] widths = new int[learners.size()];
        for (int k = 0; k < widths.length; k++) {
            widths[k] = width(learners.get(k));
        }
        return TableColumns.shared(learners.get(0).dimension(), widths);
    }

    /** How many numbers per coordinate the spec's optimizer keeps: its weight and its state. */
    private static int width(ModelSpec spec) {
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

    /** The spec's optimizer, in the given columns (as wide as it needs: {@link #sharedColumns}). */
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
