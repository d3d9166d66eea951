package dev.streamlearn.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFailedCheckpointIsToldByFlinksStatedReasonInAFewWords() throws Exception {
        String startup =
                "{\"id\":1,\"failure_message\":\"Checkpoint triggering task Join outcomes to impressions (1/2) of job"
                        + " 2195 is not being executed at the moment. Aborting checkpoint. Failure reason: Not all required"
                        + " tasks are currently running.\"}";
        assertEquals("Not all required tasks are currently running.", Status.failureReason(JSON.readTree(startup)));
        String long120 = "x".repeat(200);
        assertEquals(
                120,
                Status.failureReason(JSON.readTree("{\"failure_message\":\"" + long120 + "\"}"))
                        .length());
        assertEquals("unknown", Status.failureReason(JSON.readTree("{}")));
    }
}
