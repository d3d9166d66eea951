package dev.streamlearn.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamlearn.datasets.ClickStream;
import dev.streamlearn.job.Topic;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "scripts/bench-gateway",
        mixinStandardHelpOptions = true,
        description = {
            "The same prediction requests at the same rate through the gateway (HTTP, Open Inference Protocol) and"
                    + " straight through Kafka (request topic -> predictions topic), in alternating rounds on the"
                    + " running job: p50 / p99 / p999 of each round trip, and the paired difference per round."
        })
public final class GatewayBench implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Connections to the gateway: at 2,000 requests/s each has 16 ms for its answer before its next request is due. */
    private static final int CONNECTIONS = 32;

    static {
        KeptAliveHttp.keepAlive(CONNECTIONS);
    }

    @Mixin
    KafkaClientOptions kafka;

    @Option(
            names = "--gateway",
            paramLabel = "URL",
            defaultValue = "http://127.0.0.1:8090",
            description = "The gateway (default: the local stack's, ${DEFAULT-VALUE} unless GATEWAY_PORT moves it).")
    String gateway;

    @Option(names = "--model", paramLabel = "ID", defaultValue = "ctr")
    String model;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "2000", description = "Requests per second.")
    int rate;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "15", description = "Each path, each round.")
    int seconds;

    @Option(names = "--rounds", paramLabel = "K", defaultValue = "3")
    int rounds;

    @Option(
            names = "--warmup",
            paramLabel = "S",
            defaultValue = "5",
            description =
                    "Each path at the rate before the rounds, not counted (the JIT of the gateway and of this JVM).")
    int warmup;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        Tool.exit(new GatewayBench(), args);
    }

    @Override
    public Integer call() throws Exception {
        ClickStream.Spec click = new ClickStream.Spec();
        click.model = model;
        ClickStream stream = new ClickStream(click);
        String[] requests = new String[20_000];
        String[] infers = new String[requests.length];
        for (int i = 0; i < requests.length; i++) {
            String request = stream.next().asRequest("");
            requests[i] = request.substring(request.indexOf(',') + 1); // without the id, which goes in front
            infers[i] = infer(JSON.readTree(request).get("features"));
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%d requests/s of model %s, %d s per path and round%n%n", rate, model, seconds);
        out.println("| round | path | p50 (ms) | p99 (ms) | p999 (ms) | answered |");
        out.println("|---|---|---|---|---|---|");
        if (warmup > 0) {
            throughKafka(requests, "gwb-" + run + "-warmup-", warmup);
            throughGateway(infers, warmup);
        }
        double[] p50Gaps = new double[rounds];
        double[] p99Gaps = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            double[] viaKafka;
            double[] viaGateway;
            String prefix = "gwb-" + run + "-" + r + "-";
            if (r % 2 == 0) {
                viaKafka = throughKafka(requests, prefix, seconds);
                viaGateway = throughGateway(infers, seconds);
            } else {
                viaGateway = throughGateway(infers, seconds);
                viaKafka = throughKafka(requests, prefix, seconds);
            }
            print(out, r + 1, "Kafka (requests -> predictions)", viaKafka);
            print(out, r + 1, "gateway (HTTP infer)", viaGateway);
            p50Gaps[r] = Latencies.percentile(viaGateway, 0.5) - Latencies.percentile(viaKafka, 0.5);
            p99Gaps[r] = Latencies.percentile(viaGateway, 0.99) - Latencies.percentile(viaKafka, 0.99);
        }
        Arrays.sort(p50Gaps);
        Arrays.sort(p99Gaps);
        out.printf(
                "%ngateway - Kafka, median of %d rounds (min..max): p50 %+.1f ms (%+.1f..%+.1f), p99 %+.1f ms"
                        + " (%+.1f..%+.1f)%n",
                rounds,
                p50Gaps[rounds / 2],
                p50Gaps[0],
                p50Gaps[rounds - 1],
                p99Gaps[rounds / 2],
                p99Gaps[0],
                p99Gaps[rounds - 1]);
        return 0;
    }

    /** A single-row infer request of the features: a tensor per feature. */
    private static String infer(JsonNode features) {
        ObjectNode request = JSON.createObjectNode();
        ArrayNode inputs = request.putArray("inputs");
        for (Map.Entry<String, JsonNode> f : features.properties()) {
            ObjectNode input = inputs.addObject();
            input.put("name", f.getKey());
            input.put(
                    "datatype",
                    f.getValue().isTextual() ? "BYTES" : f.getValue().isBoolean() ? "BOOL" : "FP64");
            input.putArray("shape").add(1);
            input.putArray("data").add(f.getValue());
        }
        return request.toString();
    }

    /** Sorted round trips in ms through Kafka; fails when any request got no prediction. */
    @SuppressWarnings("FutureReturnValueIgnored") // a refused request has no answer: counted as missing
    private double[] throughKafka(String[] requests, String prefix, int seconds) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<Double> millis = new ArrayList<>();
        AtomicLong sent = new AtomicLong();
        try (KafkaConsumer<String, String> consumer =
                        kafka.fromNowOn(Topic.PREDICTIONS.defaultName, "fetch.max.wait.ms", "5");
                KafkaProducer<String, String> producer = kafka.stringProducer("linger.ms", "0")) {
            Thread sender = new Thread(
                    () -> sent.set(EndToEndBench.paced(rate, seconds, i -> {
                        sentAt.put(prefix + i, System.nanoTime());
                        producer.send(new ProducerRecord<>(
                                Topic.REQUESTS.defaultName,
                                "{\"id\":\"" + prefix + i + "\"," + requests[i % requests.length]));
                    })),
                    "requests");
            sender.start();
            long deadline = System.nanoTime() + (seconds + 30) * 1_000_000_000L;
            while ((sender.isAlive() || !sentAt.isEmpty()) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(1))) {
                    long received = System.nanoTime();
                    String value = r.value();
                    int at = value.indexOf("\"id\":\"" + prefix);
                    if (at >= 0) {
                        Long t = sentAt.remove(value.substring(at + 6, value.indexOf('"', at + 6)));
                        if (t != null) {
                            millis.add((received - t) / 1e6);
                        }
                    }
                }
            }
            sender.join();
        }
        if (!sentAt.isEmpty()) {
            throw new IllegalStateException(
                    sentAt.size() + " of " + sent.get() + " requests sent to Kafka got no prediction within 30 s");
        }
        return sorted(millis);
    }

    /**
     * Sorted round trips in ms through the gateway; fails when any request was not answered 200.
     * {@link KeptAliveHttp} connections, each on a thread of its own that sends its share of the
     * requests at their due times. A request waits for its connection when the answer before it
     * is late; its time counts from when it was due.
     */
    private double[] throughGateway(String[] infers, int seconds) throws Exception {
        URL url = URI.create(gateway + "/v2/models/" + model + "/infer").toURL();
        byte[][] bodies = new byte[infers.length][];
        for (int i = 0; i < infers.length; i++) {
            bodies[i] = infers[i].getBytes(StandardCharsets.UTF_8);
        }
        int total = (int) Math.min(Integer.MAX_VALUE, (long) rate * seconds);
        double[] millis = new double[total];
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        Thread[] connections = new Thread[CONNECTIONS];
        for (int k = 0; k < CONNECTIONS; k++) {
            int first = k;
            connections[k] = new Thread(
                    () -> {
                        for (int i = first; i < total; i += CONNECTIONS) {
                            long due = start + (long) (i * 1e9 / rate);
                            long wait;
                            while ((wait = due - System.nanoTime()) > 0) {
                                LockSupport.parkNanos(wait);
                            }
                            KeptAliveHttp.Answer answer = KeptAliveHttp.post(url, bodies[i % bodies.length]);
                            if (answer.status() == 200) {
                                millis[i] = (System.nanoTime() - due) / 1e6;
                            } else {
                                millis[i] = Double.NaN;
                                failures.add(answer.status() + " " + answer.body());
                            }
                        }
                    },
                    "gateway-connection-" + k);
            connections[k].start();
        }
        for (Thread c : connections) {
            c.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " of " + total
                    + " requests to the gateway were not answered 200 (first: " + failures.peek() + ")");
        }
        Arrays.sort(millis);
        return millis;
    }

    private static double[] sorted(List<Double> values) {
        double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }

    private static void print(PrintWriter out, int round, String path, double[] sorted) {
        out.printf(
                "| %d | %s | %.1f | %.1f | %.1f | %d |%n",
                round,
                path,
                Latencies.percentile(sorted, 0.5),
                Latencies.percentile(sorted, 0.99),
                Latencies.percentile(sorted, 0.999),
                sorted.length);
    }
}
