package dev.streamlearn.tools;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends records to Kafka at a rate, with a progress bar, and checks every send. A broker that
 * stops answering (a restart) is waited for, up to a bound, saying so; a record Kafka did not
 * take within it ends the sending, and the sender fails saying how many items were not sent and,
 * when the caller can say it, the command that sends the rest.
 */
final class KafkaSender {

    /** How long a record may wait for a broker that does not answer, unless the caller says otherwise. */
    static final long DEFAULT_BROKER_WAIT_MILLIS = 120_000;
    /** No acknowledgement for this long while records wait: the broker is said to be away. */
    private static final long SILENCE_MILLIS = 5_000;

    /** Sends the records of item i (one or more) with the callback that checks each. */
    @FunctionalInterface
    interface Send {
        void send(Records producer, int item);
    }

    /** Where an item's records go. */
    interface Records {
        void send(String topic, String key, String value);
    }

    private final KafkaClientOptions kafka;
    private final int itemsPerSecond;
    private final boolean quiet;
    private final PrintStream err;
    private final long brokerWaitMillis;
    private IntFunction<String> resumeCommand = first -> null;

    KafkaSender(KafkaClientOptions kafka, int itemsPerSecond, boolean quiet, PrintStream err) {
        this(kafka, itemsPerSecond, quiet, err, DEFAULT_BROKER_WAIT_MILLIS);
    }

    KafkaSender(KafkaClientOptions kafka, int itemsPerSecond, boolean quiet, PrintStream err, long brokerWaitMillis) {
        if (itemsPerSecond < 0) {
            throw new IllegalArgumentException("--rate takes a number >= 0");
        }
        this.kafka = kafka;
        this.itemsPerSecond = itemsPerSecond;
        this.quiet = quiet;
        this.err = err;
        this.brokerWaitMillis = brokerWaitMillis;
    }

    /**
     * How to send the items from a given one on (a command line), for the message of a sending that
     * stopped; the function may answer null when it cannot say.
     */
    KafkaSender resumingWith(IntFunction<String> command) {
        this.resumeCommand = command;
        return this;
    }

