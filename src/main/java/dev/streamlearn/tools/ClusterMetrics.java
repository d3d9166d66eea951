package dev.streamlearn.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BinaryOperator;

/**
 * Reads a job's operator metrics from a Flink cluster's REST API, the same endpoints the web UI
 * reads ({@code /jobs/<id>/vertices/<vertex>/metrics}).
 */
public final class ClusterMetrics {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String baseUrl;

    public ClusterMetrics(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        return body(path, http.send(request(path), HttpResponse.BodyHandlers.ofString()));
    }

    /**
     * The answers to several paths, in their order, asked all at once: a job has a dozen vertices,
     * and one after the other their listings took a progress line seconds on a busy JobManager.
     */
    public List<JsonNode> getAll(List<String> paths) throws IOException, InterruptedException {
        List<CompletableFuture<HttpResponse<String>>> pending = new ArrayList<>();
        for (String path : paths) {
            pending.add(http.sendAsync(request(path), HttpResponse.BodyHandlers.ofString()));
        }
        List<JsonNode> answers = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            try {
                answers.add(body(paths.get(i), pending.get(i).get()));
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
        return answers;
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
    }

    private static JsonNode body(String path, HttpResponse<String> r) throws IOException {
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Job states in which a job still holds the cluster: it runs, or will run again. */
    static final List<String> ACTIVE_STATES =
            List.of("RUNNING", "RESTARTING", "CREATED", "INITIALIZING", "FAILING", "RECONCILING");

    /** Ids of jobs in state RUNNING. */
    public List<String> runningJobs() throws IOException, InterruptedException {
        return jobsIn(List.of("RUNNING"));
    }

    /** Ids of jobs that run or will run again (restarting after a failure, ...), running ones first. */
    public List<String> activeJobs() throws IOException, InterruptedException {
        List<String> ids = runningJobs();
        for (String id : jobsIn(ACTIVE_STATES)) {
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    private List<String> jobsIn(List<String> states) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        for (JsonNode j : get("/jobs").path("jobs")) {
            if (states.contains(j.path("status").asText())) {
                ids.add(j.path("id").asText());
            }
        }
        return ids;
    }

    /** The job's most recent failure in a line ({@link #failure}), or null when it has none. */
    public String lastException(String jobId) throws IOException, InterruptedException {
        JsonNode history =
                get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
        if (!history.isArray() || history.isEmpty()) {
            return null;
        }
        JsonNode newest = history.get(0);
        String where = newest.path("taskName").asText("");
        return failure(
                        newest.path("exceptionName").asText(),
                        newest.path("stacktrace").asText(""))
                + (where.isEmpty() ? "" : " (in " + where + ")");
    }

    /**
     * A failure in a line: the trace's first line and, when it wraps another, the root cause (the
     * last {@code Caused by}), which is where a source's "Global failure triggered by
     * OperatorCoordinator" says what went wrong (a broker that does not answer, a topic that is gone).
     */
    static String failure(String exceptionName, String trace) {
        if (trace.isEmpty()) {
            return exceptionName;
        }
        String first = trace.lines().findFirst().orElse("");
        String root = null;
        for (String line : (Iterable<String>) trace.lines()::iterator) {
            if (line.startsWith("Caused by: ")) {
                root = line.substring("Caused by: ".length());
            }
        }
        return root == null || first.contains(root) ? first : first.replaceFirst("\\.$", "") + "; root cause: " + root;
    }

    /** The names of a job's operator metrics, per vertex id, as the REST API listed them at one moment. */
    public record MetricIds(String jobId, Map<String, List<String>> byVertex) {

        /** Every name, over all vertices. */
        public List<String> all() {
            List<String> names = new ArrayList<>();
            byVertex.values().forEach(names::addAll);
            return names;
        }
    }

    /** Lists the operator metrics of the job whose overview ({@code /jobs/<id>}) is given. */
    public MetricIds metricIds(String jobId, JsonNode overview) throws IOException, InterruptedException {
        List<String> vertices = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (JsonNode vertex : overview.path("vertices")) {
            vertices.add(vertex.path("id").asText());
            paths.add(vertexMetrics(jobId, vertex.path("id").asText()));
        }
        List<JsonNode> listings = getAll(paths);
        Map<String, List<String>> byVertex = new LinkedHashMap<>();
        for (int v = 0; v < vertices.size(); v++) {
            List<String> names = new ArrayList<>();
            for (JsonNode m : listings.get(v)) {
                names.add(m.path("id").asText());
            }
            byVertex.put(vertices.get(v), names);
        }
        return new MetricIds(jobId, byVertex);
    }

    public MetricIds metricIds(String jobId) throws IOException, InterruptedException {
        return metricIds(jobId, get("/jobs/" + jobId));
    }

    /**
     * How long after a request for metrics the values of the fetch it started are read. The REST
     * API answers metrics, and their listing, from a cache, and a request to it starts a fetch when
     * the cache is older than metrics.fetcher.update-interval (1 s in flink-conf): what is read
     * once after a quiet spell is as old as the spell, and a metric registered during it is not
     * even listed. The fetch lands in tens of ms, so what is read this long after a request is at
     * most that interval old.
     */
    public static final long FETCH_LANDS_MILLIS = 300;

    /**
     * As {@link #metricIds(String, JsonNode)}, listed after a fetch that this call starts has
     * landed: the metrics the job has now, whose values read next are as recent.
     */
    public MetricIds freshMetricIds(String jobId, JsonNode overview) throws IOException, InterruptedException {
        long askedAt = System.nanoTime();
        get("/jobs/" + jobId + "/metrics"); // any metrics request starts the fetch; the job's own list is short
        long wait = FETCH_LANDS_MILLIS - (System.nanoTime() - askedAt) / 1_000_000;
        if (wait > 0) {
            Thread.sleep(wait);
        }
        return metricIds(jobId, overview);
    }

    /** As {@link #freshMetricIds(String, JsonNode)}. */
    public MetricIds freshMetricIds(String jobId) throws IOException, InterruptedException {
        return freshMetricIds(jobId, get("/jobs/" + jobId));
    }

    /**
     * Values of every metric of the job whose name ends with one of the suffixes, summed over
     * subtasks and vertices (NaN values, from subtasks that do not hold a model, are skipped).
     */
    public Map<String, Double> sums(String jobId, String... suffixes) throws IOException, InterruptedException {
        return sums(metricIds(jobId), suffixes);
    }

    /** As {@link #sums(String, String...)}, over metrics already listed. */
    public Map<String, Double> sums(MetricIds ids, String... suffixes) throws IOException, InterruptedException {
        return merged(ids, Double::sum, suffixes);
    }

    /** As {@link #sums}, but the largest value over subtasks: for percentiles and other non-additive values. */
    public Map<String, Double> maxima(String jobId, String... suffixes) throws IOException, InterruptedException {
        return maxima(metricIds(jobId), suffixes);
    }

    /** As {@link #maxima(String, String...)}, over metrics already listed. */
    public Map<String, Double> maxima(MetricIds ids, String... suffixes) throws IOException, InterruptedException {
        return merged(ids, Math::max, suffixes);
    }

    /** As {@link #maxima}, the smallest value over subtasks: what every subtask has reached. */
    public Map<String, Double> minima(String jobId, String... suffixes) throws IOException, InterruptedException {
        return minima(metricIds(jobId), suffixes);
    }

    /** As {@link #minima(String, String...)}, over metrics already listed. */
    public Map<String, Double> minima(MetricIds ids, String... suffixes) throws IOException, InterruptedException {
        return merged(ids, Math::min, suffixes);
    }

    /**
     * The sums of some metrics of one job, for asking often (a benchmark polls ten times a second).
     * Listing every vertex's metrics costs the JobManager and the caller far more than reading a
     * few values: a poll that listed them took a fifth of a core on the two-core machine, more for
     * a job with more vertices, the very job it measured. So the listing is kept, and made again
     * only while a wanted metric is missing from it or once it is {@code relistAfterNanos} old (a
     * subtask whose metrics are registered later is counted from then on).
     */
    public final class Watch {
        private final String jobId;
        private final String[] suffixes;
        private final long relistAfterNanos;
        private MetricIds ids;
        private long listedAtNanos;

        private Watch(String jobId, long relistAfterNanos, String... suffixes) {
            this.jobId = jobId;
            this.suffixes = suffixes;
            this.relistAfterNanos = relistAfterNanos;
        }

        /** As {@link ClusterMetrics#sums(String, String...)}. */
        public Map<String, Double> sums() throws IOException, InterruptedException {
            long now = System.nanoTime();
            if (ids == null || now - listedAtNanos >= relistAfterNanos) {
                ids = metricIds(jobId);
                listedAtNanos = now;
            }
            Map<String, Double> sums = ClusterMetrics.this.sums(ids, suffixes);
            if (sums.size() < suffixes.length) {
                ids = null; // a metric not listed yet: list again at the next poll
            }
            return sums;
        }
    }

    /** A {@link Watch} over the job's metrics that end with the suffixes, listed again at most every {@code relistAfter}. */
    public Watch watch(String jobId, Duration relistAfter, String... suffixes) {
        return new Watch(jobId, relistAfter.toNanos(), suffixes);
    }

    /** Encoded metric names per request, well under the REST server's 4,096-byte request line with the path. */
    private static final int MAX_QUERY_CHARS = 3000;

    private static String vertexMetrics(String jobId, String vertexId) {
        return "/jobs/" + jobId + "/vertices/" + vertexId + "/metrics";
    }

    private Map<String, Double> merged(MetricIds ids, BinaryOperator<Double> merge, String... suffixes)
            throws IOException, InterruptedException {
        List<String> paths = new ArrayList<>();
        for (Map.Entry<String, List<String>> vertex : ids.byVertex().entrySet()) {
            List<String> wanted = new ArrayList<>();
            for (String id : vertex.getValue()) {
                for (String s : suffixes) {
                    if (id.endsWith(s)) {
                        wanted.add(id);
                    }
                }
            }
            // the REST server refuses a request line over 4,096 bytes: many metrics take several requests
            StringBuilder query = new StringBuilder();
            for (String id : wanted) {
                String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8);
                if (query.length() > 0 && query.length() + encoded.length() > MAX_QUERY_CHARS) {
                    paths.add(vertexMetrics(ids.jobId(), vertex.getKey()) + "?get=" + query);
                    query.setLength(0);
                }
                query.append(query.length() > 0 ? "%2C" : "").append(encoded);
            }
            if (query.length() > 0) {
                paths.add(vertexMetrics(ids.jobId(), vertex.getKey()) + "?get=" + query);
            }
        }
        Map<String, Double> sums = new LinkedHashMap<>();
        for (JsonNode values : getAll(paths)) {
            for (JsonNode m : values) {
                String id = m.path("id").asText();
                double v = parse(m.path("value").asText());
                if (Double.isNaN(v)) {
                    continue;
                }
                for (String s : suffixes) {
                    if (id.endsWith(s)) {
                        sums.merge(s, v, merge);
                    }
                }
            }
        }
        return sums;
    }

    private static double parse(String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
