package dev.streamlearn.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * Blocking HTTP POSTs on the JDK's kept-alive connections, one request at a time per thread: for
 * putting load on the gateway. The JDK's asynchronous {@code HttpClient} took most of a core at
 * 1,000 requests/s on this machine, the CPU the gateway and the job under test needed.
 */
public final class KeptAliveHttp {

    /** A status and its body; status -1 when no answer came, and the body says why. */
    public record Answer(int status, String body) {}

    private KeptAliveHttp() {}

    /**
     * Keeps up to {@code connections} idle connections per host open between requests (the JDK
     * keeps 5 by default and closes the others after each request). Call before the first request.
     */
    public static void keepAlive(int connections) {
        System.setProperty("http.maxConnections", String.valueOf(connections));
    }

    public static Answer post(URL url, byte[] json) {
        try {
            HttpURLConnection c = (HttpURLConnection) url.openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(json.length);
            c.setRequestProperty("Content-Type", "application/json");
            c.setConnectTimeout(30_000);
            c.setReadTimeout(30_000);
            try (OutputStream out = c.getOutputStream()) {
                out.write(json);
            }
            int status = c.getResponseCode();
            // read to the end, so that the connection goes back to the keep-alive cache
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        }
    }
}
