package dev.streamlearn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamlearn.datasets.BikeSharingEvents;
import dev.streamlearn.datasets.ClickStream;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.ingest.EventParser;
import dev.streamlearn.ingest.InputLimits;
import dev.streamlearn.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parser against Jackson's {@code readTree} of the same records as a paired ratio. JMH
 * ({@link HotPathBenchmark}) runs one benchmark after the other, and on this shared host the
 * speed of the machine moves by more than the difference between them from one minute to the next.
 * Here the two alternate every few milliseconds: each pair is the parse of a block of events and
 * the readTree of the same block right after it (in turns, which one comes first), and the figure
 * is the median of the pairs' ratios. A run is one JVM; {@code scripts/bench --parser-ratio RUNS}
 * starts RUNS of them and prints min / median / max over the runs.
 */
public final class ParserRatio {

    private static final int EVENTS = 1000;
    private static final int WARMUP_PAIRS = 3000;
    private static final int PAIRS = 3000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Consumed results, so that no work is left out by the compiler. */
    static volatile long sink;

    private ParserRatio() {}

    public static void main(String[] args) throws IOException {
        List<String> bike = BikeSharingEvents.read(
                        "bike", Path.of("src/data/bike_sharing/hour.csv"), BikeSharingEvents.Label.BUSY_HOUR)
                .subList(0, EVENTS)
                .stream()
                .map(e -> e.json)
                .toList();
        ClickStream.Spec clicks = new ClickStream.Spec();
        List<String> click = new ClickStream(clicks)
                .take(EVENTS).stream().map((DatasetEvent e) -> e.json).toList();
        System.out.println(measure("bike sharing", bike, "bike"));
        System.out.println(measure("clicks", click, clicks.model));
    }

    /** One line: the events, the median ns per event of each, and the median of the paired ratios. */
    private static String measure(String name, List<String> records, String model) throws IOException {
        String[] events = records.toArray(String[]::new);
        EventParser parser =
                new EventParser(Map.of(model, ModelSpec.builder(model).build()), InputLimits.defaults(), "bench");
        for (String e : events) {
            if (!parser.parseLabeled(e).isOk()) {
                throw new IllegalStateException("the benchmark's event is rejected: " + e);
            }
        }
        for (int i = 0; i < WARMUP_PAIRS; i++) {
            parse(parser, events);
            readTree(events);
            scanTokens(events);
        }
        double[] parse = new double[PAIRS];
        double[] tree = new double[PAIRS];
        double[] scan = new double[PAIRS];
        double[] ratio = new double[PAIRS];
        double[] scanRatio = new double[PAIRS];
        for (int i = 0; i < PAIRS; i++) {
            if (i % 2 == 0) {
                parse[i] = parse(parser, events);
                tree[i] = readTree(events);
                scan[i] = scanTokens(events);
            } else {
                scan[i] = scanTokens(events);
                tree[i] = readTree(events);
                parse[i] = parse(parser, events);
            }
            ratio[i] = parse[i] / tree[i];
            scanRatio[i] = scan[i] / tree[i];
        }
        return String.format(
                Locale.ROOT,
                "%s: parse %.0f ns, readTree %.0f ns, token scan %.0f ns per event (medians); token scan / readTree"
                        + " %.3f; paired ratio %.3f",
                name,
                median(parse) / EVENTS,
                median(tree) / EVENTS,
                median(scan) / EVENTS,
                median(scanRatio),
                median(ratio));
    }

    /**
     * The least any reader of JSON does: find where every token begins and ends (strings with their
     * escapes, and the structural characters between which numbers and literals lie), decoding
     * nothing and building nothing. The floor under the parser's reading of an event.
     */
    @SuppressWarnings("NonAtomicVolatileUpdate") // one thread: volatile only so the JIT keeps the work
    private static long scanTokens(String[] events) {
        long start = System.nanoTime();
        long tokens = 0;
        for (String e : events) {
            boolean inString = false;
            for (int i = 0, n = e.length(); i < n; i++) {
                char c = e.charAt(i);
                if (inString) {
                    if (c == '\\') {
                        i++;
                    } else if (c == '"') {
                        inString = false;
                        tokens++;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '}' || c == '[' || c == ']' || c == ':' || c == ',') {
                    tokens++;
                }
            }
        }
        long took = System.nanoTime() - start;
        sink += tokens;
        return took;
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // one thread: volatile only so the JIT keeps the work
    private static long parse(EventParser parser, String[] events) {
        long start = System.nanoTime();
        long consumed = 0;
        for (String e : events) {
            consumed += parser.parseLabeled(e).value().features.size();
        }
        long took = System.nanoTime() - start;
        sink += consumed;
        return took;
    }

    @SuppressWarnings("NonAtomicVolatileUpdate") // one thread: volatile only so the JIT keeps the work
    private static long readTree(String[] events) throws IOException {
        long start = System.nanoTime();
        long consumed = 0;
        for (String e : events) {
            consumed += JSON.readTree(e).size();
        }
        long took = System.nanoTime() - start;
        sink += consumed;
        return took;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
