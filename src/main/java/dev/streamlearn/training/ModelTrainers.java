package dev.streamlearn.training;

import dev.streamlearn.model.ModelLogEntry;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelUpdate;
import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.VersionArchive;
import dev.streamlearn.records.ControlCommand;
import dev.streamlearn.records.Example;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The models one trainer subtask owns, in plain Java: how each starts (empty, from its initial
 * model, or restored from a snapshot), what an example, a closed batch and a control command do
 * to it, and which versions are kept. A model that starts or is restored while the archive holds
 * (or may still publish) newer versions of it continues after them, so a version number names
 * one model for the life of the archive. Results go to an {@link Output}; the Flink adapter
 * ({@link TrainerFunction}) sends them on and schedules the wake-ups.
 */
public final class ModelTrainers {

    /** Where the results go. */
    public interface Output {
        /** A new version (or a rolled-back one) for inference. */
        void update(ModelUpdate update);

        /** A version to write to the archive; only called when there is one. */
        void store(StoredModel version);

        void log(ModelLogEntry line);

        /** An example not learnt because its update would have made the model non-finite. */
        void refused(Example example);
    }

    /** Reads a model file by URI: the initial model of a model that starts from one. */
    @FunctionalInterface
    public interface ModelFiles {
        StoredModel read(String uri) throws IOException;
    }

    private final Map<String, ModelSpec> specs;
    private final VersionArchive archive;
    private final RollbackTargets targets;
    private final ModelFiles files;
    private final Function<ModelSpec, RecentVersions> recentVersions;
    private final Map<String, ModelTrainer> trainers = new HashMap<>();
    // what a restore found out about a model, written to the model log with the next output
    private final List<ModelLogEntry> notes = new ArrayList<>();

    /**
     * @param archive where older versions are read back from and which version numbers are taken;
     *     null when the job has none
     */
    public ModelTrainers(
            Map<String, ModelSpec> specs,
            VersionArchive archive,
            ModelFiles files,
            Function<ModelSpec, RecentVersions> recentVersions) {
        this.specs = specs;
        this.archive = archive;
        this.targets = new RollbackTargets(archive);
        this.files = files;
        this.recentVersions = recentVersions;
    }

    /** A trainer per model, recent versions on the heap: for tools and tests. */
    public static ModelTrainers onHeap(Map<String, ModelSpec> specs, VersionArchive archive, ModelFiles files) {
        return new ModelTrainers(
                specs, archive, files, spec -> new HeapRecentVersions(spec.get(ModelOptions.STORE_RECENT)));
    }

    /**
     * Takes back a model from a snapshot; its versions continue after the newest the archive
     * claims. Returns null (and keeps nothing) when the model is no longer configured.
     */
    public ModelTrainer restore(ModelSnapshot snapshot, long nowMillis) throws IOException {
        ModelSpec spec = specs.get(snapshot.modelId);
        if (spec == null) {
            return null;
        }
        ModelTrainer trainer = TrainerRestore.fromSnapshot(spec, snapshot, recentVersions.apply(spec));
        long restored = trainer.version();
        long claimed = claimed(spec.id);
        if (trainer.continueAfter(claimed, true)) {
            notes.add(start(
                    trainer,
                    "restored at version " + restored + ", but the model store already holds versions up to " + claimed
                            + ": the restored model continues as version " + trainer.version(),
                    nowMillis));
        }
        trainers.put(spec.id, trainer);
        return trainer;
    }

    /** The model's trainer; a model seen for the first time starts (see {@link #start}). */
    public ModelTrainer trainer(String modelId, long nowMillis, Output out) throws IOException {
        ModelTrainer trainer = trainers.get(modelId);
        return trainer != null ? trainer : start(modelId, nowMillis, out);
    }

    /** The trainer of a model this subtask already holds, or null. */
    public ModelTrainer existing(String modelId) {
        return trainers.get(modelId);
    }

    public Collection<ModelTrainer> all() {
        return trainers.values();
    }

