package dev.streamlearn.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.streamlearn.records.Example;
import dev.streamlearn.testing.Examples;
import dev.streamlearn.testing.Specs;
import dev.streamlearn.training.ModelTrainer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ModelFileTest {

    private static StoredModel roundTrip(StoredModel m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelFile.write(m, bytes);
        return ModelFile.read(new ByteArrayInputStream(bytes.toByteArray()));
    }

    @Test
    void aVersionKeepsItsWeightsOptimizerStateScalingAndCalibration() throws IOException {
        ModelTrainer trainer = new ModelTrainer(Specs.logistic("m", 2, 100));
        trainer.add(Examples.numeric(1, new int[] {1}, new double[] {2}), 7);
        trainer.add(Examples.numeric(0, new int[] {1}, new double[] {3}), 8);
        StoredModel uncalibrated = roundTrip(trainer.store(9));
        assertNull(uncalibrated.state.calibration);

        Example finalLabel = Examples.numeric(1, new int[] {1}, new double[] {2});
        finalLabel.use = Example.Use.CALIBRATE;
        finalLabel.servedScore = 0.6;
        finalLabel.servedMargin = 0.405;
        trainer.add(finalLabel, 10);
        StoredModel m = trainer.store(11);
        StoredModel read = roundTrip(m);
        assertEquals(m.version, read.version);
        assertArrayEquals(m.state.coords, read.state.coords);
        assertArrayEquals(m.state.weights, read.state.weights);
        assertArrayEquals(m.state.optimizerState, read.state.optimizerState);
        assertEquals(1, read.state.calibration.labels);
        assertEquals(m.state.calibration.slope, read.state.calibration.slope, 0.0);
        assertEquals(m.state.calibration.offset, read.state.calibration.offset, 0.0);
        assertEquals(2, trainer.examplesTrained(), "a final label to calibrate with is not learnt");
        assertEquals(1, trainer.servedMetrics().seen(), "it judges the served score");
    }
}
