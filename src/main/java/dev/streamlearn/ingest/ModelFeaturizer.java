package dev.streamlearn.ingest;

import dev.streamlearn.features.Crosses;
import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.features.FeaturesBuilder;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;
import dev.streamlearn.records.DeadLetterReason;
import dev.streamlearn.records.FeatureNames;
import dev.streamlearn.records.Features;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What one model makes of an event as read: its hashed features (crosses included) and the
 * values of its entity fields. One per model of a parser; reuses its buffers, not thread-safe.
 */
final class ModelFeaturizer {

    final ModelSpec spec;
    final boolean logRequests;
    private final InputLimits limits;
    private final FeaturesBuilder vector;
    /** The names of the model's entity fields, as the UTF-8 the features are read in. */
    private final byte[][] entityNames;
    /** The model's feature crosses; null for none. */
    private final EventCrosses crosses;

    ModelFeaturizer(ModelSpec spec, InputLimits limits) {
        this.spec = spec;
        this.limits = limits;
        this.vector = new FeaturesBuilder(new FeatureHasher(spec.featureBits()));
        this.logRequests = spec.get(ModelOptions.LOG_REQUESTS);
        Crosses declared = spec.get(ModelOptions.CROSSES);
        this.crosses = declared.isEmpty() ? null : new EventCrosses(declared);
        this.entityNames = spec.get(ModelOptions.ENTITIES).stream()
                .map(n -> n.getBytes(StandardCharsets.UTF_8))
                .toArray(byte[][]::new);
    }

    /** The event's features, hashed in the model's space, then its crosses. */
    Features features(EventReader event) {
        EventFeatures features = event.features;
        if (features.type == JsonScalar.Type.MISSING || features.type == JsonScalar.Type.NULL) {
            throw new Rejection(DeadLetterReason.MISSING_FIELD, "features");
        }
        if (features.type != JsonScalar.Type.OBJECT) {
            throw new Rejection(DeadLetterReason.BAD_FIELD, "features must be an object");
        }
        vector.reset();
        byte[] utf8 = features.utf8;
        for (int i = 0; i < features.count; i++) {
            int nameStart = features.nameStart[i];
            int nameLength = features.nameLength[i];
            switch (features.kinds[i]) {
                case EventFeatures.STRING:
                    int hash = FeaturesBuilder.categoricalHash(
                            utf8, nameStart, nameLength, utf8, features.textStart[i], features.textLength[i]);
                    features.hashes[i] = hash;
                    vector.categoricalOfHash(hash);
                    break;
                case EventFeatures.NUMBER:
                    double x = features.numbers[i];
                    if (!limits.usable(x, features.underflows[i])) { // the name is made only for the message
                        limits.checked(x, features.underflows[i], "features." + features.name(i));
                    }
                    features.hashes[i] = FeaturesBuilder.numericHash(utf8, nameStart, nameLength);
                    vector.numericOfHash(features.hashes[i], x);
                    break;
                default:
                    throw new Rejection(
                            DeadLetterReason.NOT_NUMERIC,
                            "features." + features.name(i) + " must be a string, number or boolean");
            }
        }
        if (vector.size() > limits.maxFeatures) {
            throw new Rejection(
                    DeadLetterReason.TOO_LARGE,
                    "features: " + vector.size() + ", more than " + limits.maxFeatures + " (input.max-features)");
        }
        if (crosses != null) {
            crosses.add(features, event.entities, vector, limits.maxFeatures, limits.maxAbsValue, null, null);
        }
        return vector.build();
    }

    /** The names of the features {@link #features} built, crosses included, in the order of its arrays. */
    FeatureNames explained(EventReader event, Features built) {
        List<String> categorical = new ArrayList<>();
        List<String> numeric = new ArrayList<>();
        if (crosses != null) {
            crosses.add(event.features, event.entities, vector, 0, 0, categorical, numeric);
        }
        return event.features.names(built, categorical, numeric);
    }

    /**
     * The values of the model's entity fields: from the event's {@code entities} object (not
     * features of the model), else among its features; a string as it is, a number as written
     * without a fraction, else as Java writes it; null for a field the event does not have, and
     * null when the model has no entity fields.
     */
    String[] entities(EventReader event) {
        if (entityNames.length == 0) {
            return null;
        }
        EventFeatures own = event.entities;
        if (own.type != JsonScalar.Type.MISSING
                && own.type != JsonScalar.Type.NULL
                && own.type != JsonScalar.Type.OBJECT) {
            throw new Rejection(DeadLetterReason.BAD_FIELD, "entities must be an object");
        }
        String[] values = new String[entityNames.length];
        for (int f = 0; f < values.length; f++) {
            byte[] name = entityNames[f];
            int i = own.indexOf(name);
            if (i >= 0 && own.kinds[i] == EventFeatures.NESTED) {
                throw new Rejection(
                        DeadLetterReason.BAD_FIELD, "entities." + own.name(i) + " must be a string or number");
            }
            values[f] = i >= 0 ? own.text(i) : event.features.text(event.features.indexOf(name));
        }
        return values;
    }
}
