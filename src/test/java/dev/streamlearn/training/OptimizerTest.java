package dev.streamlearn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each optimizer against values computed by hand from its update rule, one example at a time. */
class OptimizerTest {

    private static final double EPS = 1e-12;
    private static final int[] COORD0 = {0};

    /** One example whose only coordinate is 0, with value x, and loss slope g: the gradient is g * x. */
    private static void step(Optimizer o, double g, double x) {
        step(o, COORD0, new double[] {x}, 1, g, 1.0);
    }

    /** A step as the learner takes it: the coordinates' rows made first. */
    static void step(Optimizer o, int[] coords, double[] values, int count, double g, double weight) {
        int[] rows = new int[count];
        for (int k = 0; k < count; k++) {
            rows[k] = o.columns().table().rowFor(coords[k]);
        }
        o.step(coords, rows, values, count, g, weight);
    }

    /** A coordinate's weight. */
    private static double w(Optimizer o, int coordinate) {
        return o.columns().table().weight(coordinate);
    }

    /** A coordinate's a-th number: its weight (0), then its state (FTRL: z, the root of n; AdaGrad: the sum of squares). */
    private static double number(Optimizer o, int coordinate, int a) {
        int row = o.columns().table().rowOf(coordinate);
        return row < 0 ? 0.0 : o.columns().table().values()[o.stride() * row + a];
    }

    private static void set(Optimizer o, int coordinate, int a, double value) {
        int row = o.columns().table().rowFor(coordinate);
        o.columns().table().values()[o.stride() * row + a] = value;
    }

    /** Coordinate 0's a-th number of state (FTRL: z, then the root of n; AdaGrad: the sum of squares). */
    private static double state(Optimizer o, int a) {
        return number(o, 0, 1 + a);
    }

    @Test
    void ftrlFollowsTheClosedFormOfMcMahan2013() {
        // alpha=1, beta=1, l1=0.5, l2=0. Step 1, g=2: n=4, sigma=(2-0)/1=2, z=2-2*0=2,
        // w=-(z - l1)/((beta+sqrt n)/alpha) = -1.5/3 = -0.5
        FtrlProximal ftrl = new FtrlProximal(2, 1, 1.0, 1.0, 0.5, 0.0, 1.0);
        step(ftrl, 2.0, 1.0);
        assertEquals(-0.5, w(ftrl, 0), EPS);
        assertEquals(2.0, state(ftrl, 0), EPS);
        assertEquals(2.0, state(ftrl, 1), EPS, "sqrt(n)");
        // step 2, slope -2 on value 0.5 (g=-1): n=5, sigma=sqrt5-2, z = 2-1-(sqrt5-2)(-0.5), w = -(z-0.5)/(1+sqrt5)
        step(ftrl, -2.0, 0.5);
        double z = 1.0 + 0.5 * (Math.sqrt(5) - 2);
        assertEquals(z, state(ftrl, 0), EPS);
        assertEquals(-(z - 0.5) / (1 + Math.sqrt(5)), w(ftrl, 0), EPS);
        assertEquals(-0.19098300562505258, w(ftrl, 0), EPS);
        // step 3, g=0.3: n=5.09
        step(ftrl, 0.3, 1.0);
        assertEquals(-0.28311768786483466, w(ftrl, 0), EPS);
        assertEquals(3, ftrl.steps());
    }

    @Test
    void ftrlL1GivesExactZerosAndL2Shrinks() {
        FtrlProximal ftrl = new FtrlProximal(2, 1, 1.0, 1.0, 3.0, 0.0, 1.0);
        step(ftrl, 2.0, 1.0); // |z|=2 <= l1=3
        assertEquals(0.0, w(ftrl, 0));

        FtrlProximal ridge = new FtrlProximal(2, 1, 1.0, 1.0, 0.0, 1.0, 1.0);
        step(ridge, 2.0, 1.0); // w = -2 / (3 + 1)
        assertEquals(-0.5, w(ridge, 0), EPS);
    }

    @Test
    void biasIsNotRegularized() {
        FtrlProximal ftrl = new FtrlProximal(2, 0, 1.0, 1.0, 3.0, 5.0, 1.0);
        step(ftrl, 2.0, 1.0); // coordinate 0 is the bias: w = -z/((1+2)/1)
        assertEquals(-2.0 / 3.0, w(ftrl, 0), EPS);
    }