    /** Sends items [0, count) at the rate; returns how many records Kafka acknowledged. */
    @SuppressWarnings("FutureReturnValueIgnored") // each send is checked in its callback
    long sendAll(int count, Send send) {
        Progress progress = new Progress(err, count, quiet, LocalStack.stderrIsTerminal());
        // per item, its records not acknowledged yet: the first item with any is where the rest begins
        AtomicIntegerArray unacknowledged = new AtomicIntegerArray(count);
        AtomicLong acknowledged = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong written = new AtomicLong();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        Watchdog watchdog = new Watchdog(written, acknowledged, failed);
        int sent = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties())) {
            int[] item = new int[1];
            Records records = (topic, key, value) -> {
                int at = item[0];
                unacknowledged.incrementAndGet(at);
                written.incrementAndGet();
                producer.send(new ProducerRecord<>(topic, key, value), (metadata, exception) -> {
                    if (exception == null) {
                        unacknowledged.decrementAndGet(at);
                        acknowledged.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        firstError.compareAndSet(null, exception);
                    }
                    watchdog.heard();
                });
            };
            watchdog.start();
            long start = System.nanoTime();
            // a refused record (a failed login, a missing topic, a broker away too long) ends the sending
            for (; sent < count && firstError.get() == null; sent++) {
                item[0] = sent;
                send.send(records, sent);
                pace(start, sent);
                progress.update(sent + 1);
            }
            producer.flush();
        } catch (KafkaException e) {
            throw new IllegalArgumentException("cannot send to Kafka at " + kafka.bootstrap() + ": " + e.getMessage());
        } finally {
            watchdog.stop();
        }
        progress.done();
        if (failed.get() > 0) {
            int first = firstIncomplete(unacknowledged, sent);
            String rest = resumeCommand.apply(first);
            throw new IllegalArgumentException(failed.get() + " records were refused by Kafka (the first error: "
                    + firstError.get().getMessage() + "): items " + first + ".." + (count - 1) + " of " + count
                    + " are not all in Kafka (" + acknowledged.get() + " records were written"
                    + (first < sent ? ", some of them beyond item " + first : "") + ")"
                    + (rest == null ? "" : "; to send the rest: " + rest));
        }
        return acknowledged.get();
    }

    /** The first item of [0, sent) with a record Kafka did not acknowledge, else {@code sent}. */
    static int firstIncomplete(AtomicIntegerArray unacknowledged, int sent) {
        for (int i = 0; i < sent; i++) {
            if (unacknowledged.get(i) > 0) {
                return i;
            }
        }
        return sent;
    }

    private Properties producerProperties() {
        Properties p = kafka.properties();
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "5");
        // a broker that restarts is waited for: records are retried and sends wait for its metadata this long
        p.put("max.block.ms", String.valueOf(brokerWaitMillis));
        p.put("delivery.timeout.ms", String.valueOf(brokerWaitMillis));
        p.put("request.timeout.ms", String.valueOf(Math.min(30_000, brokerWaitMillis - 5)));
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        return p;
    }

    private void pace(long startNanos, int sent) {
        if (itemsPerSecond > 0) {
            long wait = startNanos + (long) ((sent + 1) * 1e9 / itemsPerSecond) - System.nanoTime();
            if (wait > 1_000_000) {
                try {
                    Thread.sleep(wait / 1_000_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Says when records wait and Kafka has not answered for a while, and when it answers again. */
    private final class Watchdog {
        private final AtomicLong written;
        private final AtomicLong acknowledged;
        private final AtomicLong failed;
        private volatile long lastHeardNanos = System.nanoTime();
        private volatile boolean running = true;
        private final Thread thread = new Thread(this::watch, "kafka-sender-watchdog");

        Watchdog(AtomicLong written, AtomicLong acknowledged, AtomicLong failed) {
            this.written = written;
            this.acknowledged = acknowledged;
            this.failed = failed;
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void heard() {
            lastHeardNanos = System.nanoTime();
        }

        void stop() {
            running = false;
            thread.interrupt();
        }

        private void watch() {
            boolean away = false;
            while (running) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                long waiting = written.get() - acknowledged.get() - failed.get();
                long silentMillis = (System.nanoTime() - lastHeardNanos) / 1_000_000;
                if (!away && waiting > 0 && silentMillis >= SILENCE_MILLIS) {
                    away = true;
                    err.printf(
                            "%nKafka at %s has not answered for %d s; %d records wait. Still trying for up to %d s"
                                    + " in all ...%n",
                            kafka.bootstrap(), silentMillis / 1000, waiting, brokerWaitMillis / 1000);
                } else if (away && silentMillis < SILENCE_MILLIS) {
                    away = false;
                    err.printf("%nKafka at %s answers again.%n", kafka.bootstrap());
                }
            }
        }
    }

    /**
     * Progress on stderr: on a terminal, one bar redrawn at most ten times a second; elsewhere (a
     * log file, a CI job) a line every ten seconds and one at the end, as a carriage return would
     * make the whole replay one line of the log.
     */
    static final class Progress {
        private static final long TERMINAL_NANOS = 100_000_000L;
        private static final long LOG_NANOS = 10_000_000_000L;
        private final PrintStream out;
        private final int total;
        private final boolean quiet;
        private final boolean terminal;
        private final long start = System.nanoTime();
        private long lastDraw;

        Progress(PrintStream out, int total, boolean quiet, boolean terminal) {
            this.out = out;
            this.total = total;
            this.quiet = quiet;
            this.terminal = terminal;
            this.lastDraw = start;
        }

        void update(int sent) {
            long now = System.nanoTime();
            if (quiet || (now - lastDraw < (terminal ? TERMINAL_NANOS : LOG_NANOS) && sent < total)) {
                return;
            }
            lastDraw = now;
            int width = 30;
            int filled = total == 0 ? width : (int) ((long) sent * width / total);
            double seconds = (now - start) / 1e9;
            String line = String.format(
                    Locale.ROOT,
                    "[%s%s] %d/%d %3d%% %6.0f events/s",
                    "#".repeat(filled),
                    ".".repeat(width - filled),
                    sent,
                    total,
                    total == 0 ? 100 : sent * 100 / total,
                    seconds > 0 ? sent / seconds : 0.0);
            if (terminal) {
                out.print("\r" + line);
            } else {
                out.println(line);
            }
        }

        void done() {
            if (!quiet && terminal) {
                out.println();
            }
        }
    }
}
