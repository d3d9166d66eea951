package dev.streamlearn.tools;

import dev.streamlearn.datasets.ClickStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "preload", mixinStandardHelpOptions = true, description = "Recreates the bench topics and fills them.")
final class BenchPreload implements Callable<Integer> {
    @Mixin
    KafkaClientOptions kafka;

    @Option(names = "--labeled-topic", required = true, paramLabel = "TOPIC")
    String labeledTopic;

    @Option(names = "--requests-topic", required = true, paramLabel = "TOPIC")
    String requestsTopic;

    @Option(
            names = "--empty-topic",
            required = true,
            paramLabel = "TOPIC",
            description = "A topic left empty, for the inputs a run does not use.")
    String emptyTopic;

    @Option(names = "--events", required = true, paramLabel = "N")
    int events;

    @Option(names = "--requests", required = true, paramLabel = "N")
    int requests;

    @Option(names = "--partitions", defaultValue = "4", paramLabel = "N")
    int partitions;

    @Option(names = "--model", defaultValue = "ctr", paramLabel = "ID")
    String model;

    @Override
    public Integer call() throws Exception {
        try (Admin admin = Admin.create(kafka.properties())) {
            recreate(admin, List.of(labeledTopic, requestsTopic, emptyTopic));
            ClickStream.Spec spec = new ClickStream.Spec();
            spec.model = model;
            ClickStream stream = new ClickStream(spec);
            long start = System.nanoTime();
            send(labeledTopic, events, i -> stream.next().json);
            ClickStream requestStream = new ClickStream(spec);
            send(requestsTopic, requests, i -> requestStream.next().asRequest("bench-" + i));
            check(admin, labeledTopic, events);
            check(admin, requestsTopic, requests);
            System.err.printf(
                    "Preloaded %d labeled events and %d requests in %.0f s%n",
                    events, requests, (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }

    private void recreate(Admin kafka, List<String> topics) throws Exception {
        try {
            kafka.deleteTopics(topics).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw e;
            }
        }
        for (int attempt = 0; ; attempt++) {
            try {
                List<NewTopic> created = new ArrayList<>();
                for (String t : topics) {
                    created.add(new NewTopic(t, t.equals(emptyTopic) ? 1 : partitions, (short) 1));
                }
                kafka.createTopics(created).all().get();
                return;
            } catch (ExecutionException e) {
                if (attempt == 50) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(200); // a deleted topic is removed asynchronously
            }
        }
    }

    /** The i-th value to send. */
    interface Value {
        String make(int i);
    }

    @SuppressWarnings("FutureReturnValueIgnored") // each send is checked in its callback
    private void send(String topic, int n, Value record) throws InterruptedException {
        AtomicLong failed = new AtomicLong();
        try (KafkaProducer<String, String> producer = kafka.stringProducer("linger.ms", "20", "batch.size", "262144")) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, record.make(i)), (m, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    }
                });
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + n + " records were not written to " + topic);
        }
    }

    private void check(Admin kafka, String topic, long expected) throws Exception {
        Map<TopicPartition, OffsetSpec> ends = new LinkedHashMap<>();
        for (int p = 0; p < partitions; p++) {
            ends.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        long total = 0;
        for (var e : kafka.listOffsets(ends).all().get().values()) {
            total += e.offset();
        }
        if (total != expected) {
            throw new IllegalStateException(topic + " holds " + total + " records, not " + expected);
        }
    }
}
