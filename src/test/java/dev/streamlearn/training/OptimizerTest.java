package dev.streamlearn.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Each optimizer against values computed by hand from its update rule. */
class OptimizerTest {

    private static final double EPS = 1e-12;
    private static final int[] COORD0 = {0};

    private static void step(Optimizer o, double g, double[] w, int examples) {
        double[] grad = new double[w.length];
        grad[0] = g;
        o.update(COORD0, grad, 1, examples, w);
    }

    @Test
    void ftrlFollowsTheClosedFormOfMcMahan2013() {
        // alpha=1, beta=1, l1=0.5, l2=0. Step 1, g=2: n=4, sigma=(2-0)/1=2, z=2-2*0=2,
        // w=-(z - l1)/((beta+sqrt n)/alpha) = -1.5/3 = -0.5
        FtrlProximal ftrl = new FtrlProximal(2, 1, 1.0, 1.0, 0.5, 0.0);
        double[] w = new double[2];
        step(ftrl, 2.0, w, 1);
        assertEquals(-0.5, w[0], EPS);
        assertEquals(2.0, ftrl.state()[0][0], EPS);
        assertEquals(4.0, ftrl.state()[1][0], EPS);
        // step 2, g=-1: n=5, sigma=sqrt5-2, z = 2-1-(sqrt5-2)(-0.5) = 1.1180339887...,
        // w = -(z-0.5)/(1+sqrt5)
        step(ftrl, -1.0, w, 1);
        double z = 1.0 + 0.5 * (Math.sqrt(5) - 2);
        assertEquals(z, ftrl.state()[0][0], EPS);
        assertEquals(-(z - 0.5) / (1 + Math.sqrt(5)), w[0], EPS);
        assertEquals(-0.19098300562505258, w[0], EPS);
        // step 3, g=0.3: n=5.09
        step(ftrl, 0.3, w, 1);
        assertEquals(-0.28311768786483466, w[0], EPS);
        assertEquals(3, ftrl.steps());
    }

    @Test
    void ftrlL1GivesExactZerosAndL2Shrinks() {
        FtrlProximal ftrl = new FtrlProximal(2, 1, 1.0, 1.0, 3.0, 0.0);
        double[] w = new double[2];
        step(ftrl, 2.0, w, 1); // |z|=2 <= l1=3
        assertEquals(0.0, w[0]);

        FtrlProximal ridge = new FtrlProximal(2, 1, 1.0, 1.0, 0.0, 1.0);
        double[] v = new double[2];
        step(ridge, 2.0, v, 1); // w = -2 / (3 + 1)
        assertEquals(-0.5, v[0], EPS);
    }

    @Test
    void biasIsNotRegularized() {
        FtrlProximal ftrl = new FtrlProximal(2, 0, 1.0, 1.0, 3.0, 5.0);
        double[] w = new double[2];
        step(ftrl, 2.0, w, 1); // coordinate 0 is the bias: w = -z/((1+2)/1)
        assertEquals(-2.0 / 3.0, w[0], EPS);
    }

    @Test
    void adaGradScalesByRootOfSummedSquares() {
        AdaGrad ada = new AdaGrad(2, 1, 0.5, 0.0, 0.0);
        double[] w = new double[2];
        step(ada, 2.0, w, 1); // G=4, rate=0.5/2
        assertEquals(-0.5, w[0], 1e-8);
        step(ada, -1.0, w, 1); // G=5, rate=0.5/sqrt5
        assertEquals(-0.5 + 0.5 / Math.sqrt(5), w[0], 1e-8);
    }

    @Test
    void adaGradL1SoftThresholds() {
        AdaGrad ada = new AdaGrad(2, 1, 0.5, 3.0, 0.0);
        double[] w = new double[2];
        step(ada, 2.0, w, 1); // w - rate*g = -0.5, threshold rate*l1 = 0.75
        assertEquals(0.0, w[0]);
    }

    @Test
    void sgdUsesTheBatchMeanAndAnInverseRootDecay() {
        Sgd sgd = new Sgd(1, 1.0, 0.0, 0.0);
        double[] w = new double[2];
        step(sgd, 4.0, w, 2); // mean gradient 2, rate 1/sqrt(1)
        assertEquals(-2.0, w[0], EPS);
        step(sgd, 4.0, w, 2); // rate 1/sqrt(2)
        assertEquals(-2.0 - 2.0 / Math.sqrt(2), w[0], EPS);
        assertEquals(1.0 / Math.sqrt(3), sgd.rate(), EPS);
    }
}
