package dev.streamlearn.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.testing.HeadlessChromium;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model page: its sampling, and its charts as a real browser draws them. */
class ModelPageTest {

    private static final long NEVER = Long.MIN_VALUE;

    @Test
    void samplesEverySecondWhileWatchedAndEveryTenSecondsOtherwise() {
        assertTrue(ModelPage.sampleDue(5_000, NEVER, 0), "the first sample is taken at once");
        long unwatched = 0;
        assertFalse(ModelPage.sampleDue(6_000, 5_000, unwatched));
        assertFalse(ModelPage.sampleDue(14_999, 5_000, unwatched));
        assertTrue(ModelPage.sampleDue(15_000, 5_000, unwatched));

        long watchedUntil = 6_000 + ModelPage.WATCHED_FOR_MILLIS; // data asked for at 6 s
        assertTrue(ModelPage.sampleDue(7_000, 6_000, watchedUntil));
        assertTrue(ModelPage.sampleDue(15_999, 15_000, watchedUntil));
        assertFalse(ModelPage.sampleDue(17_000, 16_000, watchedUntil), "nobody asked for ten seconds");
        assertTrue(ModelPage.sampleDue(26_000, 16_000, watchedUntil));
    }

    /** A curve that barely moves is drawn nearly flat; one that moves fills its chart. */
    @Test
    void aChartsAxisSpansAtLeastFivePerCentOfItsValues(@TempDir Path dir) throws Exception {
        String page;
        try (InputStream in = ModelPage.class.getResourceAsStream("model-page.html")) {
            page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String charts =
                """
                <script>
                document.body.appendChild(chart("flat", [1, 2, 3], [0.9832, 0.9831, 0.9832], [], "green"));
                document.body.appendChild(chart("steep", [1, 2], [0.2, 0.6], [], "blue"));
                </script>
                """;
        Path harness = dir.resolve("charts.html");
        Files.writeString(harness, page.replace("</body>", charts + "</body>"));
        String dom = HeadlessChromium.renderedDom(harness.toUri().toString(), Duration.ofSeconds(2));
        assertEquals(List.of("1.008", "0.959"), axis(dom, "flat"), "0.98315 +- 2.5 %");
        assertEquals(List.of("0.600", "0.200"), axis(dom, "steep"));
    }

    /** The labels of a chart's y axis, top first. */
    private static List<String> axis(String dom, String series) {
        Matcher chart = Pattern.compile("<svg[^>]*data-series=\"" + series + "\".*?</svg>", Pattern.DOTALL)
                .matcher(dom);
        assertTrue(chart.find(), series + " in\n" + dom);
        Matcher label = Pattern.compile("class=\"axis\">([-0-9.]+)</text>").matcher(chart.group());
        List<String> labels = new ArrayList<>();
        while (label.find()) {
            labels.add(label.group(1));
        }
        return labels;
    }
}
