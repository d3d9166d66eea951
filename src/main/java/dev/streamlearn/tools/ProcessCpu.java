package dev.streamlearn.tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CPU that every process of the machine used while it was watched, summed by the kind of
 * process (a TaskManager, the Kafka broker, a tool by name ...): where a build's or a run's time
 * went on a machine whose cores it keeps busy. Read from /proc at each {@link #sample()}; a
 * process that lived between two samples is missed, so samples are taken often.
 */
final class ProcessCpu {

    /** A process seen: its kind and its ticks when first and last seen. */
    private static final class Seen {
        String kind;
        final long firstTicks;
        final boolean bornWhileWatched;
        long lastTicks;

        Seen(String kind, long ticks, boolean bornWhileWatched) {
            this.kind = kind;
            this.firstTicks = ticks;
            this.lastTicks = ticks;
            this.bornWhileWatched = bornWhileWatched;
        }

        /** Its ticks while watched: all of them for a process started since the first sample. */
        long used() {
            return bornWhileWatched ? lastTicks : lastTicks - firstTicks;
        }
    }

    /** The CPU of one kind of process. */
    record Use(String kind, int processes, double seconds) {}

    private static final String OTHER = "other programs";
    private static final Pattern TOOL = Pattern.compile("dev\\.streamlearn\\.tools\\.(\\w+)");
    private static final Pattern CLI = Pattern.compile("CliFrontend (\\w+)");
    /** What a command line holds, and the kind of process it names, in the order they are tried. */
    private static final Map<String, String> KINDS_BY_MARKER = new LinkedHashMap<>();

    static {
        KINDS_BY_MARKER.put("TaskManagerRunner", "stack: TaskManager");
        KINDS_BY_MARKER.put("ClusterEntrypoint", "stack: JobManager");
        KINDS_BY_MARKER.put("kafka.Kafka ", "stack: Kafka broker");
        KINDS_BY_MARKER.put("BashJavaUtils", "Flink memory options (BashJavaUtils)");
        KINDS_BY_MARKER.put("jdk.compiler", "javac");
        KINDS_BY_MARKER.put("plexus-classworlds", "Maven");
        KINDS_BY_MARKER.put("chromium", "Chromium");
        KINDS_BY_MARKER.put("prometheus", "Prometheus");
    }

    private final Path proc;
    private final Map<String, Seen> seen = new HashMap<>();
    private boolean first = true;

    ProcessCpu(Path proc) {
        this.proc = proc;
    }

    /** Reads every process's ticks once. */
    void sample() throws IOException {
        try (DirectoryStream<Path> all =
                Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path dir : all) {
                String pid = dir.getFileName().toString();
                try {
                    long ticks = ThreadCpu.ticks(Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8));
                    Seen s = seen.get(pid);
                    if (s == null) {
                        seen.put(pid, new Seen(kindOf(commandLine(dir)), ticks, !first));
                    } else {
                        s.lastTicks = Math.max(s.lastTicks, ticks);
                        if (s.kind.equals(OTHER)) {
                            s.kind = kindOf(commandLine(dir)); // a script that has since become the JVM it ran (exec)
                        }
                    }
                } catch (IOException e) {
                    // it ended between the listing and the reading (no such file, or no such process)
                }
            }
        }
        first = false;
    }

    /** CPU seconds by kind of process, the largest first. */
    List<Use> byKind(long ticksPerSecond) {
        Map<String, long[]> sums = new LinkedHashMap<>();
        for (Seen s : seen.values()) {
            long[] sum = sums.computeIfAbsent(s.kind, k -> new long[2]);
            sum[0] += s.used();
            sum[1]++;
        }
        List<Use> uses = new ArrayList<>();
        sums.forEach((kind, sum) -> uses.add(new Use(kind, (int) sum[1], (double) sum[0] / ticksPerSecond)));
        uses.sort((a, b) -> Double.compare(b.seconds(), a.seconds()));
        return uses;
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    private static String commandLine(Path dir) throws IOException {
        byte[] raw = Files.readAllBytes(dir.resolve("cmdline"));
        return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
    }

    /** The kind of a process by its command line: what the build and the local stack start. */
    static String kindOf(String commandLine) {
        if (commandLine.isEmpty()) {
            return "kernel threads and exiting processes";
        }
        Matcher cli = CLI.matcher(commandLine);
        if (cli.find()) {
            return "Flink CLI, " + cli.group(1);
        }
        if (commandLine.contains("surefire") || commandLine.contains("failsafe")) {
            return "test JVMs (unit tests, MiniCluster scenarios, the stack tests' drivers)";
        }
        Matcher tool = TOOL.matcher(commandLine);
        if (tool.find()) {
            return "tool " + tool.group(1);
        }
        for (Map.Entry<String, String> marked : KINDS_BY_MARKER.entrySet()) {
            if (commandLine.contains(marked.getKey())) {
                return marked.getValue();
            }
        }
        if (commandLine.startsWith("java ") || commandLine.contains("/java ")) {
            return "other JVMs";
        }
        return OTHER;
    }
}
