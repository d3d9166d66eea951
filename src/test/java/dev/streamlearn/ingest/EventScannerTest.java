package dev.streamlearn.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.streamlearn.datasets.BikeSharingEvents;
import dev.streamlearn.datasets.ClickStream;
import dev.streamlearn.datasets.DatasetEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scanner against Jackson's token stream, the reader it stands in for: whatever the scanner
 * accepts, the token stream accepts too and reads the same way, field by field and bit by bit.
 */
class EventScannerTest {

    /** Chars that break JSON in interesting ways, or change a number's reading. */
    private static final String MUTATIONS = "{}[]\":,.-+eE0123456789 \t\\nultrfaNI?\u00e9\u20ac\ud83d\u0001";

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                " {\"model\" : \"ctr\" ,\n\"label\":1 , \"features\" : { } } \r\n",
                "{\"model\":\"ctr\",\"label\":0.0,\"weight\":-0,\"features\":{\"a\":-0.0,\"b\":0e-400,\"c\":1e-400}}",
                "{\"features\":{\"x\":1.7976931348623157e308,\"y\":4.9e-324,\"z\":2.2250738585072014E-308,\"w\":1e309}}",
                "{\"features\":{\"a\":0.1,\"b\":123456789.123456789,\"c\":9007199254740993.0,\"d\":1E22,\"e\":1e23,\"f\":-5e-22}}",
                "{\"features\":{\"a\":123456789012345678,\"b\":-999999999999999999,\"c\":0.30000000000000004}}",
                "{\"model\":\"ctr\",\"id\":\"\u00e9\u20ac\ud83d\ude00\",\"features\":{\"\u00e9\":\"\u65e5\u672c\",\"n\":null,\"t\":true,\"f\":false}}",
                "{\"ts\":1700000000000,\"version\":42,\"to\":\"previous-better\",\"force\":true,\"op\":\"rollback\"}",
                "{\"series\":\"PJME\",\"value\":26498.0,\"other\":\"x\",\"more\":null,\"features\":\"no\"}",
                "{\"features\":null,\"label\":true,\"weight\":\"2\"}",
                // a value is hashed as UTF-8, where a lone surrogate is '?' on both paths
                "{\"features\":{\"lone\":\"a\ud800\",\"asked\":\"?\"}}",
            })
    void readsWhatItAcceptsAsTheTokenStreamDoes(String payload) {
        assertTrue(sameAsTokens(payload), "the scanner takes " + payload);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"model\":\"c\\\"tr\",\"features\":{}}",
                "{\"features\":{\"x\":[1]}}",
                "{\"extra\":{},\"features\":{}}",
                "{\"label\":NaN}",
                "{\"label\":-Infinity}",
                "{\"ts\":12345678901234567890}",
                "{\"a\":1,\"a\":2}",
                "{\"features\":{\"a\":1,\"a\":2}}",
                "{\"label\":01}",
                "{\"label\":1.}",
                "{\"label\":.5}",
                "{\"label\":+1}",
                "{\"label\":1e}",
                "{\"label\":1,}",
                "{\"label\":1}x",
                "[]",
                "",
                // a String's lone surrogate is '?' in UTF-8: texts kept as Strings and names are left to Jackson
                "{\"model\":\"c\ud800\",\"features\":{}}",
                "{\"model\":\"c?\",\"features\":{}}",
                "{\"features\":{\"x\ud800\":1}}",
            })
    void leavesTheRestToTheTokenStream(String payload) {
        assertTrue(!new EventScanner().read(payload, new EventReader()), payload);
    }

    @Test
    void realAndGeneratedEventsTakeTheFastPathAndMutationsNeverReadOtherwise() {
        List<String> events = new ArrayList<>();
        BikeSharingEvents.read("bike", Path.of("src/data/bike_sharing/hour.csv"), BikeSharingEvents.Label.BUSY_HOUR)
                .subList(0, 300)
                .forEach(e -> events.add(e.json));
        for (DatasetEvent e : new ClickStream(new ClickStream.Spec()).take(300)) {
            events.add(e.json);
        }
        for (String event : events) {
            assertTrue(sameAsTokens(event), "the scanner takes every well-formed event: " + event);
        }
        Random random = new Random(7);
        int accepted = 0;
        int mutations = 20_000;
        for (int i = 0; i < mutations; i++) {
            if (sameAsTokens(mutate(events.get(random.nextInt(events.size())), random))) {
                accepted++;
            }
        }
        // both paths are exercised: mutations that stay JSON, and the many that do not
        assertTrue(accepted > mutations / 20 && accepted < mutations * 19 / 20, accepted + " of " + mutations);
    }

    /** Whether the scanner accepts {@code payload}; when it does, the token stream reads the same. */
    private static boolean sameAsTokens(String payload) {
        EventReader scanned = new EventReader();
        if (!new EventScanner().read(payload, scanned)) {
            return false;
        }
        EventReader tokens = new EventReader();
        try {
            tokens.readTokens(payload);
        } catch (IOException e) {
            fail("the scanner accepted what the token stream refuses (" + e.getMessage() + "): " + payload);
        }
        assertEquals(describe(tokens), describe(scanned), payload);
        return true;
    }

    private static String mutate(String event, Random random) {
        StringBuilder s = new StringBuilder(event);
        for (int edits = 1 + random.nextInt(2); edits > 0; edits--) {
            int at = random.nextInt(s.length());
            char c = MUTATIONS.charAt(random.nextInt(MUTATIONS.length()));
            switch (random.nextInt(3)) {
                case 0:
                    s.insert(at, c);
                    break;
                case 1:
                    s.deleteCharAt(at);
                    break;
                default:
                    s.setCharAt(at, c);
            }
        }
        return s.toString();
    }

    private static String describe(EventReader r) {
        StringBuilder s = new StringBuilder();
        for (JsonScalar f : r.fields()) {
            s.append(describe(f)).append('|');
        }
        EventFeatures features = r.features;
        s.append("features ").append(features.type);
        if (features.type == JsonScalar.Type.OBJECT) {
            for (int i = 0; i < features.count; i++) {
                s.append(' ')
                        .append(features.name(i))
                        .append(':')
                        .append(features.kinds[i])
                        .append('=');
                if (features.kinds[i] == EventFeatures.STRING) {
                    s.append(new String(
                            features.utf8, features.textStart[i], features.textLength[i], StandardCharsets.UTF_8));
                } else if (features.kinds[i] == EventFeatures.NUMBER) {
                    s.append(Double.doubleToRawLongBits(features.numbers[i])).append(features.underflows[i]);
                }
            }
        }
        return s.toString();
    }

    private static String describe(JsonScalar v) {
        switch (v.type) {
            case STRING:
                return "string " + v.text;
            case NUMBER:
                return "number " + Double.doubleToRawLongBits(v.number) + " integral " + v.integral + " long "
                        + (v.fitsLong ? v.longValue : "-") + " underflows " + v.underflows + " " + v.asText();
            case BOOLEAN:
                return "boolean " + v.bool;
            default:
                return v.type.name();
        }
    }
}
