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
 * events), gradual drift (the log-odds move linearly to new weights over a range of events), label
 * noise, and interactions (each user's own liking of each item category). Seeded: the same settings give the same stream.
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
        /** Gradual drifts: from the first event of each to the last, the truth moves linearly to new weights. */
        public List<Gradual> gradualDrift = new ArrayList<>();
        /** The share of labels flipped after drawing. */
        public double labelNoise = 0.0;
        /**
         * The spread of each user's preference for each item category (0: none, and no {@code
         * category} field): a truth a linear model sees only through the cross of user and category.
         */
        public double interactions = 0.0;
        /** Item categories, with {@link #interactions}: each item belongs to one. */
        public int categories = 8;

        public String model = "ctr";
        public long startMillis = 1_700_000_000_000L;
        public long stepMillis = 50;
    }

    /** A gradual drift over events [from, to): the log-odds blend the old truth into a new one. */
    public static final class Gradual {
        public final long from;
        public final long to;

        public Gradual(long from, long to) {
            if (to <= from || from < 0) {
                throw new IllegalArgumentException("a gradual drift needs 0 <= from < to, not " + from + "-" + to);
            }
            this.from = from;
            this.to = to;
        }

        /** Parses {@code FROM-TO}. */
        public static Gradual parse(String range) {
            String[] parts = range.split("-", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("a gradual drift is FROM-TO (events), not '" + range + "'");
            }
            return new Gradual(Long.parseLong(parts[0].trim()), Long.parseLong(parts[1].trim()));
        }
    }

    private static final double ZIPF_EXPONENT = 1.1;

    private final Spec spec;
    private final SplittableRandom random;
    private final double[] zipfCumulative;
    private Truth truth;
    /** During a gradual drift, the truth it moves to (else null); {@link #truth} is the one it leaves. */
    private Truth incoming;

    private Gradual drifting;
    private long next;
    private final long[] counts;
    private final int[] categoricalValues;

    /** The weights the labels are drawn from. */
    public static final class Truth {
        public final double bias;
        public final double[] countWeights;
        public final double priceWeight;
        final long categoricalSeed;
        final long userSeed;
        final long itemSeed;
        final long preferenceSeed;
        final double preferenceSpread;

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
            preferenceSeed = r.nextLong();
            preferenceSpread = spec.interactions;
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

        /** How much {@code user} likes items of {@code category}, beyond what each does alone. */
        double preference(int user, int category) {
            return preferenceSpread == 0
                    ? 0
                    : preferenceSpread
                            * gaussian(preferenceSeed ^ ((long) user << 8) ^ (category * 0x9E3779B97F4A7C15L));
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
        this.counts = new long[spec.counts];
        this.categoricalValues = new int[spec.categoricals];
    }

    /** The truth labels are drawn from now (during a gradual drift: the one it leaves). */
    public Truth truth() {
        return truth;
    }

    /** The log-odds of the event drawn last under {@code t}. */
    private double logit(Truth t, double price, int user, int item) {
        double logit = t.bias;
        for (int i = 0; i < spec.counts; i++) {
            double x = spec.countsActThroughLog ? Math.log1p((double) counts[i]) : (double) counts[i] / 10.0;
            logit += t.countWeights[i] * (x - (spec.countsActThroughLog ? 1.5 : 0.5));
        }
        logit += t.priceWeight * (Math.log(price) - 2.5);
        for (int c = 0; c < spec.categoricals; c++) {
            logit += t.categoricalEffect(c, categoricalValues[c]);
        }
        return logit + (t.userEffect(user) + t.itemEffect(item)) + t.preference(user, category(item));
    }

    /** The category of an item: fixed by a hash of its number. */
    private int category(int item) {
        return Math.floorMod(Long.hashCode(item * 0x9E3779B97F4A7C15L), spec.categories);
    }

    private void advanceDrift() {
        if (spec.driftAt.contains(next)) {
            truth = new Truth(random.split(), spec);
        }
        if (drifting != null && next >= drifting.to) {
            truth = incoming;
            incoming = null;
            drifting = null;
        }
        for (Gradual g : spec.gradualDrift) {
            if (g.from == next && drifting == null) {
                drifting = g;
                incoming = new Truth(random.split(), spec);
            }
        }
    }

    /** The next event as a labeled event in the job's wire format. */
    public DatasetEvent next() {
        advanceDrift();
        long ts = spec.startMillis + next * spec.stepMillis;
        ObjectNode f = DatasetEvent.features();
        for (int i = 0; i < spec.counts; i++) {
            counts[i] = (long) Math.floor(Math.exp(1.0 + 1.5 * random.nextGaussian())); // log-normal: heavy tail
            f.put("i" + (i + 1), counts[i]);
        }
        double price = Math.exp(2.5 + 0.8 * random.nextGaussian());
        f.put("price", Math.round(price * 100) / 100.0);
        f.put("ts_seconds", ts / 1000);
        for (int c = 0; c < spec.categoricals; c++) {
            int v = zipfValue();
            categoricalValues[c] = v;
            f.put("c" + (c + 1), Integer.toHexString(v * 0x2545F491 + c));
        }
        int user = (int) (random.nextDouble() * random.nextDouble() * spec.users); // some users are far more active
        int item = zipfValue() % spec.items;
        f.put("user", "u" + user);
        f.put("item", "i" + item);
        if (spec.interactions > 0) {
            f.put("category", "k" + category(item));
        }
        double logit = logit(truth, price, user, item);
        if (drifting != null) {
            double done = (double) (next - drifting.from) / (drifting.to - drifting.from);
            logit = (1 - done) * logit + done * logit(incoming, price, user, item);
        }
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
