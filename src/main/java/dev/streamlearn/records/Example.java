package dev.streamlearn.records;

import dev.streamlearn.records.flink.ExampleSerializer;
import java.util.Locale;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A labeled event after parsing and feature hashing: what a trainer learns from. The annotation
 * only names the serializer Flink uses for it ({@link ExampleSerializer}); nothing here needs Flink.
 */
@TypeInfo(ExampleSerializer.TypeFactory.class)
public class Example {
    public String modelId;
    public String id;
    public long ts;
    public double label;
    public double weight;
    public Features features;
    /** Where the event was in the labeled topic; -1 when it did not come from Kafka. */
    public int partition = -1;

    public long offset = -1;
    /**
     * The score the job served for this example's request, when the example is a joined
     * impression (or its producer says so); NaN otherwise. Judged apart from the prequential score.
     */
    public double servedScore = Double.NaN;

    /** For a time-series example: how its series was standardized; null otherwise. */
    public SeriesScale series;

    /** The values of the model's entity fields (null where the event has none); null when the model has none. */
    public String[] entities;
    /**
     * Whether its features are those a prediction was served with, what the stream adds
     * (entity features) included: a joined impression's. Nothing is added to them again.
     */
    public boolean featuresAsServed;

    /** What the trainer does with it. */
    public Use use = Use.LEARN;

    /** What the trainer does with an example. */
    public enum Use {
        /** Scores it, then learns from it. */
        LEARN,
        /** A fake-negative release: learnt weighted by the learner's own prediction. */
        LEARN_FAKE_NEGATIVE,
        /** A final label of fake-negative releases: judges the served score and calibrates; not learnt. */
        CALIBRATE;

        /** As the labeled event's {@code "use"} says it. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * The margin the served score was made from, before calibration, when {@link #use} is {@link
     * Use#CALIBRATE}; NaN otherwise.
     */
    public double servedMargin = Double.NaN;

    public Example() {}

    public Example(String modelId, String id, long ts, double label, double weight, Features features) {
        this.modelId = modelId;
        this.id = id;
        this.ts = ts;
        this.label = label;
        this.weight = weight;
        this.features = features;
    }
}
