package dev.streamlearn.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class InferenceProtocolTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static InferenceProtocol.Rows rows(String body) throws InferenceProtocol.Refusal {
        return InferenceProtocol.rows("ctr", body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rowIOfEveryTensorIsOneRequestWithItsFeaturesTyped() throws Exception {
        InferenceProtocol.Rows r = rows("{\"id\":\"call-7\",\"parameters\":{\"explain\":true},\"inputs\":["
                + "{\"name\":\"site\",\"shape\":[2],\"datatype\":\"BYTES\",\"data\":[\"a.com\",\"b.org\"]},"
                + "{\"name\":\"price\",\"shape\":[2,1],\"datatype\":\"FP64\",\"data\":[2.5,null]},"
                + "{\"name\":\"mobile\",\"shape\":[2],\"datatype\":\"BOOL\",\"data\":[true,false]}]}");
        assertEquals("call-7", r.requestId());
        assertTrue(r.explain());
        assertEquals(2, r.requests().size());
        assertEquals(
                JSON.readTree("{\"model\":\"ctr\",\"features\":{\"site\":\"a.com\",\"price\":2.5,\"mobile\":true},"
                        + "\"explain\":true}"),
                r.requests().get(0));
        assertEquals(
                JSON.readTree(
                        "{\"model\":\"ctr\",\"features\":{\"site\":\"b.org\",\"mobile\":false},\"explain\":true}"),
                r.requests().get(1),
                "a null leaves the feature out of its row");
        assertFalse(rows("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"INT64\",\"data\":[3]}],"
                        + "\"parameters\":{\"log\":true}}")
                .requests()
                .get(0)
                .has("explain"));
    }

    @Test
    void dataOfShapeRowsByOneMayBeNestedAsItsShape() throws Exception {
        InferenceProtocol.Rows nested = rows(
                """
                {"inputs":[{"name":"price","shape":[3,1],"datatype":"FP32","data":[[2.5],[null],[4]]},
                 {"name":"site","shape":[3,1],"datatype":"BYTES","data":["a.com",["b.org"],["c.net"]]}]}""");
        assertEquals(3, nested.requests().size());
        assertEquals(
                JSON.readTree("{\"model\":\"ctr\",\"features\":{\"price\":2.5,\"site\":\"a.com\"}}"),
                nested.requests().get(0));
        assertEquals(
                JSON.readTree("{\"model\":\"ctr\",\"features\":{\"site\":\"b.org\"}}"),
                nested.requests().get(1),
                "a nested null leaves the feature out of its row");
        assertEquals(4, nested.requests().get(2).get("features").get("price").intValue());
    }

    @Test
    void aMalformedRequestIsRefusedWithWhatToSend() {
        for (String[] bad : new String[][] {
            {"{\"inputs\":", "not JSON"},
            {"[1]", "\"inputs\""},
            {"{\"inputs\":[]}", "non-empty"},
            {"{\"inputs\":[{\"shape\":[1],\"datatype\":\"FP64\",\"data\":[1]}]}", "\"name\""},
            {"{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP64\",\"data\":[1]}]}", "does not match"},
            {"{\"inputs\":[{\"name\":\"x\",\"shape\":[1,2],\"datatype\":\"FP64\",\"data\":[1,2]}]}", "[rows, 1]"},
            {"{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[\"a\"]}]}", "FP64"},
            {"{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[[1]]}]}", "[rows, 1]"},
            {"{\"inputs\":[{\"name\":\"x\",\"shape\":[1,1],\"datatype\":\"FP64\",\"data\":[[1,2]]}]}", "a row holds"},
            {"{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[1]}]}", "send strings"},
            {"{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"COMPLEX\",\"data\":[1]}]}", "datatype"},
            {
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[1]},"
                        + "{\"name\":\"y\",\"shape\":[2],\"datatype\":\"FP64\",\"data\":[1,2]}]}",
                "2 rows"
            },
            {
                "{\"parameters\":{\"explain\":\"yes\"},"
                        + "\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP64\",\"data\":[1]}]}",
                "true or false"
            }
        }) {
            InferenceProtocol.Refusal r = assertThrows(InferenceProtocol.Refusal.class, () -> rows(bad[0]), bad[0]);
            assertEquals(400, r.status);
            assertTrue(r.getMessage().contains(bad[1]), bad[0] + " -> " + r.getMessage());
        }
    }

    @Test
    void theResponseCarriesAScorePerRowAndTheNewestVersionThatScoredThem() throws Exception {
        List<JsonNode> predictions = List.of(
                JSON.readTree("{\"id\":\"a\",\"modelVersion\":41,\"score\":0.25,\"explanation\":{\"bias\":-1}}"),
                JSON.readTree("{\"id\":\"b\",\"modelVersion\":42,\"score\":0.5,\"explanation\":{\"bias\":-2}}"));
        ObjectNode response = InferenceProtocol.response("ctr", "call-7", predictions, true);
        assertEquals(
                JSON.readTree(
                        "{\"model_name\":\"ctr\",\"model_version\":\"42\",\"id\":\"call-7\",\"parameters\":"
                                + "{\"model_versions\":[41,42],\"explanations\":[{\"bias\":-1},{\"bias\":-2}]},"
                                + "\"outputs\":[{\"name\":\"score\",\"shape\":[2],\"datatype\":\"FP64\",\"data\":[0.25,0.5]}]}"),
                JSON.readTree(JSON.writeValueAsString(response)),
                "as it is sent");
    }
}
