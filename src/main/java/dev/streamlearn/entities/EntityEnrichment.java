package dev.streamlearn.entities;

import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.records.Example;
import dev.streamlearn.records.Features;
import dev.streamlearn.records.PredictionRequest;
import java.util.Arrays;

/**
 * Adds the features of an event's entities (one value per entity field: a user id, an item id)
 * to the event's own, as numeric features hashed by name, so they are scaled and learnt like
 * every other numeric feature. Point in time: a labeled event gets the state from before its own
 * label, then {@link #count} adds the label; a request only reads. Where the state lives is the
 * caller's: the job keeps it in keyed state, the evaluation in a map.
 */
public final class EntityEnrichment {

    private final EntityFeatures[] fields;
    // per field, the coordinate of each of its features
    private final int[][] coordinates;
    private final double[] values;
    private final LabelMean prior;

    /** Labels the prior is the mean of: recent enough to follow a drifting base rate, many enough to be steady. */
    public static final int PRIOR_WINDOW = 10_000;

    /** The entity features of a model's {@code entities} options, with a new prior; null when it has no entity fields. */
    public static EntityEnrichment of(ModelSpec spec) {
        return of(spec, new LabelMean(PRIOR_WINDOW, 0));
    }

    /** The same, starting from the given prior (one restored from a checkpoint). */
    public static EntityEnrichment of(ModelSpec spec, LabelMean prior) {
        if (spec.get(ModelOptions.ENTITIES).isEmpty()) {
            return null;
        }
        long[] halfLives = spec.get(ModelOptions.ENTITY_HALF_LIVES).stream()
                .mapToLong(Long::longValue)
                .toArray();
        String rateName = spec.loss() == Loss.LOGISTIC ? "rate" : "mean";
        EntityFeatures[] fields = spec.get(ModelOptions.ENTITIES).stream()
                .map(f -> new EntityFeatures(f, halfLives, spec.get(ModelOptions.ENTITY_PRIOR_STRENGTH), rateName))
                .toArray(EntityFeatures[]::new);
        return new EntityEnrichment(fields, new FeatureHasher(spec.featureBits()), prior);
    }

    public EntityEnrichment(EntityFeatures[] fields, FeatureHasher hasher, LabelMean prior) {
        this.fields = fields.clone();
        this.coordinates = new int[fields.length][];
        for (int f = 0; f < fields.length; f++) {
            String[] names = fields[f].names();
            coordinates[f] = new int[names.length];
            for (int k = 0; k < names.length; k++) {
                coordinates[f][k] = hasher.numericIndex(names[k]);
            }
        }
        this.values = new double[coordinates.length == 0 ? 0 : coordinates[0].length];
        this.prior = prior;
    }

    public int fieldCount() {
        return fields.length;
    }

    public EntityFeatures field(int f) {
        return fields[f];
    }

    /** The value of entity field {@code f} among an event's entity values; null when it names none. */
    public static String value(String[] entities, int f) {
        return entities != null && f < entities.length ? entities[f] : null;
    }

    /**
     * A labeled example gets the features of its entity of field {@code f} from {@code stored}
     * (null: nothing known of it yet; none when its features are those it was served with, which
     * have them), and then its label is counted, if it is final (a fake-negative release's is not:
     * its final label comes a window later). Returns the entity's state to keep; null when the
     * example names no entity of the field (it got the neutral values, and counts for nobody) or
     * its label is not final.
     */
    public EntityStats learnFrom(Example e, int f, EntityStats stored) {
        boolean named = value(e.entities, f) != null;
        EntityStats s = named && stored != null ? stored : fields[f].empty();
        if (!e.featuresAsServed) {
            e.features = with(e.features, f, s, e.ts);
        }
        if (!named || !countsLabel(e)) {
            return null;
        }
        count(f, s, e.ts, e.label);
        return s;
    }

    /**
     * A request gets the features of its entity of field {@code f} from {@code stored} (null:
     * nothing known), counting nothing; an explained one or an impression also their names.
     */
    public void serve(PredictionRequest r, int f, EntityStats stored) {
        r.features = with(r.features, f, stored != null ? stored : fields[f].empty(), r.ts);
        if (r.explained != null) {
            r.explained.numeric = appended(r.explained.numeric, fields[f].names());
        }
        if (r.impressionPayload != null) {
            r.added = appended(r.added == null ? new String[0] : r.added, fields[f].names());
        }
    }

    private static String[] appended(String[] names, String[] more) {
        String[] both = Arrays.copyOf(names, names.length + more.length);
        System.arraycopy(more, 0, both, names.length, more.length);
        return both;
    }

    /** The features with those of entity field {@code f} appended, from the entity's state at {@code ts}. */
    public Features with(Features features, int f, EntityStats stats, long ts) {
        fields[f].valuesAt(stats, ts, prior.mean(), values);
        int[] coords = coordinates[f];
        int own = features.numeric.length;
        int[] numeric = Arrays.copyOf(features.numeric, own + coords.length);
        double[] numericValues = Arrays.copyOf(features.numericValues, own + coords.length);
        System.arraycopy(coords, 0, numeric, own, coords.length);
        System.arraycopy(values, 0, numericValues, own, coords.length);
        return new Features(features.categorical, numeric, numericValues);
    }

    /** Whether the example's label is final, to be counted once into entity statistics and the prior. */
    public static boolean countsLabel(Example e) {
        return e.use != Example.Use.LEARN_FAKE_NEGATIVE;
    }

    /** Counts a labeled event's label into its entity's state of field {@code f}. */
    public void count(int f, EntityStats stats, long ts, double label) {
        fields[f].count(stats, ts, label);
    }

    /** The label mean that new entities start from; told of every labeled event once, after its features are made. */
    public LabelMean prior() {
        return prior;
    }
}
