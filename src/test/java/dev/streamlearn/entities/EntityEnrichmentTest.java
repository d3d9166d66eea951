package dev.streamlearn.entities;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.records.Features;
import org.junit.jupiter.api.Test;

class EntityEnrichmentTest {

    private static final long HOUR = 3_600_000L;
    private static final FeatureHasher HASHER = new FeatureHasher(18);

    private static EntityEnrichment userAndItem(LabelMean prior) {
        return new EntityEnrichment(
                new EntityFeatures[] {
                    new EntityFeatures("user", new long[] {HOUR}, 10, "rate"),
                    new EntityFeatures("item", new long[] {HOUR}, 10, "rate")
                },
                HASHER,
                prior);
    }

    @Test
    void appendsEachFieldsFeaturesAsNumericFeaturesHashedByName() {
        EntityEnrichment entities = userAndItem(new LabelMean(100, 0.25));
        Features own = new Features(new int[] {1, 2}, new int[] {7}, new double[] {3.5});

        Features withUser = entities.with(own, 0, entities.field(0).empty(), 1_000L);
        Features withBoth = entities.with(withUser, 1, entities.field(1).empty(), 1_000L);

        assertArrayEquals(new int[] {1, 2}, withBoth.categorical);
        assertArrayEquals(
                new int[] {
                    7,
                    HASHER.numericIndex("user.events_1h"),
                    HASHER.numericIndex("user.rate_1h"),
                    HASHER.numericIndex("user.since_last"),
                    HASHER.numericIndex("item.events_1h"),
                    HASHER.numericIndex("item.rate_1h"),
                    HASHER.numericIndex("item.since_last")
                },
                withBoth.numeric);
        double longAgo = Math.log1p(HOUR / 1000.0);
        assertArrayEquals(new double[] {3.5, 0, 0.25, longAgo, 0, 0.25, longAgo}, withBoth.numericValues, 1e-12);
        assertArrayEquals(new int[] {7}, own.numeric, "the event's own features are left as they were");
    }

    @Test
    void aLabelReachesTheNextEventsFeaturesNeverItsOwn() {
        LabelMean prior = new LabelMean(100, 0.0);
        EntityEnrichment entities = userAndItem(prior);
        EntityStats user = entities.field(0).empty();
        Features none = new Features(new int[0], new int[0], new double[0]);

        Features first = entities.with(none, 0, user, 10_000L);
        entities.count(0, user, 10_000L, 1.0);
        prior.add(1.0);
        Features second = entities.with(none, 0, user, 10_000L);

        assertEquals(0.0, first.numericValues[1], 1e-12, "the first event sees the prior, before any label");
        // the prior moved to 1 too: (1 + 1 * 10) / (1 + 10)
        assertEquals(1.0, second.numericValues[1], 1e-12);
        assertEquals(Math.log1p(1), second.numericValues[0], 1e-12);
    }

    @Test
    void thePriorIsTheMeanOfTheRecentLabels() {
        LabelMean mean = new LabelMean(4, 0.5);
        assertEquals(0.5, mean.mean());
        mean.add(1);
        assertEquals(1.0, mean.mean(), 1e-12, "the first label replaces the initial value");
        mean.add(0);
        assertEquals(0.5, mean.mean(), 1e-12);
        for (int i = 0; i < 40; i++) {
            mean.add(0);
        }
        assertEquals(
                0.5 * (2.0 / 3) * Math.pow(0.75, 39),
                mean.mean(),
                1e-12,
                "the third label weighs a third, and from the fourth on each a quarter");
    }
}