    @Test
    void ftrlForgettingShrinksTheAccumulatorButKeepsTheWeight() {
        // alpha=1, beta=1, no regularization, decay 0.5. Step 1, g=2: n=4, z=2, w=-2/3.
        FtrlProximal ftrl = new FtrlProximal(2, 1, 1.0, 1.0, 0.0, 0.0, 0.5);
        step(ftrl, 2.0, 1.0);
        assertEquals(-2.0 / 3.0, w(ftrl, 0), EPS);
        // step 2, g=0: n decays to 2, z is moved so that w stays -2/3 (z = -w (1 + sqrt2)), nothing learnt
        step(ftrl, 0.0, 1.0);
        assertEquals(Math.sqrt(2.0), state(ftrl, 1), EPS);
        assertEquals(-2.0 / 3.0, w(ftrl, 0), EPS);
        assertEquals(2.0 / 3.0 * (1 + Math.sqrt(2)), state(ftrl, 0), EPS);
        // step 3, g=1: n decays to 1 (z = 2/3 (1 + 1)), then n = 1 + 1 = 2, sigma = sqrt2 - 1: a larger step
        step(ftrl, 1.0, 1.0);
        double z = 2.0 / 3.0 * (1 + Math.sqrt(1.0)) + 1.0 - (Math.sqrt(2) - 1.0) * (-2.0 / 3.0);
        assertEquals(z, state(ftrl, 0), EPS);
        assertEquals(-z / (1 + Math.sqrt(2)), w(ftrl, 0), EPS);
    }

    @Test
    void ftrlSeededFromWeightsHoldsThemAndLearnsOnFromThem() {
        FtrlProximal ftrl = new FtrlProximal(3, 2, 0.5, 1.0, 1.0, 2.0, 1.0);
        set(ftrl, 0, 0, 0.75);
        set(ftrl, 1, 0, -0.25);
        set(ftrl, 2, 0, 0.5);
        ftrl.seed();
        // the closed form of the seeded z gives the weights back (the bias, coordinate 2, without regularization)
        assertEquals(0.75, ftrl.weight(number(ftrl, 0, 1), 0.0, 1.0, 2.0), EPS);
        assertEquals(-0.25, ftrl.weight(number(ftrl, 1, 1), 0.0, 1.0, 2.0), EPS);
        assertEquals(0.5, ftrl.weight(number(ftrl, 2, 1), 0.0, 0.0, 0.0), EPS);
        step(ftrl, new int[] {0, 1, 2}, new double[] {1, 1, 1}, 3, 0.0, 1.0); // a zero gradient changes nothing
        assertEquals(0.75, w(ftrl, 0), EPS);
        assertEquals(-0.25, w(ftrl, 1), EPS);
        assertEquals(0.5, w(ftrl, 2), EPS);
    }

    @Test
    void adaGradScalesByRootOfSummedSquares() {
        AdaGrad ada = new AdaGrad(2, 1, 0.5, 0.0, 0.0, 1.0);
        step(ada, 2.0, 1.0); // G=4, rate=0.5/2
        assertEquals(-0.5, w(ada, 0), 1e-8);
        step(ada, -1.0, 1.0); // G=5, rate=0.5/sqrt5
        assertEquals(-0.5 + 0.5 / Math.sqrt(5), w(ada, 0), 1e-8);
    }

    @Test
    void adaGradForgettingDecaysTheSumOfSquares() {
        AdaGrad ada = new AdaGrad(2, 1, 0.5, 0.0, 0.0, 0.5);
        step(ada, 2.0, 1.0); // G=4
        step(ada, -1.0, 1.0); // G = 0.5*4 + 1 = 3, rate 0.5/sqrt3
        assertEquals(3.0, state(ada, 0), EPS);
        assertEquals(-0.5 + 0.5 / Math.sqrt(3), w(ada, 0), 1e-8);
    }

    @Test
    void adaGradL1SoftThresholds() {
        AdaGrad ada = new AdaGrad(2, 1, 0.5, 3.0, 0.0, 1.0);
        step(ada, 2.0, 1.0); // w - rate*g = -0.5, threshold rate*l1 = 0.75
        assertEquals(0.0, w(ada, 0));
    }

    @Test
    void sgdDecaysItsRateWithTheInverseRootOfExamplesUntilTheHorizon() {
        Sgd sgd = new Sgd(2, 1, 1.0, 0.0, 0.0, Double.POSITIVE_INFINITY);
        step(sgd, 2.0, 1.0); // rate 1/sqrt(1)
        assertEquals(-2.0, w(sgd, 0), EPS);
        step(sgd, 2.0, 1.0); // rate 1/sqrt(2)
        assertEquals(-2.0 - 2.0 / Math.sqrt(2), w(sgd, 0), EPS);
        assertEquals(1.0 / Math.sqrt(3), sgd.rate(), EPS);

        Sgd forgetting = new Sgd(2, 1, 1.0, 0.0, 0.0, 2);
        for (int i = 0; i < 10; i++) {
            step(forgetting, 0.0, 1.0);
        }
        assertEquals(1.0 / Math.sqrt(3), forgetting.rate(), EPS, "the rate stops falling at the horizon");
    }

