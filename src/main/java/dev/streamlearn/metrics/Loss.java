package dev.streamlearn.metrics;

import java.util.Locale;

/**
 * A loss with its canonical link, so that the gradient of the loss with respect to the
 * margin is always {@code prediction - label}.
 */
public enum Loss {
    /** Binary labels 0/1, prediction is a probability. */
    LOGISTIC {
        @Override
        public double predict(double margin) {
            // split by sign so that exp never overflows
            if (margin >= 0) {
                return 1.0 / (1.0 + Math.exp(-margin));
            }
            double e = Math.exp(margin);
            return e / (1.0 + e);
        }

        @Override
        public double loss(double prediction, double label) {
            double p = Math.min(Math.max(prediction, PROBABILITY_FLOOR), 1.0 - PROBABILITY_FLOOR);
            return label > 0.5 ? -Math.log(p) : -Math.log(1.0 - p);
        }

        @Override
        public boolean acceptsLabel(double label) {
            return label == 0.0 || label == 1.0;
        }

        @Override
        public String labelRule() {
            return "logistic loss: must be 0 or 1";
        }
    },
    /** Real-valued labels, prediction is the margin itself. */
    SQUARED {
        @Override
        public double predict(double margin) {
            return margin;
        }

        @Override
        public double loss(double prediction, double label) {
            double d = prediction - label;
            return 0.5 * d * d;
        }

        @Override
        public boolean acceptsLabel(double label) {
            return Double.isFinite(label);
        }

        @Override
        public String labelRule() {
            return "squared loss: must be a finite number";
        }
    };

    /** Log loss of a probability is capped at -log(1e-15) so one confident miss cannot dominate a window. */
    public static final double PROBABILITY_FLOOR = 1e-15;

    public abstract double predict(double margin);

    public abstract double loss(double prediction, double label);

    /**
     * The loss a model's learners are judged by, example by example (by its guard, and against
     * each other): the log loss; for squared loss the absolute error, which grows in proportion to
     * the errors (a squared error doubles when errors grow by 41 %, and its heavy tail would make
     * any noise estimate useless).
     */
    public double judged(double prediction, double label) {
        return this == LOGISTIC ? loss(prediction, label) : Math.abs(prediction - label);
    }

    public abstract boolean acceptsLabel(double label);

    /** What {@link #acceptsLabel} wants, for error messages. */
    public abstract String labelRule();

    public static Loss parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    /** The name in options and messages: {@code logistic}, {@code squared}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
