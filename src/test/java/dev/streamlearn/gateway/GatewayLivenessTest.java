package dev.streamlearn.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.job.JobConfig;
import dev.streamlearn.job.Topic;
import dev.streamlearn.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class GatewayLivenessTest {

    @Test
    void aGatewayWhoseReadersStoppedSaysItIsNotLive() throws Exception {
        JobConfig config =
                JobConfig.fromArgs(new String[] {"--models", "m", "--kafka.bootstrap-servers", "127.0.0.1:1"});
        // no broker answers, and the client gives up at once: each reader's thread ends of the failure
        Properties failFast = new Properties();
        failFast.put("default.api.timeout.ms", "200");
        failFast.put("request.timeout.ms", "200");
        Gateway.Settings settings = new Gateway.Settings(
                "127.0.0.1",
                0,
                "127.0.0.1:1",
                failFast,
                config.topic(Topic.REQUESTS),
                config.topic(Topic.PREDICTIONS),
                config.topic(Topic.MODEL_LOG),
                config.models(),
                config.inputLimits(),
                Duration.ofSeconds(1),
                10);
        try (Gateway gateway = new Gateway(settings, null)) {
            Await.until("the readers ended", Duration.ofSeconds(30), () -> !gateway.live());
            HttpResponse<String> live = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v2/health/live"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(503, live.statusCode());
            assertTrue(live.body().contains("\"live\":false"), live.body());
        }
    }
}
