package dev.streamlearn.tools;

import java.io.PrintStream;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends records to Kafka at a rate, with a progress bar, and checks every send: a record Kafka
 * did not take ends the sending, and the sender fails saying how many were refused and how many
 * were never sent.
 */
final class KafkaSender {

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

    KafkaSender(KafkaClientOptions kafka, int itemsPerSecond, boolean quiet, PrintStream err) {
        if (itemsPerSecond < 0) {
            throw new IllegalArgumentException("--rate takes a number >= 0");
        }
        this.kafka = kafka;
        this.itemsPerSecond = itemsPerSecond;
        this.quiet = quiet;
        this.err = err;
    }

    /** Sends items [0, count) at the rate; returns how many records Kafka acknowledged. */
    long sendAll(int count, Send send) {
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
            Records records = (topic, key, value) -> producer.send(new ProducerRecord<>(topic, key, value), callback);
            long start = System.nanoTime();
            // a refused record (a failed login, a missing topic) ends the sending: the rest would be too
            for (; sent < count && firstError.get() == null; sent++) {
                send.send(records, sent);
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
