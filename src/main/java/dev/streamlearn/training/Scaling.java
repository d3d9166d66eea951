package dev.streamlearn.training;

import dev.streamlearn.features.FeatureHasher;
import dev.streamlearn.features.NumericScaler;
import dev.streamlearn.model.ModelOptions;
import dev.streamlearn.model.ModelSpec;

/** The numeric scaling a model's spec asks for. */
public final class Scaling {

    private Scaling() {}

    /** An empty scaler with the spec's clip, horizon and log-transformed features. */
    public static NumericScaler newScaler(ModelSpec spec) {
        FeatureHasher hasher = new FeatureHasher(spec.featureBits());
        boolean all = spec.logAllFeatures();
        int[] logCoordinates = all
                ? new int[0]
                : spec.get(ModelOptions.SCALE_LOG).stream()
                        .mapToInt(hasher::numericIndex)
                        .toArray();
        double horizon = spec.get(ModelOptions.SCALE_HORIZON) > 0
                ? spec.get(ModelOptions.SCALE_HORIZON)
                : Double.POSITIVE_INFINITY;
        return new NumericScaler(spec.get(ModelOptions.SCALE_CLIP), horizon, all, logCoordinates);
    }
}
