package dev.streamlearn.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where the CPU time of a JFR recording went (scripts/profile): the share of execution samples per
 * thread, per method on top of the stack (self time) and per method anywhere on the stack
 * (total time), so a profile of the TaskManager reads as a table without a GUI.
 */
@Command(
        name = "scripts/profile",
        mixinStandardHelpOptions = true,
        description = "Summarizes the CPU samples of a JFR recording.")
public final class ProfileSummary implements Callable<Integer> {

    @Option(names = "--file", required = true, paramLabel = "JFR", description = "The recording.")
    Path file;

    @Option(names = "--top", defaultValue = "20", paramLabel = "N", description = "Rows per table.")
    int top;

    @Option(
            names = "--threads",
            paramLabel = "REGEX",
            description = "Only samples of threads whose name matches (e.g. '.*Trainer.*').")
    String threads;

    @Option(
            names = "--focus",
            defaultValue = "dev.streamlearn.,com.fasterxml.,dev.streamlearn.shaded.,org.apache.kafka.,java.util.zip.",
            split = ",",
            paramLabel = "PREFIX,...",
            description = "Classes whose methods the total-time table lists (default: the job's, its JSON and"
                    + " Kafka libraries').")
    List<String> focus;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        Tool.exit(new ProfileSummary(), args);
    }

    @Override
    public Integer call() throws IOException {
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        int samples = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                String thread = e.getThread("sampledThread") == null
                        ? "?"
                        : e.getThread("sampledThread").getJavaName();
                if (threads != null && (thread == null || !thread.matches(threads))) {
                    continue;
                }
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                byThread.merge(threadGroup(thread), 1, Integer::sum);
                List<RecordedFrame> frames = stack.getFrames();
                self.merge(name(frames.get(0)), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (focused(n) && seen.add(n)) {
                        total.merge(n, 1, Integer::sum);
                    }
                }
            }
        }
        if (samples == 0) {
            throw new IllegalArgumentException(
                    "no CPU samples in " + file + (threads == null ? "" : " for " + threads));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%d CPU samples in %s%n", samples, file.getFileName());
        print(out, "thread (numbers stripped)", byThread, samples);
        print(out, "self: method on top of the stack", self, samples);
        print(out, "total: method anywhere on the stack (--focus)", total, samples);
        return 0;
    }

    private void print(PrintWriter out, String title, Map<String, Integer> counts, int samples) {
        out.printf("%n| %s | share |%n|---|---|%n", title);
        counts.entrySet().stream()
                .sorted((a, b) -> Integer.compare(b.getValue(), a.getValue()))
                .limit(top)
                .forEach(e -> out.printf("| %s | %.1f %% |%n", e.getKey(), 100.0 * e.getValue() / samples));
    }

    private boolean focused(String method) {
        for (String prefix : focus) {
            if (method.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** Flink names task threads "<operator chain> (1/2)#0": one group per chain, not per subtask. */
    private static String threadGroup(String thread) {
        return thread == null
                ? "?"
                : thread.replaceAll("\\(\\d+/\\d+\\)#\\d+", "")
                        .replaceAll("-\\d+", "-N")
                        .trim();
    }
}
