package dev.streamlearn.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * CPU time that the threads of local processes have used, from Linux's {@code /proc}, in clock
 * ticks: per process and per group of threads of the same name (the kernel keeps the first 15
 * characters of a Java thread's name), and the machine's busy time. Two readings apart say where
 * a benchmark's CPU went.
 */
final class ThreadCpu {

    /**
     * What one reading found: per process, ticks per group of its live threads and ticks of the
     * whole process (which keeps the time of threads that have ended: a pool's or the JIT's threads
     * come and go, and taking their ticks away made a process's sum fall); the machine's busy ticks.
     */
    record Reading(Map<String, Map<String, Long>> byProcess, Map<String, Long> processTicks, long machineBusy) {}

    private final Map<String, Long> pids;

    /** @param pids per process name, its pid */
    ThreadCpu(Map<String, Long> pids) {
        this.pids = pids;
    }

    Reading read() throws IOException {
        Map<String, Map<String, Long>> byProcess = new LinkedHashMap<>();
        Map<String, Long> processTicks = new LinkedHashMap<>();
        for (var e : pids.entrySet()) {
            byProcess.put(e.getKey(), threadGroups(e.getValue()));
            processTicks.put(
                    e.getKey(),
                    ticks(Files.readString(Path.of("/proc", e.getValue().toString(), "stat"), StandardCharsets.UTF_8)));
        }
        return new Reading(
                byProcess,
                processTicks,
                busyTicks(Files.readAllLines(Path.of("/proc/stat")).get(0)));
    }

    /** Ticks per thread group of a process; threads that end between two readings take their ticks with them. */
    private static Map<String, Long> threadGroups(long pid) throws IOException {
        Map<String, Long> groups = new TreeMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            throw new IOException("no process " + pid + " (" + tasks + " is not there)");
        }
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"), StandardCharsets.UTF_8);
                } catch (NoSuchFileException e) {
                    continue; // the thread ended while the directory was read
                }
                groups.merge(group(name(stat)), ticks(stat), Long::sum);
            }
        }
        return groups;
    }

    /** The thread's name in a {@code /proc/<pid>/task/<tid>/stat} line: between the first '(' and the last ')'. */
    static String name(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    /** User and system ticks of a stat line (its 14th and 15th fields; the name may hold spaces and parentheses). */
    static long ticks(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ", -1);
        return Long.parseLong(after[11]) + Long.parseLong(after[12]); // field 3 is after[0]
    }

    /** Threads of one pool or kind together: "GC Thread#1" and "GC Thread#0" are "GC Thread". */
    static String group(String name) {
        return name.replaceAll("[#-]?\\d+$", "").trim();
    }

    /** Busy ticks of all CPUs in the first line of {@code /proc/stat}: all but idle and waiting for I/O. */
    static long busyTicks(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+", -1);
        if (!f[0].equals("cpu")) {
            throw new IllegalArgumentException("not the first line of /proc/stat: " + cpuLine);
        }
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        return total - Long.parseLong(f[4]) - Long.parseLong(f[5]);
    }

    /** The kernel's clock ticks per second, as {@code getconf CLK_TCK} says. */
    static long ticksPerSecond() throws IOException, InterruptedException {
        Process getconf = new ProcessBuilder(List.of("getconf", "CLK_TCK"))
                .redirectErrorStream(true)
                .start();
        String out;
        try (InputStream in = getconf.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        if (!getconf.waitFor(10, TimeUnit.SECONDS) || getconf.exitValue() != 0 || !out.matches("\\d+")) {
            throw new IOException("'getconf CLK_TCK' did not say the clock ticks per second: " + out);
        }
        return Long.parseLong(out);
    }
}
