package dev.streamlearn.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real browser for the tests of pages: Debian's Chromium, headless, which loads a page, runs its
 * scripts for a span of virtual time and prints the document as it then stands. {@code .ci/run}
 * installs it where it is missing; {@code CHROMIUM} names another binary.
 */
public final class HeadlessChromium {

    private HeadlessChromium() {}

    /** The binary, or an error that says how to get one. */
    static Path binary() {
        String named = System.getenv("CHROMIUM");
        for (String candidate : named != null
                ? List.of(named)
                : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AssertionError("no Chromium for the page's test: install Debian's chromium (apt-get install -y"
                + " chromium, as .ci/run does) or set CHROMIUM to a Chromium or Chrome binary");
    }

    /** The document of {@code url} after its scripts ran for {@code scriptTime} of virtual time. */
    public static String renderedDom(String url, Duration scriptTime) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("chromium-profile");
        List<String> command = new ArrayList<>(List.of(
                binary().toString(),
                "--headless",
                "--no-sandbox", // tests may run as root, where Chromium's sandbox refuses to start
                "--disable-gpu",
                // this machine's network is closed: no calls home, no updates, no sync
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=" + scriptTime.toMillis(),
                "--dump-dom",
                url));
        Path out = Files.createTempFile("chromium", ".html");
        Path err = Files.createTempFile("chromium", ".err");
        Process p = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("Chromium did not print " + url + " within 60 s");
        }
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0 || dom.isBlank()) {
            throw new AssertionError("Chromium exited " + p.exitValue() + " on " + url + ":\n"
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return dom;
    }
}
