package dev.streamlearn.gateway;

import java.util.OptionalLong;

/** What the gateway asks of the job it fronts, for readiness and model metadata. */
public interface JobStatus {

    /** Whether the job runs. */
    boolean running();

    /** The version the job's inference serves for the model, when it says (the lowest over its subtasks). */
    OptionalLong servedVersion(String model);
}
