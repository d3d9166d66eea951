package dev.streamlearn.model;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A named learner beside a model's champion: the model's options with some of them set
 * otherwise (any option a challenger may set, see {@code Option#challengerMaySet}). Written as
 * {@code name:key=value key=value}.
 */
public final class Challenger implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The name of the learner with the model's own options. */
    public static final String DEFAULT = "default";

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");

    public final String name;
    /** Option key to the value's text, in the order given. */
    public final Map<String, String> overrides;

    public Challenger(String name, Map<String, String> overrides) {
        this.name = name;
        this.overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }

    /** The overrides as written after the name: {@code key=value key=value}; empty for the model's own learner. */
    public String overridesText() {
        return overrides.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Challenger
                && ((Challenger) o).name.equals(name)
                && ((Challenger) o).overrides.equals(overrides);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + overrides.hashCode();
    }

    @Override
    public String toString() {
        return name + ":" + overridesText();
    }
}
