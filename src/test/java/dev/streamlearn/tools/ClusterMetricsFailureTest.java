package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClusterMetricsFailureTest {

    @Test
    void aWrappedFailureSaysItsRootCause() {
        String trace =
                """
                org.apache.flink.util.FlinkException: Global failure triggered by OperatorCoordinator for 'Source: Kafka'.
                \tat org.apache.flink.runtime.operators.coordination.OperatorCoordinatorHolder.failJob(X.java:661)
                Caused by: java.lang.RuntimeException: Failed to get metadata for topics [prediction-requests].
                \t... 3 more
                Caused by: org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment.
                """;
        assertEquals(
                "org.apache.flink.util.FlinkException: Global failure triggered by OperatorCoordinator for 'Source:"
                        + " Kafka'; root cause: org.apache.kafka.common.errors.TimeoutException: Timed out waiting"
                        + " for a node assignment.",
                ClusterMetrics.failure("org.apache.flink.util.FlinkException", trace));
    }

    @Test
    void aFailureOfItsOwnIsItsFirstLine() {
        assertEquals(
                "java.lang.IllegalStateException: boom",
                ClusterMetrics.failure(
                        "java.lang.IllegalStateException", "java.lang.IllegalStateException: boom\n\tat x"));
        assertEquals("java.lang.IllegalStateException", ClusterMetrics.failure("java.lang.IllegalStateException", ""));
    }
}
