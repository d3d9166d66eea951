package dev.streamlearn.training;

import dev.streamlearn.model.StoredModel;
import dev.streamlearn.model.VersionArchive;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Finds the version a rollback goes to, among a model's recent versions and its archive, or says why there is none. */
final class RollbackTargets {

    private final VersionArchive archive;

    /** @param archive null when the job has no model store */
    RollbackTargets(VersionArchive archive) {
        this.archive = archive;
    }

    /** A version by number: among the recent ones, else in the archive; null when neither holds it. */
    StoredModel find(ModelTrainer trainer, long version) throws IOException {
        StoredModel recent = trainer.recentVersion(version);
        if (recent != null
                || archive == null
                || !archive.versions(trainer.modelId()).contains(version)) {
            return recent;
        }
        return archive.read(trainer.modelId(), version);
    }

    /**
     * Why a version cannot be rolled back to: a number above the model's current version was
     * never made; one at or below it was made but is not kept (never stored, as a version is
     * stored at most every store.interval, or removed since by retention).
     */
    String whyMissing(ModelTrainer trainer, long version) throws IOException {
        if (version > trainer.version()) {
            return "version " + version + " never existed: model '" + trainer.modelId() + "' is at version "
                    + trainer.version();
        }
        List<Long> kept = new ArrayList<>();
        for (StoredModel m : trainer.recentVersions()) {
            kept.add(m.version);
        }
        if (archive != null) {
            kept.addAll(archive.versions(trainer.modelId()));
        }
        return "version " + version + " is not kept: it was never stored (a version is stored at most every"
                + " store.interval ms and at each rollback, freeze and resume) or retention has removed it"
                + (archive == null ? " (the job has no model store)" : "")
                + "; kept: " + Versions.describe(kept);
    }

    /** The newest earlier version, in state or in the archive, whose windowed loss was lower than the current one. */
    StoredModel previousBetter(ModelTrainer trainer) throws IOException {
        double now = trainer.currentQualityLoss();
        List<StoredModel> candidates = new ArrayList<>(trainer.recentVersions());
        long oldestRecent = candidates.isEmpty() ? Long.MAX_VALUE : candidates.get(0).version;
        if (archive != null) {
            List<Long> stored = archive.versions(trainer.modelId());
            for (int i = stored.size() - 1; i >= 0; i--) {
                if (stored.get(i) < oldestRecent) {
                    candidates.add(0, archive.read(trainer.modelId(), stored.get(i)));
                    break; // one read per command: the newest stored version before the recent ones
                }
            }
        }
        for (int i = candidates.size() - 1; i >= 0; i--) {
            StoredModel c = candidates.get(i);
            // a NaN loss now is the worst there is: any healthy version with a loss beats it
            boolean better = c.qualityLoss() < now || (Double.isNaN(now) && !Double.isNaN(c.qualityLoss()));
            if (c.version < trainer.version() && better && c.isFinite()) {
                return c;
            }
        }
        return null;
    }
}
