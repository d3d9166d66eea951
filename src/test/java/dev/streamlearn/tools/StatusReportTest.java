package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StatusReportTest {

    @Test
    void namesTheClustersTaskManagersAndTheirSlots() throws Exception {
        assertEquals(
                "TaskManagers: 3, slots 12 (10 free)",
                StatusReport.taskManagers(new ObjectMapper()
                        .readTree(
                                "{\"taskmanagers\":3,\"slots-total\":12,\"slots-available\":10,\"jobs-running\":1}")));
    }
}
