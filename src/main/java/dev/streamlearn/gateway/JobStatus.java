package dev.streamlearn.gateway;

import java.util.Map;
import java.util.OptionalLong;

/** What the gateway asks of the job it fronts, for readiness, model metadata and the model page. */
public interface JobStatus {

    /** Whether the job runs. */
    boolean running();

    /** The version the job's inference serves for the model, when it says (the lowest over its subtasks). */
    OptionalLong servedVersion(String model);

    /**
     * The model's trainer metrics now, named within its group ({@code modelVersion},
     * {@code examplesTrained}, {@code logLoss}, {@code learner.forget.auc}); empty when not known.
     */
    Map<String, Double> figures(String model);
}
