package dev.streamlearn.tools;

import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.datasets.DatasetSource;
import dev.streamlearn.job.Topic;
import dev.streamlearn.records.SeriesPoint;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Replays a dataset into Kafka as labeled events (and, optionally, every n-th one also as a
 * prediction request), at a given rate, with a progress bar. Reads JSON lines in the event
 * format, CSV with a header, ARFF, and the two datasets shipped in src/data.
 */
public final class Replay {

    static final String USAGE = String.join("\n",
            "usage: replay --file PATH[,PATH...] [options]",
            "  --format FMT          jsonl, csv, arff, open-bandit, bike-sharing, or series (time-series points;",
            "                        default: from the file name)",
            "  --series NAME         series: the series name (default: the file name); bike-sharing with",
            "                        --bike-label series sends the hourly rentals as a series",
            "  --value COLUMN        series: the value column (with --time COLUMN; points are sorted by time)",
            "  --model ID            model id written into each event (default ctr; jsonl keeps its own unless given)",
            "  --label COLUMN        csv/arff: the label column (arff default: the last attribute)",
            "  --positive VALUE      csv/arff: label value that means 1; others mean 0 (default: the label is a number)",
            "  --time COLUMN         csv/arff: event-time column, epoch ms or ISO date-time (default: row number)",
            "  --categorical A,B     csv: columns to treat as categorical even when numeric",
            "  --drop A,B            csv/arff: columns to leave out",
            "  --bike-label L        bike-sharing: busy (1 when rentals > 142, the median hour), count, or series",
            "  --skip N              leave out the first N events",
            "  --limit N             send at most N events",
            "  --rate N              events per second (default 2000; 0 = as fast as possible)",
            "  --requests-every N    also send every N-th event (without its label) as a prediction request",
            "  --topic T             topic (default labeled-events; series-points for series, keyed by series)",
            "  --requests-topic T    prediction-requests topic (default prediction-requests)",
            "  --bootstrap HOSTS     Kafka brokers (default 127.0.0.1:9092)",
            "  --quiet               no progress bar");

    private Replay() {}

    public static void main(String[] args) {
        try {
            System.exit(run(args, System.err));
        } catch (IllegalArgumentException e) {
            System.err.println("replay: " + e.getMessage());
            System.exit(2);
        }
    }

    static int run(String[] args, PrintStream err) {
        Args a = new Args(args, USAGE);
        if (a.help) {
            System.out.println(USAGE);
            return 0;
        }
        DatasetSource source = source(a);
        int skip = a.intValue("--skip", 0);
        int limit = a.intValue("--limit", Integer.MAX_VALUE);
        int rate = a.intValue("--rate", 2000);
        int requestsEvery = a.intValue("--requests-every", 0);
        boolean series = source.isSeries();
        String topic = a.get("--topic", (series ? Topic.SERIES : Topic.LABELED).defaultName);
        String requestsTopic = a.get("--requests-topic", Topic.REQUESTS.defaultName);
        String bootstrap = a.get("--bootstrap", "127.0.0.1:9092");
        boolean quiet = a.flag("--quiet");
        if (series) {
            return sendSeries(source, topic, bootstrap, skip, limit, rate, quiet, err);
        }
        List<DatasetEvent> events = source.events();

        List<DatasetEvent> slice = events.subList(Math.min(skip, events.size()),
                (int) Math.min(events.size(), (long) skip + limit));
        sendAll(bootstrap, slice.size(), rate, quiet, err, (producer, i) -> {
            DatasetEvent e = slice.get(i);
            producer.send(new ProducerRecord<>(topic, e.json));
            if (requestsEvery > 0 && i % requestsEvery == 0) {
                producer.send(new ProducerRecord<>(requestsTopic, e.asRequest("req-" + (skip + i))));
            }
        });
        err.printf("replay: sent %d events to %s%s%n", slice.size(), topic,
                requestsEvery > 0 ? " and " + ((slice.size() + requestsEvery - 1) / requestsEvery)
                        + " requests to " + requestsTopic : "");
        return 0;
    }

