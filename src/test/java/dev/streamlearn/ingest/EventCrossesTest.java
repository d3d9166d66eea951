package dev.streamlearn.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.features.Crosses;
import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.features.MurmurHash3;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.records.DeadLetter;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Features;
import dev.streamlearn.records.PredictionRequest;
import dev.streamlearn.testing.Specs;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCrossesTest {

    private static final long NOW = 1_700_000_000_000L;
    private final FeatureHasher hasher =
            new FeatureHasher(Specs.logistic("ctr", 10, 100).featureBits());

    private static EventParser parser(String crosses) {
        return parser(crosses, InputLimits.defaults());
    }

    private static EventParser parser(String crosses, InputLimits limits) {
        ModelSpec spec = Specs.logistic("ctr", 10, 100).toBuilder()
                .set(ModelOptions.CROSSES, Crosses.TYPE.parse(crosses))
                .build();
        return new EventParser(Map.of("ctr", spec), limits, "in", () -> NOW);
    }

    private static Features features(EventParser p, String features) {
        Example e = p.parseLabeled("{\"model\":\"ctr\",\"label\":1,\"features\":" + features + "}")
                .value();
        return e.features;
    }

    private int cross(String a, String b) {
        return hasher.crossIndex(MurmurHash3.hash(hash(a), hash(b), FeatureHasher.SEED));
    }

    private int cross(String a, String b, String c) {
        return hasher.crossIndex(MurmurHash3.hash(hash(a), hash(b), hash(c), FeatureHasher.SEED));
    }

    /** The hash a part has as a feature of its own: name=value, or a number's name. */
    private static int hash(String part) {
        return MurmurHash3.hash(part, FeatureHasher.SEED);
    }

    @Test
    void aPairOfStringsIsOneMoreCategoricalHashedFromItsPartsHashes() {
        Features f = features(parser("user*genre"), "{\"user\":\"u7\",\"genre\":\"drama\",\"site\":\"a\"}");
        assertArrayEquals(
                new int[] {
                    hasher.categoricalIndex("user", "u7"),
                    hasher.categoricalIndex("genre", "drama"),
                    hasher.categoricalIndex("site", "a"),
                    cross("user=u7", "genre=drama")
                },
                f.categorical);
        assertEquals(0, f.numeric.length);
    }

    @Test
    void aListCrossesValueByValueAndATripleCrossesThree() {
        Features f = features(
                parser("user*genres,user*genres*site"),
                "{\"user\":\"u7\",\"genres\":\"drama, comedy,,\",\"site\":\"a\"}");
        assertArrayEquals(
                new int[] {
                    hasher.categoricalIndex("user", "u7"),
                    hasher.categoricalIndex("genres", "drama, comedy,,"),
                    hasher.categoricalIndex("site", "a"),
                    cross("user=u7", "genres=drama"),
                    cross("user=u7", "genres=comedy"),
                    cross("user=u7", "genres=drama", "site=a"),
                    cross("user=u7", "genres=comedy", "site=a")
                },
                f.categorical);
    }

    @Test
    void aNumberCrossesAsItsValueAndTwoNumbersAsTheirProduct() {
        Features f = features(parser("user*age,age*price"), "{\"user\":\"u7\",\"age\":30,\"price\":2.5}");
        assertArrayEquals(
                new int[] {
                    hasher.numericIndex("age"),
                    hasher.numericIndex("price"),
                    cross("user=u7", "age"),
                    cross("age", "price")
                },
                f.numeric);
        assertArrayEquals(new double[] {30, 2.5, 30, 75}, f.numericValues);
    }

    @Test
    void aCrossOfAFieldTheEventLacksIsLeftOut() {
        Features f = features(parser("user*genre"), "{\"user\":\"u7\",\"site\":\"a\",\"genre\":null}");
        assertEquals(2, f.categorical.length);
    }

    @Test
    void aFieldWithEveryOtherCrossesEachStringFieldNotPairedWithItByName() {
        Features f = features(
                parser("user*,user*site,item*"),
                "{\"user\":\"u7\",\"item\":\"i1\",\"site\":\"a\",\"genre\":\"drama\",\"age\":30}");
        assertArrayEquals(
                new int[] {
                    hasher.categoricalIndex("user", "u7"),
                    hasher.categoricalIndex("item", "i1"),
                    hasher.categoricalIndex("site", "a"),
                    hasher.categoricalIndex("genre", "drama"),
                    // user*: item and genre (site is user*site's, age is a number)
                    cross("user=u7", "item=i1"),
                    cross("user=u7", "genre=drama"),
                    cross("user=u7", "site=a"),
                    // item*: site and genre (user*item was user*'s)
                    cross("item=i1", "site=a"),
                    cross("item=i1", "genre=drama")
                },
                f.categorical);
    }

    @Test
    void anEntityOfTheEntitiesObjectCrossesAsACategory() {
        Example e = parser("user*genre")
                .parseLabeled("{\"model\":\"ctr\",\"label\":0,\"entities\":{\"user\":42},"
                        + "\"features\":{\"genre\":\"drama\"}}")
                .value();
        assertArrayEquals(
                new int[] {hasher.categoricalIndex("genre", "drama"), cross("user=42", "genre=drama")},
                e.features.categorical);
    }

    @Test
    void aRequestGetsTheSameCrossesAsALabeledEventAndItsExplanationNamesThem() {
        EventParser p = parser("user*genre,user*age");
        String features = "{\"user\":\"u7\",\"genre\":\"drama,comedy\",\"age\":30}";
        PredictionRequest r = p.parseRequest(
                        "{\"id\":\"r\",\"model\":\"ctr\",\"explain\":true,\"features\":" + features + "}")
                .value();
        Features labeled = features(p, features);
        assertArrayEquals(labeled.categorical, r.features.categorical);
        assertArrayEquals(labeled.numeric, r.features.numeric);
        assertArrayEquals(labeled.numericValues, r.features.numericValues);
        assertArrayEquals(
                new String[] {"user=u7", "genre=drama,comedy", "user=u7^genre=drama", "user=u7^genre=comedy"},
                r.explained.categorical);
        assertArrayEquals(new String[] {"age", "user=u7^age"}, r.explained.numeric);
    }

    @Test
    void crossesThatTakeAnEventPastTheLimitsAreADeadLetterWithTheReason() {
        InputLimits limits = new InputLimits(65536, 1e6, 1000, 0, 6, 4096);
        EventParser p = parser("a*b,a*c", limits);
        DeadLetter many = p.parseLabeled(
                        "{\"model\":\"ctr\",\"label\":1,\"features\":{\"a\":\"x\",\"b\":\"1,2,3\",\"c\":\"4,5\"}}")
                .deadLetter();
        assertEquals("too-large", many.reason);
        assertTrue(many.detail.contains("more than 6 features (input.max-features)"), many.detail);
        DeadLetter product = p.parseLabeled("{\"model\":\"ctr\",\"label\":1,\"features\":{\"a\":2000,\"b\":1000}}")
                .deadLetter();
        assertEquals("out-of-range", product.reason);
        assertEquals("features: the cross a^b is 2000000.0, beyond the limit of +-1000000.0", product.detail);
        assertTrue(
                p.parseLabeled("{\"model\":\"ctr\",\"label\":1,\"features\":{\"a\":\"x\",\"b\":\"1,2\",\"c\":\"4\"}}")
                        .isOk());
    }
}
