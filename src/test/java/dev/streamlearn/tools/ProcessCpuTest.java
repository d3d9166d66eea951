package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessCpuTest {

    @TempDir
    Path proc;

    @Test
    void countsWhatEachKindUsedWhileWatched() throws IOException {
        process("10", "java -cp x org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir c", 500);
        process("11", "bash scripts/replay --file f", 0);
        ProcessCpu cpu = new ProcessCpu(proc);
        cpu.sample();
        // the TaskManager was there before: only what it used since counts; the replay script became its JVM
        process("10", "java -cp x org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir c", 800);
        process("11", "java -cp tools.jar dev.streamlearn.tools.Replay --file f", 150);
        process("12", "java -cp lib/* org.apache.flink.client.cli.CliFrontend run -d job.jar", 170);
        process("13", "java -cp lib/* org.apache.flink.runtime.taskexecutor.TaskManagerRunner", 100);
        cpu.sample();
        Files.writeString(proc.resolve("self"), "not a process");
        process("13", "java -cp lib/* org.apache.flink.runtime.taskexecutor.TaskManagerRunner", 120);
        cpu.sample();

        assertEquals(
                List.of(
                        new ProcessCpu.Use("stack: TaskManager", 2, 4.2),
                        new ProcessCpu.Use("Flink CLI, run", 1, 1.7),
                        new ProcessCpu.Use("tool Replay", 1, 1.5)),
                cpu.byKind(100));
    }

    @Test
    void namesTheKindsOfABuild() {
        assertEquals("stack: Kafka broker", ProcessCpu.kindOf("java -Xmx512m -cp lib/kafka/* kafka.Kafka conf"));
        assertEquals("Flink CLI, cancel", ProcessCpu.kindOf("java org.apache.flink.client.cli.CliFrontend cancel 1"));
        assertEquals(
                "test JVMs (unit tests, MiniCluster scenarios, the stack tests' drivers)",
                ProcessCpu.kindOf("java -jar target/surefire/surefirebooter.jar"));
        assertEquals("other programs", ProcessCpu.kindOf("bash scripts/up"));
    }

    private void process(String pid, String commandLine, long ticks) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(pid));
        // pid (comm) state and fields up to utime (14) and stime (15): utime carries all the ticks
        Files.writeString(
                dir.resolve("stat"),
                pid + " (java) S 1 1 1 0 -1 4194560 0 0 0 0 " + ticks + " 0 0 0 20 0 1 0",
                StandardCharsets.UTF_8);
        Files.write(dir.resolve("cmdline"), commandLine.replace(' ', '\0').getBytes(StandardCharsets.UTF_8));
    }
}
