package dev.streamlearn.datasets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A click stream with a known truth, shaped like a display-ad log (Criteo's: integer counts and
 * hashed categoricals): heavy-tailed integer counts, a price, a timestamp-like field, categoricals
 * whose values follow a Zipf law, and per-user and per-item propensities. The label of each event
 * is drawn from a logistic model whose weights the generator knows, so a learner's convergence
 * can be checked against them. Optional sudden drift (the true weights are drawn anew at given
 * events) and label noise. Seeded: the same settings give the same stream.
 */
public final class ClickStream {

    /** How the stream is made. */
    public static final class Spec {
        public long seed = 1;
        public int counts = 13;
        public int categoricals = 26;
        /** Values per categorical (Zipf-distributed, exponent 1.1). */
        public int cardinality = 10_000;

        public int users = 50_000;
        public int items = 5_000;
        /** The positive rate with every feature at its typical value. */
        public double baseRate = 0.05;
        /** How the counts act on the log-odds: through log1p of the count (true) or the count itself. */
        public boolean countsActThroughLog = true;
        /** Events at which the true weights are drawn anew. */
        public List<Long> driftAt = new ArrayList<>();
        /** The share of labels flipped after drawing. */
        public double labelNoise = 0.0;

        public String model = "ctr";
        public long startMillis = 1_700_000_000_000L;
        public long stepMillis = 50;
    }

    private static final double ZIPF_EXPONENT = 1.1;

    private final Spec spec;
    private final SplittableRandom random;
    private final double[] zipfCumulative;
    private Truth truth;
    private long next;

    /** The weights the labels are drawn from. */
    public static final class Truth {
        public final double bias;
        public final double[] countWeights;
        public final double priceWeight;
        final long categoricalSeed;
        final long userSeed;
        final long itemSeed;

        Truth(SplittableRandom r, Spec spec) {
            countWeights = new double[spec.counts];
            double spread = 0;
            for (int i = 0; i < countWeights.length; i++) {
                countWeights[i] = r.nextDouble() < 0.3 ? 0.0 : 0.6 * r.nextGaussian();
                spread += Math.abs(countWeights[i]);
            }
            priceWeight = -0.5;
            bias = Math.log(spec.baseRate / (1 - spec.baseRate)) - 0.3 * spread;
            categoricalSeed = r.nextLong();
            userSeed = r.nextLong();
            itemSeed = r.nextLong();
        }

        /** The true effect of value {@code v} of categorical {@code c}: fixed by a hash, no table. */
        double categoricalEffect(int c, int v) {
            return 0.35 * gaussian(categoricalSeed ^ (c * 0x9E3779B97F4A7C15L) ^ v);
        }

        double userEffect(int user) {
            return 0.8 * gaussian(userSeed ^ user);
        }

        double itemEffect(int item) {
            return 0.6 * gaussian(itemSeed ^ item);
        }

        private static double gaussian(long seed) {
            return new SplittableRandom(seed).nextGaussian();
        }
    }

    public ClickStream(Spec spec) {
        this.spec = spec;
        this.random = new SplittableRandom(spec.seed);
        this.zipfCumulative = zipf(spec.cardinality);
        this.truth = new Truth(random.split(), spec);
    }

    public Truth truth() {
        return truth;
    }

    /** The next event as a labeled event in the job's wire format. */
    public DatasetEvent next() {
        if (spec.driftAt.contains(next)) {
            truth = new Truth(random.split(), spec);
        }
        long ts = spec.startMillis + next * spec.stepMillis;
        ObjectNode f = DatasetEvent.features();
        double logit = truth.bias;
        for (int i = 0; i < spec.counts; i++) {
            long count = (long) Math.floor(Math.exp(1.0 + 1.5 * random.nextGaussian())); // log-normal: heavy tail
            f.put("i" + (i + 1), count);
            double x = spec.countsActThroughLog ? Math.log1p(count) : count / 10.0;
            logit += truth.countWeights[i] * (x - (spec.countsActThroughLog ? 1.5 : 0.5));
        }
        double price = Math.exp(2.5 + 0.8 * random.nextGaussian());
        f.put("price", Math.round(price * 100) / 100.0);
        logit += truth.priceWeight * (Math.log(price) - 2.5);
        f.put("ts_seconds", ts / 1000);
        for (int c = 0; c < spec.categoricals; c++) {
            int v = zipfValue();
            f.put("c" + (c + 1), Integer.toHexString(v * 0x2545F491 + c));
            logit += truth.categoricalEffect(c, v);
        }
        int user = (int) (random.nextDouble() * random.nextDouble() * spec.users); // some users are far more active
        int item = zipfValue() % spec.items;
        f.put("user", "u" + user);
        f.put("item", "i" + item);
        logit += truth.userEffect(user) + truth.itemEffect(item);
        int label = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
        if (spec.labelNoise > 0 && random.nextDouble() < spec.labelNoise) {
            label = 1 - label;
        }
        return DatasetEvent.of("g" + next++, ts, spec.model, label, f);
    }

    public List<DatasetEvent> take(int n) {
        List<DatasetEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(next());
        }
        return events;
    }

    private int zipfValue() {
        double u = random.nextDouble();
        int lo = 0;
        int hi = zipfCumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (zipfCumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double[] zipf(int n) {
        double[] c = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, ZIPF_EXPONENT);
            c[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            c[k] /= sum;
        }
        return c;
    }
}
