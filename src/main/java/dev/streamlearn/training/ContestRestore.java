package dev.streamlearn.training;

import dev.streamlearn.metrics.PrequentialMetrics;
import dev.streamlearn.model.Challenger;
import dev.streamlearn.model.ChallengerList;
import dev.streamlearn.model.LearnerSnapshot;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSnapshot;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.model.ModelState;
import java.util.ArrayList;
import java.util.List;

/** A model's learners as a snapshot left them ({@link Contest#writeTo}). */
final class ContestRestore {

    private ContestRestore() {}

    /**
     * The learners of a snapshot, matched by name to those configured now. The champion carries
     * on, even when it is no longer configured (it is served: it stays until another is
     * promoted), with its recorded options; a challenger carries on when its options are as
     * recorded, else it starts anew, as does one configured since. The paired losses carry on
     * when the learners are the same, in the same order.
     */
    static Contest restore(ModelSpec spec, ModelSnapshot s) {
        List<ModelSpec> configured = new ArrayList<>(spec.learners());
        String championName = s.champion == null ? Challenger.DEFAULT : s.champion;
        LearnerSnapshot[] saved = s.learners == null ? new LearnerSnapshot[0] : s.learners;
        if (configured.stream().noneMatch(l -> l.learnerName().equals(championName))) {
            configured.add(unconfiguredChampion(spec, championName, saved));
        }
        Contest contest = Contest.of(spec, configured, championName);
        List<Contender> all = contest.contenders();
        loadChampion(spec, contest.champion(), s.state);
        for (int k = 0; k < all.size(); k++) {
            Contender c = all.get(k);
            LearnerSnapshot l = find(saved, c.name());
            if (l == null) {
                continue;
            }
            boolean isChampion = k == contest.championIndex();
            if (!isChampion) {
                if (!l.options.equals(c.spec.learnerOverrides())
                        || l.state == null
                        || l.state.optimizerArrays != c.learner.optimizerArrays()) {
                    continue; // its options changed: it learns anew
                }
                c.learner.load(l.state);
            }
            c.scores = PrequentialMetrics.restore(spec.loss(), spec.get(ModelOptions.METRICS_WINDOW), l.scores);
            c.paused = l.paused && !isChampion;
            c.examplesLearnt = l.examplesLearnt;
            c.updatesRefused = l.updatesRefused;
            c.guard.restore(l.guardDetector, l.guardInEpisode, l.guardEpisodeLength, l.guardQuietFor, l.guardAlarms);
        }
        contest.continueFrom(s, sameOrder(saved, all));
        return contest;
    }

    private static void loadChampion(ModelSpec spec, Contender champion, ModelState state) {
        if (state.optimizerArrays != champion.learner.optimizerArrays()) {
            throw new IllegalStateException("model '" + spec.id + "' was snapshotted with another optimizer ("
                    + state.optimizerArrays + " state arrays, its learner '" + champion.name() + "' is configured with "
                    + champion.spec.optimizer() + ", which has " + champion.learner.optimizerArrays() + ")");
        }
        champion.learner.load(state);
    }

    private static ModelSpec unconfiguredChampion(ModelSpec spec, String name, LearnerSnapshot[] saved) {
        LearnerSnapshot l = find(saved, name);
        String options = l == null ? "" : l.options;
        try {
            ChallengerList list = ChallengerList.TYPE.parse(name + ":" + options);
            return spec.learner(list.resolve(spec).get(0));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("model '" + spec.id + "' was serving challenger '" + name + "' ("
                    + options + "), which is no longer configured and whose options cannot be read any more ("
                    + e.getMessage() + "): configure it again under its name, or start without the state");
        }
    }

    private static LearnerSnapshot find(LearnerSnapshot[] saved, String name) {
        for (LearnerSnapshot l : saved) {
            if (l.name.equals(name)) {
                return l;
            }
        }
        return null;
    }

    private static boolean sameOrder(LearnerSnapshot[] saved, List<Contender> all) {
        if (saved.length != all.size()) {
            return false;
        }
        for (int k = 0; k < saved.length; k++) {
            if (!saved[k].name.equals(all.get(k).name())) {
                return false;
            }
        }
        return true;
    }
}
