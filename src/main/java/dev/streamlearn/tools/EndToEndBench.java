package dev.streamlearn.tools;

import dev.streamlearn.datasets.ClickStream;
import dev.streamlearn.job.Topic;
import dev.streamlearn.metrics.MetricNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Latency and freshness of a running job under load (scripts/bench-e2e): requests at a given rate
 * while labeled events train the model at another, both from the generated click stream. Request
 * to prediction is timed through Kafka (sent to received) and inside the job (the request
 * record's timestamp to the prediction record's, which the job's Kafka sink stamps when it
 * writes), against a Kafka round trip without the job at the same rate under the same training
 * load, measured in the same run.
 */
@Command(
        name = "scripts/bench-e2e",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Request latency (p50/p99/p999) and freshness of the running job while it trains.")
public final class EndToEndBench implements Callable<Integer> {

    @Option(names = "--url", paramLabel = "URL", required = true, description = "The Flink REST address.")
    String url;

    @Mixin
    KafkaClientOptions kafka;

    @Option(names = "--model", paramLabel = "ID", defaultValue = "ctr", description = "The model the job trains.")
    String model;

    @Option(
            names = "--request-rate",
            paramLabel = "N",
            defaultValue = "2000",
            description = "Prediction requests per second (default ${DEFAULT-VALUE}).")
    int requestRate;

    @Option(
            names = "--train-rate",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Labeled events per second sent meanwhile (default ${DEFAULT-VALUE}).")
    int trainRate;

    @Option(
            names = "--seconds",
            paramLabel = "S",
            defaultValue = "30",
            description = "How long requests are measured (default ${DEFAULT-VALUE}); the Kafka baseline, under the"
                    + " same training load, runs a third of it before.")
    int seconds;

    @Option(
            names = "--warmup",
            paramLabel = "S",
            defaultValue = "60",
            description = "Seconds of the same load before measuring, not counted (default ${DEFAULT-VALUE}): a job"
                    + " just submitted compiles its code for about a minute, and its tail (and Kafka's beside it) is"
                    + " two to three times the one it keeps after that.")
    int warmup;

    @Option(names = "--echo-topic", paramLabel = "TOPIC", defaultValue = "bench-echo")
    String echoTopic;

    @Option(
            names = "--results",
            paramLabel = "FILE",
            description = "Also add the figures as rows (run, batch size, measure, value) to this file.")
    Path results;

    @Option(names = "--run", paramLabel = "K", defaultValue = "1")
    int run;

    @Option(
            names = "--batch-size",
            paramLabel = "B",
            defaultValue = "0",
            description = "The job's batch.size, for the rows.")
    int batchSize;

    @Option(
            names = "--variant",
            paramLabel = "NAME",
            defaultValue = "",
            description = "The name of the job's variant, for the rows (paired runs of variants of the job).")
    String variant;

    @Spec
    CommandSpec spec;

    /** A request's hops through the job, as its metrics name them, in the order it takes them. */
    private static final List<String> HOPS = List.of(
            MetricNames.sourceLag("requests"),
            MetricNames.REQUEST_PARSE_NANOS,
            MetricNames.REQUEST_EXCHANGE_NANOS,
            MetricNames.SCORING_LATENCY_NANOS,
            MetricNames.PREDICTION_SINK_NANOS);

    private static final List<String> HOP_TITLES = List.of(
            "Kafka in: request's timestamp -> source",
            "source -> parsed",
            "parsed -> inference (exchanges, queues)",
            "scoring",
            "scored -> handed to the Kafka producer");

    /** How long a job just submitted may take to run its trainer. */
    private static final Duration TRAINER_START = Duration.ofMinutes(2);

    private static final List<String> HOP_PERCENTILES = HOPS.stream()
            .flatMap(h -> Stream.of(h + "_median", h + "_p99", h + "_p999"))
            .toList();

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
        // made before the clock starts, so that generating JSON takes no CPU from the job while it is measured
        String[] labeled = pool(1, false);
        String[] requestBodies = pool(7, true);
        for (int i = 0; i < requestBodies.length; i++) {
            // {"id":"","model":... without its first field: each request's own id goes in front
            requestBodies[i] = requestBodies[i].substring(requestBodies[i].indexOf(',') + 1);
        }
        String id = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";

        String trained = MetricNames.ofModel(model, MetricNames.EXAMPLES_TRAINED);
        awaitTrainer(rest, job, trained, labeled);
        int baselineSeconds = Math.max(1, seconds / 3);
        Thread load = new Thread(() -> sendLabeled(labeled, warmup + baselineSeconds + seconds + 2), "labeled-load");
        load.start();
        // timed too: a job's first minute is a regime of its own (its code compiles while it serves)
        Latencies warming = roundTrip(
                Topic.REQUESTS.defaultName,
                Topic.PREDICTIONS.defaultName,
                warmup,
                i -> "{\"id\":\"" + id + "w" + i + "\"," + requestBodies[i % requestBodies.length],
                id + "w");
        // Kafka's own part under the same training load: a round trip through the broker, no job
        Latencies baseline =
                roundTrip(echoTopic, echoTopic, baselineSeconds, i -> "{\"id\":\"" + id + "e" + i + "\"}", id + "e");
        long measuredFrom = System.nanoTime();
        double before = trainedSoFar(rest, rest.freshMetricIds(job), trained);
        Latencies served = roundTrip(
                Topic.REQUESTS.defaultName,
                Topic.PREDICTIONS.defaultName,
                seconds,
                i -> "{\"id\":\"" + id + i + "\"," + requestBodies[i % requestBodies.length],
                id);
        // the job's own figures of the window just measured, not those the REST API's cache held since the last read
        long measuredTo = System.nanoTime();
        ClusterMetrics.MetricIds atEnd = rest.freshMetricIds(job);
        double trainedPerSecond = (trainedSoFar(rest, atEnd, trained) - before) / ((measuredTo - measuredFrom) / 1e9);
        Map<String, Double> fresh = rest.maxima(atEnd, "freshnessMillis_median", "freshnessMillis_p99");
        Map<String, Double> hops = rest.maxima(atEnd, HOP_PERCENTILES.toArray(String[]::new));
        load.join();

        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "%nJob %s%s, batch size %s: %d requests/s while %d labeled events/s are sent (%.0f/s trained)%n%n",
                job,
                variant.isEmpty() ? "" : " (" + variant + ")",
                batchSize == 0 ? "as submitted" : batchSize,
                requestRate,
                trainRate,
                trainedPerSecond);
        out.println("| measure | p50 | p99 | p999 | samples |");
        out.println("|---|---|---|---|---|");
        List<String> rows = new ArrayList<>();
        rows.addAll(baseline.print(out, "Kafka round trip, no job (produce -> consume)", "kafka", this::row));
        rows.addAll(served.print(out, "request -> prediction through Kafka and the job", "through", this::row));
        rows.addAll(warming.print(
                out, "the same during the warm-up, right after the submission", "warm-up through", this::row));
        rows.addAll(served.insideJob.print(
                out, "request -> prediction inside the job (record timestamps, ms)", "inside", this::row));
        out.println();
        out.println("Latency budget per hop (the slowest subtask's last 10,000 requests; ms):");
        out.println();
        out.println("| hop | p50 | p99 | p999 |");
        out.println("|---|---|---|---|");
        for (int h = 0; h < HOPS.size(); h++) {
            String metric = HOPS.get(h);
            double scale = metric.endsWith("Nanos") ? 1e-6 : 1;
            double[] p = {
                hops.getOrDefault(metric + "_median", Double.NaN) * scale,
                hops.getOrDefault(metric + "_p99", Double.NaN) * scale,
                hops.getOrDefault(metric + "_p999", Double.NaN) * scale
            };
            out.printf("| %s | %.3f | %.3f | %.3f |%n", HOP_TITLES.get(h), p[0], p[1], p[2]);
            rows.add(row("hop " + HOP_TITLES.get(h) + " p50 (ms)", p[0]));
            rows.add(row("hop " + HOP_TITLES.get(h) + " p99 (ms)", p[1]));
        }
        rows.addAll(served.afterJob.print(
                out, "prediction -> received (Kafka out of the job, ms)", "kafka-out", this::row));
        double freshMedian = fresh.getOrDefault("freshnessMillis_median", Double.NaN);
        double freshP99 = fresh.getOrDefault("freshnessMillis_p99", Double.NaN);
        out.printf(
                "| freshness: newest example of a batch -> weights served (slowest subtask) | %.0f ms | %.0f ms | | |%n",
                freshMedian, freshP99);
        rows.add(row("freshness p50 (ms)", freshMedian));
        rows.add(row("freshness p99 (ms)", freshP99));
        rows.add(row("trained alongside (events/s)", trainedPerSecond));
        if (results != null) {
            Files.write(results, rows, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return 0;
    }

    /**
     * Sends a labeled event every half second until the job publishes the model's trained examples,
     * which its trainer does from the model's first example on: a job submitted a moment ago may
     * still be deploying its tasks on a busy machine, and its sources skip what was sent before
     * they started (it reads from the latest offsets). Neither the warm-up nor the measured window
     * should start before it trains.
     */
    private void awaitTrainer(ClusterMetrics rest, String job, String trained, String[] labeled)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TRAINER_START.toNanos();
        try (KafkaProducer<String, String> producer = kafka.stringProducer("linger.ms", "0")) {
            for (int i = 0; !rest.sums(rest.freshMetricIds(job), trained).containsKey(trained); i++) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the job publishes no " + trained + " within "
                            + TRAINER_START.toSeconds() + " s of labeled events: is '" + model
                            + "' one of its models?");
                }
                var unused =
                        producer.send(new ProducerRecord<>(Topic.LABELED.defaultName, labeled[i % labeled.length]));
                producer.flush();
                Thread.sleep(500);
            }
        }
    }

    /** The examples the job has trained; a job that publishes no such figure fails the benchmark rather than count 0. */
    private double trainedSoFar(ClusterMetrics rest, ClusterMetrics.MetricIds ids, String trained)
            throws IOException, InterruptedException {
        Double value = rest.sums(ids, trained).get(trained);
        if (value == null) {
            throw new IllegalStateException(
                    "the job publishes no " + trained + ": is '" + model + "' one of its models?");
        }
        return value;
    }

    private String row(String measure, double value) {
        return run + "\t" + batchSize + (variant.isEmpty() ? "" : " " + variant) + "\t" + measure + "\t" + value;
    }

    /** Sends the labeled events, over and over, at the train rate for the given time; every send checked. */
    @SuppressWarnings("FutureReturnValueIgnored") // checked in the callback: waiting on each would break the pace
    private void sendLabeled(String[] events, int forSeconds) {
        AtomicLong refused = new AtomicLong();
        int sent;
        try (KafkaProducer<String, String> producer = kafka.stringProducer("linger.ms", "0")) {
            sent = paced(
                    trainRate,
                    forSeconds,
                    i -> producer.send(
                            new ProducerRecord<>(Topic.LABELED.defaultName, events[i % events.length]), (m, e) -> {
                                if (e != null) {
                                    refused.incrementAndGet();
                                }
                            }));
        }
        if (refused.get() > 0) {
            throw new IllegalStateException(refused.get() + " of " + sent + " labeled events were refused by Kafka");
        }
    }

    /** 50,000 events of the click stream: labeled events, or (without their label) the bodies of requests. */
    private String[] pool(long seed, boolean asRequests) {
        ClickStream.Spec click = new ClickStream.Spec();
        click.model = model;
        click.seed = seed;
        ClickStream stream = new ClickStream(click);
        String[] pool = new String[50_000];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = asRequests ? stream.next().asRequest("") : stream.next().json;
        }
        return pool;
    }

    /** Calls send(i) for i = 0, 1, ... at the rate until the time is up; returns how many. */
    static int paced(int rate, int forSeconds, IntConsumer send) {
        long start = System.nanoTime();
        int n = (int) Math.min(Integer.MAX_VALUE, (long) rate * forSeconds);
        for (int i = 0; i < n; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(Math.min(wait, 200_000));
            }
            send.accept(i);
        }
        return n;
    }

    /** Sends records at the request rate and times each answer; fails when answers are missing. */
    @SuppressWarnings("FutureReturnValueIgnored") // a request Kafka refused has no answer: counted as missing
    private Latencies roundTrip(
            String inTopic, String outTopic, int forSeconds, IntFunction<String> record, String idPrefix)
            throws Exception {
        Properties c = kafka.properties();
        c.put("group.id", "bench-" + UUID.randomUUID());
        c.put("auto.offset.reset", "latest");
        c.put("fetch.max.wait.ms", "5");
        c.put("key.deserializer", StringDeserializer.class.getName());
        c.put("value.deserializer", StringDeserializer.class.getName());
        Map<String, long[]> sentAt = new ConcurrentHashMap<>(); // id -> {nanos, record timestamp ms}
        Latencies latencies = new Latencies(true);
        AtomicLong sent = new AtomicLong();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c);
                KafkaProducer<String, String> producer = kafka.stringProducer("linger.ms", "0")) {
            consumer.subscribe(List.of(outTopic));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(100)); // join the group before sending
            }
            consumer.seekToEnd(consumer.assignment());
            consumer.poll(Duration.ofMillis(10));
            Thread sender = new Thread(
                    () -> sent.set(paced(requestRate, forSeconds, i -> {
                        long ts = System.currentTimeMillis();
                        sentAt.put(idPrefix + i, new long[] {System.nanoTime(), ts});
                        // a request Kafka refused has no answer: counted as missing below
                        producer.send(new ProducerRecord<>(inTopic, null, ts, null, record.apply(i)));
                    })),
                    "requests");
            sender.start();
            long deadline = System.nanoTime() + (forSeconds + 30) * 1_000_000_000L;
            while ((sender.isAlive() || !sentAt.isEmpty()) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(1))) {
                    long received = System.nanoTime();
                    String value = r.value();
                    int at = value.indexOf("\"id\":\"" + idPrefix);
                    if (at >= 0) {
                        String id = value.substring(at + 6, value.indexOf('"', at + 6));
                        long[] t = sentAt.remove(id);
                        if (t != null) {
                            latencies.add((received - t[0]) / 1e6, (double) (r.timestamp() - t[1]), (double)
                                    (System.currentTimeMillis() - r.timestamp()));
                        }
                    }
                }
            }
            sender.join();
        }
        if (!sentAt.isEmpty()) {
            throw new IllegalStateException(sentAt.size() + " of " + sent.get() + " records sent to " + inTopic
                    + " got no answer on " + outTopic + " within 30 s of the last");
        }
        return latencies;
    }
}
