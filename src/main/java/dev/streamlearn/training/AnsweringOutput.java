package dev.streamlearn.training;

import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.records.Example;

/** An output whose model-log lines answer one command. */
final class AnsweringOutput implements ModelTrainers.Output {
    private final ModelTrainers.Output out;
    private final String command;

    AnsweringOutput(ModelTrainers.Output out, String command) {
        this.out = out;
        this.command = command;
    }

    @Override
    public void update(ModelUpdate update) {
        out.update(update);
    }

    @Override
    public void store(StoredModel version) {
        out.store(version);
    }

    @Override
    public void log(ModelLogEntry line) {
        line.command = command;
        out.log(line);
    }

    @Override
    public void refused(Example example) {
        out.refused(example);
    }
}
