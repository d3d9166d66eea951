package dev.streamlearn.tools;

import dev.streamlearn.datasets.BikeSharingEvents;
import dev.streamlearn.datasets.DatasetEvent;
import dev.streamlearn.job.Topic;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End-to-end figures of a running job on a cluster (scripts/bench-e2e): training throughput,
 * request-to-prediction latency through Kafka and the job, and freshness (event in the trainer to
 * weights served), against a Kafka round trip without the job measured in the same run.
 */
@Command(
        name = "scripts/bench-e2e",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Throughput, request latency and freshness of a running job that trains model 'bike'.")
public final class EndToEndBench implements Callable<Integer> {

    @Option(names = "--url", paramLabel = "URL", required = true, description = "The Flink REST address.")
    String url;

    @Option(names = "--bootstrap", paramLabel = "HOSTS", required = true, description = "Kafka brokers.")
    String bootstrap;

    @Option(
            names = "--events",
            paramLabel = "N",
            defaultValue = "200000",
            description = "Labeled events for the throughput phase.")
    int events;

    @Option(
            names = "--requests",
            paramLabel = "N",
            defaultValue = "5000",
            description = "Requests for the latency phase.")
    int requests;

    @Option(
            names = "--rate",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Requests per second in the latency phase.")
    int rate;

    public static void main(String[] args) {
        Tool.exit(new EndToEndBench(), args);
    }

    @Override
    public Integer call() throws Exception {
        ClusterMetrics rest = new ClusterMetrics(url);
        List<String> jobs = rest.runningJobs();
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("no running job at " + url);
        }
        String job = jobs.get(0);
        List<DatasetEvent> bike = BikeSharingEvents.read(
                "bike", Path.of("src/data/bike_sharing/hour.csv"), BikeSharingEvents.Label.BUSY_HOUR);
        PrintStream out = System.out;

        double[] baseline = roundTrip(
                bootstrap, "bench-echo", "bench-echo", requests, rate, i -> "{\"id\":\"echo-" + i + "\"}", "echo-");
        double[] latency = roundTrip(
                bootstrap,
                Topic.REQUESTS.defaultName,
                Topic.PREDICTIONS.defaultName,
                requests,
                rate,
                i -> bike.get(i % bike.size()).asRequest("bench-" + i),
                "bench-");

        String trained = "model.bike.examplesTrained";
        double before = rest.sums(job, trained).getOrDefault(trained, 0.0);
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(bootstrap))) {
            for (int i = 0; i < events; i++) {
                producer.send(new ProducerRecord<>(Topic.LABELED.defaultName, bike.get(i % bike.size()).json));
            }
            producer.flush();
        }
        double sent = (System.nanoTime() - start) / 1e9;
        double now = before;
        while (now < before + events) {
            Thread.sleep(200); // polling the REST metric until the job has trained every event
            now = rest.sums(job, trained).getOrDefault(trained, 0.0);
            if ((System.nanoTime() - start) / 1e9 > 600) {
                throw new IllegalStateException("the job trained " + (now - before) + " of " + events + " in 600 s");
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> fresh = rest.maxima(job, "freshnessMillis_median", "freshnessMillis_p99");

        out.printf("%nEnd to end on %s (job %s)%n%n", url, job);
        out.printf("| measure | median | p99 | vs. Kafka round trip (median) |%n|---|---|---|---|%n");
        out.printf(
                "| Kafka round trip, no job (produce -> consume) | %.1f ms | %.1f ms | 1.0 |%n",
                baseline[0], baseline[1]);
        out.printf(
                "| request -> prediction, through Kafka and the job | %.1f ms | %.1f ms | %.1f |%n",
                latency[0], latency[1], latency[0] / baseline[0]);
        out.printf(
                "| freshness: newest example of a batch -> weights served (freshnessMillis, slowest inference"
                        + " subtask) | %.0f ms | %.0f ms | |%n",
                fresh.getOrDefault("freshnessMillis_median", Double.NaN),
                fresh.getOrDefault("freshnessMillis_p99", Double.NaN));
        out.printf(
                "%nTraining throughput: %d labeled events trained in %.1f s = %.0f events/s (producer sent them"
                        + " in %.1f s).%n",
                events, seconds, events / seconds, sent);
        return 0;
    }

    /** Sends n records at the rate and waits for each answer; returns the median and p99 latency in ms. */
    private static double[] roundTrip(
            String bootstrap,
            String inTopic,
            String outTopic,
            int n,
            int rate,
            IntFunction<String> record,
            String idPrefix)
            throws Exception {
        Properties c = new Properties();
        c.put("bootstrap.servers", bootstrap);
        c.put("group.id", "bench-" + UUID.randomUUID());
        c.put("auto.offset.reset", "latest");
        c.put("fetch.max.wait.ms", "5");
        c.put("key.deserializer", StringDeserializer.class.getName());
        c.put("value.deserializer", StringDeserializer.class.getName());
        Map<String, Long> sentAt = new HashMap<>();
        List<Double> latencies = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c);
                KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(bootstrap))) {
            consumer.subscribe(List.of(outTopic));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100)); // join the group before sending
            }
            consumer.seekToEnd(consumer.assignment());
            consumer.poll(Duration.ofMillis(10));
            long start = System.nanoTime();
            int next = 0;
            while (latencies.size() < n && (System.nanoTime() - start) / 1e9 < 120) {
                long due = start + (long) (next * 1e9 / rate);
                while (next < n && System.nanoTime() >= due) {
                    String id = idPrefix + next;
                    sentAt.put(id, System.nanoTime());
                    producer.send(new ProducerRecord<>(inTopic, record.apply(next)));
                    next++;
                    due = start + (long) (next * 1e9 / rate);
                }
                producer.flush();
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(1))) {
                    long received = System.nanoTime();
                    String value = r.value();
                    int at = value.indexOf("\"id\":\"" + idPrefix);
                    if (at >= 0) {
                        String id = value.substring(at + 6, value.indexOf('"', at + 6));
                        Long t = sentAt.remove(id);
                        if (t != null) {
                            latencies.add((received - t) / 1e6);
                        }
                    }
                }
            }
        }
        double[] sorted =
                latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            throw new IllegalStateException("no answers on " + outTopic);
        }
        return new double[] {sorted[sorted.length / 2], sorted[(int) (sorted.length * 0.99)]};
    }

    private static Properties producerProperties(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("linger.ms", "0");
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        return p;
    }
}
