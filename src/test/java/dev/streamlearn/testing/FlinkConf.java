package dev.streamlearn.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;

/** The repository's flink-conf/config.yaml, with the folders and timings a test or a local run needs. */
public final class FlinkConf {

    private FlinkConf() {}

    public static Configuration load(Path stateDir, Duration checkpointInterval) {
        Configuration conf = GlobalConfiguration.loadConfiguration(
                Path.of("flink-conf").toAbsolutePath().toString());
        conf.addAll(Configuration.fromMap(Map.of(
                "execution.checkpointing.dir",
                stateDir.resolve("checkpoints").toUri().toString(),
                "execution.checkpointing.savepoint-dir",
                stateDir.resolve("savepoints").toUri().toString(),
                "execution.checkpointing.interval",
                checkpointInterval.toMillis() + " ms",
                "execution.checkpointing.min-pause",
                "0 ms")));
        return conf;
    }
}