    /**
     * A model without state starts empty or from its initial model. When the archive already
     * holds versions of it (a job submitted anew against a kept store), its versions continue
     * after them; the model itself is not taken from the archive, and the model log says so.
     */
    private ModelTrainer start(String modelId, long nowMillis, Output out) throws IOException {
        ModelSpec spec = specs.get(modelId);
        if (spec == null) {
            // the parsers reject unknown models, so this is a wiring error, not bad input
            throw new IllegalStateException("no spec for model '" + modelId + "'");
        }
        ModelTrainer trainer = spec.initialModel() != null
                ? TrainerRestore.fromModelFile(spec, files.read(spec.initialModel()), recentVersions.apply(spec))
                : new ModelTrainer(spec, recentVersions.apply(spec));
        long claimed = claimed(modelId);
        // the initial model is the archive's version of the same number (a batch model written as version 0)
        if (trainer.continueAfter(claimed, spec.initialModel() != null)) {
            out.log(start(
                    trainer,
                    (spec.initialModel() != null ? "started from " + spec.initialModel() : "started empty")
                            + " in a job without state for it, and the model store holds versions up to " + claimed
                            + ": its versions continue after them (to continue from a stored version instead,"
                            + " restore a savepoint or checkpoint, or start from a version's file with --model."
                            + modelId + ".initial-model)",
                    nowMillis));
        }
        trainers.put(modelId, trainer);
        return trainer;
    }

    /**
     * Claims in the archive the current version of each model whose newest versions were served but
     * not stored yet, at a checkpoint: a restore of an older checkpoint or savepoint, later, then
     * continues after them, even when this job stops (with a savepoint) before its store was due.
     */
    public void claimUnstored() throws IOException {
        if (archive == null) {
            return;
        }
        for (ModelTrainer trainer : trainers.values()) {
            if (trainer.hasUnstoredVersion()) {
                archive.claim(trainer.modelId(), trainer.version());
            }
        }
    }

    private long claimed(String modelId) throws IOException {
        return archive == null ? -1 : archive.newestClaimed(modelId);
    }

    private static ModelLogEntry start(ModelTrainer trainer, String reason, long nowMillis) {
        ModelLogEntry line = ModelLogEntry.note(
                ModelLogEntry.Event.START,
                trainer.modelId(),
                trainer.version(),
                trainer.examplesTrained(),
                reason,
                nowMillis);
        line.parentVersion = trainer.continuedAfter();
        return line;
    }

    /**
     * Scores the example, learns from it and carries out what the guard asks; true when the
     * model's batch is full and should become a version ({@link #applyBatch}).
     */
    public boolean learn(ModelTrainer trainer, Example example, long nowMillis, Output out) {
        flushNotes(out);
        boolean full = trainer.add(example, nowMillis);
        for (Example refused : trainer.drainRefused()) {
            out.refused(refused);
        }
        for (GuardPolicy.Event event : trainer.guard().drainEvents()) {
            if (event.update != null) {
                out.update(event.update);
            }
            if (event.event == ModelLogEntry.Event.ALARM) {
                out.log(ModelLogEntry.note(
                        ModelLogEntry.Event.ALARM,
                        trainer.modelId(),
                        trainer.version(),
                        trainer.examplesTrained(),
                        event.reason,
                        nowMillis));
            } else {
                keep(trainer, event.event, event.reason, nowMillis, out);
            }
        }
        ContestVerdict verdict = trainer.takeVerdict();
        if (verdict != null) {
            String reason = verdict.reason(trainer.champion());
            out.update(trainer.promote(verdict.challenger, nowMillis));
            keep(trainer, ModelLogEntry.Event.PROMOTE, reason, nowMillis, out);
            return false; // the promotion made the open batch a version
        }
        return full;
    }

    /**
     * Makes the open batch the next version and stores it when a store is due. Returns true when
     * the model holds a version that is not stored yet (wake it at {@link ModelTrainer#nextStoreAt}).
     */
    public boolean applyBatch(ModelTrainer trainer, long nowMillis, Output out) {
        flushNotes(out);
        ModelUpdate update = trainer.applyBatch();
        if (update == null) {
            return false;
        }
        out.update(update);
        return !storeIfDue(trainer, nowMillis, out);
    }

    /** Stores the current version when it is not stored and a store is due; true when it was stored now. */
    public boolean storeIfDue(ModelTrainer trainer, long nowMillis, Output out) {
        if (trainer.hasUnstoredVersion() && trainer.storeDue(nowMillis)) {
            keep(trainer, ModelLogEntry.Event.STORED, null, nowMillis, out);
            return true;
        }
        return false;
    }

