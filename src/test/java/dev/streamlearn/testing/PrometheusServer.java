package dev.streamlearn.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real Prometheus for the tests of the dashboard: Debian's {@code prometheus} (installed by
 * {@code .ci/run} where missing; {@code PROMETHEUS} names another binary), scraping the given
 * targets every second on 127.0.0.1, answering PromQL on a port of its own.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    private PrometheusServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.base = "http://127.0.0.1:" + port;
    }

    /** Starts one that scrapes {@code targets} ({@code host:port}, {@code /metrics}) every second. */
    public static PrometheusServer scraping(List<String> targets, Path dir) throws IOException {
        Path binary = Path.of(System.getenv().getOrDefault("PROMETHEUS", "/usr/bin/prometheus"));
        if (!Files.isExecutable(binary)) {
            throw new AssertionError("no Prometheus for the dashboard's test: install Debian's prometheus (apt-get"
                    + " install -y --no-install-recommends prometheus, as .ci/run does) or set PROMETHEUS");
        }
        Files.createDirectories(dir);
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(
                config,
                "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: flink\n"
                        + "    static_configs:\n      - targets: ["
                        + targets.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(", "))
                        + "]\n");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(
                        binary.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PrometheusServer server = new PrometheusServer(p, log, port);
        Await.until("Prometheus ready on port " + port, Duration.ofSeconds(60), server::ready, server::logTail);
        return server;
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new AssertionError("Prometheus stopped: " + logTail());
        }
        try {
            return http.send(
                                    HttpRequest.newBuilder(URI.create(base + "/-/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The series an instant query returns now (its {@code data.result}); a query Prometheus refuses
     * or fails to evaluate is an error with its message.
     */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(
                                base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new AssertionError(
                    "Prometheus refused " + promql + ": " + body.path("error").asText(r.body()));
        }
        return body.path("data").path("result");
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
