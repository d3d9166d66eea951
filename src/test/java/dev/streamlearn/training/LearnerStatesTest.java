package dev.streamlearn.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.streamlearn.features.Crosses;
import dev.streamlearn.ingest.EventParser;
import dev.streamlearn.ingest.InputLimits;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelState;
import dev.streamlearn.testing.Specs;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LearnerStatesTest {

    @Test
    void theLearnersOfOneTableAreReadTogetherAsEachAlone() {
        ModelSpec spec = Specs.logistic("ctr", 50, 1000).toBuilder()
                .set(ModelOptions.HASH_BITS, 12)
                .set(ModelOptions.CROSSES, Crosses.TYPE.parse("user*genre"))
                .build();
        EventParser parser = new EventParser(Map.of("ctr", spec), InputLimits.defaults(), "in");
        ModelTrainer trainer = new ModelTrainer(spec);
        Random random = new Random(11);
        for (int i = 0; i < 3000; i++) {
            int user = random.nextInt(300);
            int genre = random.nextInt(6);
            String event = "{\"model\":\"ctr\",\"label\":" + ((user + genre) % 3 == 0 ? 1 : 0)
                    + ",\"features\":{\"user\":\"u" + user + "\",\"genre\":\"g" + genre + "\",\"age\":"
                    + (20 + user % 50) + "}}";
            if (trainer.add(parser.parseLabeled(event).value(), i)) {
                trainer.applyBatch();
            }
        }
        List<Contender> contenders = trainer.contest().contenders();
        Learner[] learners = contenders.stream().map(c -> c.learner).toArray(Learner[]::new);
        int[] rows = learners[0].tableRowsInCoordinateOrder();

        ModelState[] together = LearnerStates.of(learners, rows);

        int fewest = Integer.MAX_VALUE;
        int most = 0;
        for (int j = 0; j < learners.length; j++) {
            ModelState alone = LearnerStates.of(new Learner[] {learners[j]}, rows)[0];
            String name = contenders.get(j).name();
            assertArrayEquals(alone.coords, together[j].coords, name);
            assertArrayEquals(alone.weights, together[j].weights, name);
            assertArrayEquals(alone.optimizerState, together[j].optimizerState, name);
            assertEquals(alone.optimizerSteps, together[j].optimizerSteps, name);
            for (int k = 0; k < alone.coords.length; k++) {
                assertTrue(k == 0 || alone.coords[k] > alone.coords[k - 1], "in coordinate order");
                assertEquals(learners[j].weight(alone.coords[k]), alone.weights[k], name + " at " + alone.coords[k]);
            }
            fewest = Math.min(fewest, alone.coords.length);
            most = Math.max(most, alone.coords.length);
        }
        assertTrue(
                contenders.stream().anyMatch(c -> c.name().equals("nocross")) && fewest < most,
                "the learner without crosses has fewer rows than the others: " + fewest + " against " + most);
    }
}