    /**
     * Carries out an operator's command; one that cannot be is a {@code rejected} line with the
     * reason. The lines that answer it carry the command's id.
     */
    public void command(ControlCommand command, long nowMillis, Output output) throws IOException {
        ModelTrainer trainer = trainer(command.modelId, nowMillis, output);
        flushNotes(output);
        Output out = command.id == null ? output : new AnsweringOutput(output, command.id);
        switch (command.op) {
            case FREEZE:
                trainer.freeze();
                keep(trainer, ModelLogEntry.Event.FREEZE, null, nowMillis, out);
                break;
            case RESUME:
                trainer.resume();
                keep(trainer, ModelLogEntry.Event.RESUME, null, nowMillis, out);
                break;
            case ROLLBACK:
                rollback(trainer, command, nowMillis, out);
                break;
            case PROMOTE:
                promote(trainer, command.learner, nowMillis, out);
                break;
            case PIN:
            case UNPIN:
                ModelUpdate pinned = trainer.pin(command.op == ControlCommand.Op.PIN, nowMillis);
                if (pinned != null) {
                    out.update(pinned);
                }
                out.log(ModelLogEntry.note(
                        command.op == ControlCommand.Op.PIN ? ModelLogEntry.Event.PIN : ModelLogEntry.Event.UNPIN,
                        trainer.modelId(),
                        trainer.version(),
                        trainer.examplesTrained(),
                        command.op == ControlCommand.Op.PIN
                                ? "no automatic promotions until unpinned; the champion '" + trainer.champion()
                                        + "' is served alone"
                                : "challengers that beat the champion are promoted again"
                                        + (trainer.contest().blendWeights() == null ? "" : ", and blended"),
                        nowMillis));
                break;
            default:
                throw new IllegalStateException("unhandled control op " + command.op);
        }
    }

    private void promote(ModelTrainer trainer, String challenger, long nowMillis, Output out) {
        Contest contest = trainer.contest();
        int k = contest.indexOf(challenger);
        if (k < 0 || k == contest.championIndex()) {
            List<String> names = new ArrayList<>();
            contest.contenders().forEach(c -> names.add(c.name()));
            reject(
                    trainer,
                    k < 0
                            ? "model '" + trainer.modelId() + "' has no learner '" + challenger + "' (its learners: "
                                    + String.join(", ", names) + ")"
                            : "'" + challenger + "' is the champion already",
                    nowMillis,
                    out);
            return;
        }
        String champion = trainer.champion();
        out.update(trainer.promote(k, nowMillis));
        keep(trainer, ModelLogEntry.Event.PROMOTE, "by command, in place of '" + champion + "'", nowMillis, out);
    }

    private void rollback(ModelTrainer trainer, ControlCommand command, long nowMillis, Output out) {
        StoredModel target;
        String missing;
        try {
            if (command.version == ControlCommand.PREVIOUS_BETTER) {
                target = targets.previousBetter(trainer);
                missing =
                        "no earlier version has a lower windowed loss than now (" + trainer.currentQualityLoss() + ")";
            } else {
                target = targets.find(trainer, command.version);
                missing = target == null ? targets.whyMissing(trainer, command.version) : null;
            }
        } catch (IOException e) {
            reject(trainer, "the model store could not be read: " + e.getMessage(), nowMillis, out);
            return;
        }
        if (target == null) {
            reject(trainer, missing, nowMillis, out);
            return;
        }
        if (!target.isFinite() && !command.force) {
            reject(
                    trainer,
                    "version " + target.version + " has non-finite weights or optimizer values: it would serve NaN"
                            + " (add \"force\":true to roll back to it anyway)",
                    nowMillis,
                    out);
            return;
        }
        try {
            out.update(trainer.rollbackTo(target, nowMillis));
        } catch (IllegalArgumentException e) {
            reject(trainer, e.getMessage(), nowMillis, out);
            return;
        }
        keep(trainer, ModelLogEntry.Event.ROLLBACK, command.force ? "forced" : null, nowMillis, out);
    }

    private static void reject(ModelTrainer trainer, String reason, long nowMillis, Output out) {
        out.log(ModelLogEntry.note(
                ModelLogEntry.Event.REJECTED,
                trainer.modelId(),
                trainer.version(),
                trainer.examplesTrained(),
                reason,
                nowMillis));
    }

    /**
     * Stores the current version, unless it is stored already (a freeze right after a stored version,
     * a resume after a freeze: the weights are those of the stored file, which is never written
     * twice), and logs why ({@code reason}: null when the event says it all).
     */
    private void keep(ModelTrainer trainer, ModelLogEntry.Event event, String reason, long nowMillis, Output out) {
        StoredModel m;
        if (trainer.hasUnstoredVersion()) {
            m = trainer.store(nowMillis);
            if (archive != null) {
                out.store(m);
            }
        } else {
            m = trainer.recentVersion(trainer.version());
        }
        ModelLogEntry line =
                ModelLogEntry.of(event, m, archive == null ? null : archive.location(m.modelId, m.version));
        line.ts = nowMillis;
        line.reason = reason;
        out.log(line);
    }

    private void flushNotes(Output out) {
        if (!notes.isEmpty()) {
            notes.forEach(out::log);
            notes.clear();
        }
    }
}