    @Test
    void recursiveLeastSquaresIsExactlyTheRidgeRegressionOfTheExamplesSoFar() {
        // coordinates 0 and 1, ridge 2: after each example w = (2I + X'X)^-1 X'y, checked against the closed form
        RecursiveLeastSquares rls = new RecursiveLeastSquares(3, 2.0, 1.0);
        double[][] xs = {{1, 0.5}, {-1, 2}, {0.3, 0.3}, {2, -1}};
        double[] ys = {1, -2, 0.5, 3};
        double[][] xtx = new double[2][2];
        double[] xty = new double[2];
        for (int i = 0; i < xs.length; i++) {
            double prediction = w(rls, 0) * xs[i][0] + w(rls, 1) * xs[i][1];
            step(rls, new int[] {0, 1}, xs[i], 2, prediction - ys[i], 1.0);
            for (int a = 0; a < 2; a++) {
                xty[a] += xs[i][a] * ys[i];
                for (int b = 0; b < 2; b++) {
                    xtx[a][b] += xs[i][a] * xs[i][b];
                }
            }
            double a11 = 2 + xtx[0][0];
            double a12 = xtx[0][1];
            double a22 = 2 + xtx[1][1];
            double det = a11 * a22 - a12 * a12;
            assertEquals((a22 * xty[0] - a12 * xty[1]) / det, w(rls, 0), EPS, "example " + i);
            assertEquals((a11 * xty[1] - a12 * xty[0]) / det, w(rls, 1), EPS, "example " + i);
        }
        assertEquals(0.0, w(rls, 2), "an unseen coordinate");

        RecursiveLeastSquares copy = new RecursiveLeastSquares(3, 2.0, 1.0);
        for (int c = 0; c < 3; c++) {
            set(copy, c, 0, w(rls, c));
        }
        copy.restoreGlobalState(rls.globalState());
        step(rls, new int[] {0, 2}, new double[] {1, 1}, 2, -1.0, 1.0);
        step(copy, new int[] {0, 2}, new double[] {1, 1}, 2, -1.0, 1.0);
        for (int c = 0; c < 3; c++) {
            assertEquals(w(rls, c), w(copy, c), 0.0, "restored state continues exactly, coordinate " + c);
        }
    }

    @Test
    void recursiveLeastSquaresWeightsAnExampleAsThatManyCopies() {
        RecursiveLeastSquares weighted = new RecursiveLeastSquares(1, 1.0, 1.0);
        RecursiveLeastSquares copies = new RecursiveLeastSquares(1, 1.0, 1.0);
        step(weighted, COORD0, new double[] {2}, 1, 3 * (0 - 1.5), 3.0);
        for (int i = 0; i < 3; i++) {
            step(copies, COORD0, new double[] {2}, 1, w(copies, 0) * 2 - 1.5, 1.0);
        }
        assertEquals(w(copies, 0), w(weighted, 0), EPS);
    }

    @Test
    void recursiveLeastSquaresWithForgettingStaysBoundedWhenTheExamplesLeaveADirectionUnexcited() {
        // a bias and two flags of which one is always on (as the hours of a calendar): bias - flag a - flag b is
        // never excited, and with a half-life of 100 examples P along it grew by 2^200 over the stream, until
        // rounding errors of that size swamped every step
        double decay = Math.pow(0.5, 1.0 / 100);
        RecursiveLeastSquares rls = new RecursiveLeastSquares(4, 1.0, decay);
        java.util.Random random = new java.util.Random(3);
        double worst = 0;
        for (int i = 0; i < 20_000; i++) {
            boolean a = random.nextBoolean();
            double[] x = {random.nextGaussian(), 1, a ? 1 : 0, a ? 0 : 1};
            double y = 2 * x[0] + (a ? 3 : -1) + 0.1 * random.nextGaussian();
            double prediction = 0;
            for (int c = 0; c < 4; c++) {
                prediction += w(rls, c) * x[c];
            }
            if (i > 100) {
                worst = Math.max(worst, Math.abs(prediction - y));
            }
            step(rls, new int[] {0, 1, 2, 3}, x, 4, prediction - y, 1.0);
        }
        assertTrue(worst < 5, "the largest error after the first 100 examples stays of the data's size: " + worst);
        assertEquals(2.0, w(rls, 0), 0.05);
        assertEquals(3.0, w(rls, 1) + w(rls, 2), 0.1, "flag a's level");
        assertEquals(-1.0, w(rls, 1) + w(rls, 3), 0.1, "flag b's level");
    }
}
