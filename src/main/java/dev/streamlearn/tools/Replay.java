package dev.streamlearn.tools;

import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.datasets.DatasetSource;
import dev.streamlearn.job.Topic;
import dev.streamlearn.records.SeriesPoint;
import java.io.PrintStream;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Replays a dataset into Kafka as labeled events (and, optionally, every n-th one also as a
 * prediction request), or a series as points keyed by series, at a given rate, with a progress
 * bar. Every send is checked: a record Kafka did not take is counted, and the tool fails saying
 * how many.
 */
@Command(
        name = "scripts/replay",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Sends a dataset to Kafka as labeled events (or, for a series, as points keyed by series).")
public final class Replay implements Callable<Integer> {

    @Mixin
    DatasetOptions data;

    @Mixin
    RangeOptions range;

    @Option(
            names = "--rate",
            paramLabel = "N",
            defaultValue = "2000",
            description = "Events per second (0: as fast as possible).")
    int rate;

    @Option(
            names = "--requests-every",
            paramLabel = "N",
            defaultValue = "0",
            description = "Also send every N-th event (without its label) as a prediction request.")
    int requestsEvery;

    @Option(
            names = "--topic",
            paramLabel = "T",
            description = "The topic (default: the job's labeled-events topic; for a series, its series-points topic).")
    String topic;

    @Option(names = "--requests-topic", paramLabel = "T", description = "The prediction-requests topic.")
    String requestsTopic = Topic.REQUESTS.defaultName;

    @Mixin
    KafkaClientOptions kafka;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    private PrintStream err = System.err;

    public static void main(String[] args) {
        Tool.exit(new Replay(), args);
    }

    @Override
    public Integer call() {
        if (rate < 0 || requestsEvery < 0) {
            throw new IllegalArgumentException("--rate and --requests-every take numbers >= 0");
        }
        DatasetSource source = data.source();
        if (source.isSeries()) {
            List<SeriesPoint> points = range.of(source.points());
            String to = topic != null ? topic : Topic.SERIES.defaultName;
            // keyed by series: Kafka keeps each series in order within its partition
            long sent = sendAll(
                    points.size(),
                    (producer, i, callback) -> producer.send(
                            new ProducerRecord<>(
                                    to, points.get(i).series, points.get(i).toJson()),
                            callback));
            err.printf(
                    "replay: sent %d points of series %s to %s%n",
                    sent, points.isEmpty() ? "-" : points.get(0).series, to);
            return 0;
        }
        List<DatasetEvent> events = range.of(source.events());
        String to = topic != null ? topic : Topic.LABELED.defaultName;
        long sent = sendAll(events.size(), (producer, i, callback) -> {
            DatasetEvent e = events.get(i);
            producer.send(new ProducerRecord<>(to, e.json), callback);
            if (requestsEvery > 0 && i % requestsEvery == 0) {
                producer.send(new ProducerRecord<>(requestsTopic, e.asRequest("req-" + (range.skip + i))), callback);
            }
        });
        err.printf(
                "replay: sent %d records: %d events to %s%s%n",
                sent,
                events.size(),
                to,
                requestsEvery > 0
                        ? " and " + ((events.size() + requestsEvery - 1) / requestsEvery) + " requests to "
                                + requestsTopic
                        : "");
        return 0;
    }

    /** Sends the records of item i (one or more) with the callback that checks each. */
    @FunctionalInterface
    private interface Send {
        void send(KafkaProducer<String, String> producer, int item, Callback callback);
    }

    /** Sends items [0, count) at the rate, with a progress bar; returns how many records Kafka acknowledged. */
    private long sendAll(int count, Send send) {
        Progress progress = new Progress(err, count, quiet);
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        Callback callback = (metadata, exception) -> {
            if (exception == null) {
                acknowledged.incrementAndGet();
            } else {
                failed.incrementAndGet();
                firstError.compareAndSet(null, exception);
            }
        };
        int sent = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties())) {
            long start = System.nanoTime();
            // a refused record (a failed login, a missing topic) ends the replay: the rest would be too
            for (; sent < count && firstError.get() == null; sent++) {
                send.send(producer, sent, callback);
                pace(start, sent);
                progress.update(sent + 1);
            }
            producer.flush();
        } catch (KafkaException e) {
            throw new IllegalArgumentException("cannot send to Kafka at " + kafka.bootstrap() + ": " + e.getMessage());
        }
        progress.done();
        if (failed.get() > 0) {
            throw new IllegalArgumentException(failed.get() + " records were refused by Kafka and " + (count - sent)
                    + " of " + count + " items not sent (" + acknowledged.get()
                    + " records were written); the first error: "
                    + firstError.get().getMessage());
        }
        return acknowledged.get();
    }

    private Properties producerProperties() {
        Properties p = kafka.properties();
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "5");
        p.put("max.block.ms", "15000");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        return p;
    }

    private void pace(long startNanos, int sent) {
        if (rate > 0) {
            long wait = startNanos + (long) ((sent + 1) * 1e9 / rate) - System.nanoTime();
            if (wait > 1_000_000) {
                try {
                    Thread.sleep(wait / 1_000_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
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
            out.printf(
                    "\r[%s%s] %d/%d %3d%% %6.0f events/s",
                    "#".repeat(filled),
                    ".".repeat(width - filled),
                    sent,
                    total,
                    total == 0 ? 100 : sent * 100 / total,
                    seconds > 0 ? sent / seconds : 0.0);
        }

        void done() {
            if (!quiet) {
                out.println();
            }
        }
    }
}