    private static int sendSeries(DatasetSource source, String topic, String bootstrap, int skip, int limit,
            int rate, boolean quiet, PrintStream err) {
        List<SeriesPoint> points = source.points();
        points = points.subList(Math.min(skip, points.size()), (int) Math.min(points.size(), (long) skip + limit));
        List<SeriesPoint> slice = points;
        // keyed by series: Kafka keeps each series in order within its partition
        sendAll(bootstrap, slice.size(), rate, quiet, err, (producer, i) -> producer.send(new ProducerRecord<>(topic,
                slice.get(i).series, slice.get(i).toJson())));
        err.printf("replay: sent %d points of series %s to %s%n", points.size(),
                points.isEmpty() ? "-" : points.get(0).series, topic);
        return 0;
    }

    /** Sends record i (one or more Kafka records) for i in [0, count) at the rate, with a progress bar. */
    private static void sendAll(String bootstrap, int count, int rate, boolean quiet, PrintStream err,
            java.util.function.ObjIntConsumer<KafkaProducer<String, String>> sendOne) {
        Progress progress = new Progress(err, count, quiet);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(bootstrap))) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                sendOne.accept(producer, i);
                pace(start, i, rate);
                progress.update(i + 1);
            }
            producer.flush();
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IllegalArgumentException("cannot send to Kafka at " + bootstrap + ": " + e.getMessage());
        }
        progress.done();
    }

    private static Properties producerProperties(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("linger.ms", "5");
        p.put("max.block.ms", "15000");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        return p;
    }

    private static void pace(long startNanos, int sent, int rate) {
        if (rate > 0) {
            long wait = startNanos + (long) ((sent + 1) * 1e9 / rate) - System.nanoTime();
            if (wait > 1_000_000) {
                sleep(wait / 1_000_000);
            }
        }
    }

    /** The dataset options of a command line (see {@link #USAGE}). */
    static DatasetSource source(Args a) {
        DatasetSource source = new DatasetSource();
        for (String f : a.required("--file").split(",")) {
            source.files.add(Path.of(f.trim()));
        }
        source.format = a.get("--format", null);
        source.model = a.get("--model", null);
        source.labelColumn = a.get("--label", null);
        source.positiveValue = a.get("--positive", null);
        source.timeColumn = a.get("--time", null);
        source.categorical = names(a.get("--categorical", ""));
        source.dropped = names(a.get("--drop", ""));
        source.bikeLabel = a.get("--bike-label", "busy");
        source.series = a.get("--series", null);
        source.valueColumn = a.get("--value", null);
        return source;
    }

    private static Set<String> names(String list) {
        Set<String> names = new HashSet<>(Arrays.asList(list.split(",")));
        names.remove("");
        return names;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A one-line progress bar on stderr, redrawn at most ten times a second. */
    private static final class Progress {
        private final PrintStream out;
        private final int total;
        private final boolean quiet;
        private final long start = System.nanoTime();
        private long lastDraw;

        Progress(PrintStream out, int total, boolean quiet) {
            this.out = out;
            this.total = total;
            this.quiet = quiet;
        }

        void update(int sent) {
            long now = System.nanoTime();
            if (quiet || (now - lastDraw < 100_000_000L && sent < total)) {
                return;
            }
            lastDraw = now;
            int width = 30;
            int filled = total == 0 ? width : (int) ((long) sent * width / total);
            double seconds = (now - start) / 1e9;
            out.printf("\r[%s%s] %d/%d %3d%% %6.0f events/s", "#".repeat(filled), ".".repeat(width - filled), sent,
                    total, total == 0 ? 100 : sent * 100 / total, seconds > 0 ? sent / seconds : 0.0);
        }

        void done() {
            if (!quiet) {
                out.println();
            }
        }
    }
}
