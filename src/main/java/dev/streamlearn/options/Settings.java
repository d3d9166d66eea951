package dev.streamlearn.options;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options as given, {@code --key value} pairs or a map of text, read through their declarations:
 * a key nobody declared, a key without a value, and a value its option refuses each end in one
 * {@link InvalidConfigException} that names the key. A model option may be given for every model
 * ({@code key}) and for one ({@code model.<id>.key}), the latter winning.
 */
public final class Settings implements OptionValues {

    /** What Flink's ParameterTool makes of a flag given without a value. */
    private static final String NO_VALUE = "__NO_VALUE_KEY";

    private static final String MODEL_PREFIX = "model.";

    private final Map<String, String> given;

    private Settings(Map<String, String> given) {
        this.given = Collections.unmodifiableMap(given);
    }

    /**
     * Reads {@code --key value} pairs. A value is whatever follows its key, unless it is the next
     * {@code --key}: {@code --models --batch.size 5} leaves {@code models} without one.
     */
    public static Settings fromArgs(String... args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new InvalidConfigException(
                        "arguments", "'" + a + "' is not an option (options are --key value pairs)");
            }
            String key = a.substring(2);
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new InvalidConfigException(key, "needs a value (--" + key + " VALUE)");
            }
            if (given.put(key, args[++i]) != null) {
                throw new InvalidConfigException(key, "is given twice");
            }
        }
        return new Settings(given);
    }

    public static Settings of(Map<String, String> values) {
        Map<String, String> given = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (value == null || value.equals(NO_VALUE)) {
                throw new InvalidConfigException(key, "needs a value (--" + key + " VALUE)");
            }
            given.put(key, value);
        });
        return new Settings(given);
    }

    public Map<String, String> asMap() {
        return given;
    }

    public boolean has(Option<?> option) {
        return given.containsKey(option.key);
    }

    /** Whether the option is given for this model, for one or for all. */
    public boolean has(Option<?> option, String modelId) {
        return has(option) || given.containsKey(modelKey(option, modelId));
    }

    /** The option's value as given, else its default (null when it has none). */
    @Override
    public <T> T get(Option<T> option) {
        String text = given.get(option.key);
        return text == null ? option.defaultValue : option.parse(text, option.key);
    }

    /** A model option's value for one model: its own setting, else the one for every model, else the default. */
    public <T> T get(Option<T> option, String modelId) {
        String key = modelKey(option, modelId);
        String text = given.get(key);
        return text == null ? get(option) : option.parse(text, key);
    }

    public static String modelKey(Option<?> option, String modelId) {
        return MODEL_PREFIX + modelId + "." + option.key;
    }

    /**
     * Every key given names a declared option (a model option may be given for a listed model);
     * an unknown key fails, with the nearest declared key when one is close.
     */
    public void checkKnown(Collection<Option<?>> declared, List<String> modelIds) {
        for (String key : given.keySet()) {
            String optionKey = key;
            boolean perModel = false;
            if (key.startsWith(MODEL_PREFIX) && !isDeclared(key, declared)) {
                String rest = key.substring(MODEL_PREFIX.length());
                String id = modelIds.stream()
                        .filter(m -> rest.startsWith(m + "."))
                        .findFirst()
                        .orElse(null);
                if (id == null) {
                    throw new InvalidConfigException(key, "names no model listed in 'models' " + modelIds);
                }
                optionKey = rest.substring(id.length() + 1);
                perModel = true;
            }
            Option<?> option = find(optionKey, declared);
            if (option == null) {
                String near = nearest(optionKey, declared);
                throw new InvalidConfigException(
                        key,
                        "unknown option (see the configuration table in README.md"
                                + (near == null ? ")" : "; did you mean " + near + "?)"));
            }
            if (perModel && !option.isModelOption()) {
                throw new InvalidConfigException(key, "'" + optionKey + "' is an option of the job, not of a model");
            }
        }
    }

    private static boolean isDeclared(String key, Collection<Option<?>> declared) {
        return find(key, declared) != null;
    }

    private static Option<?> find(String key, Collection<Option<?>> declared) {
        for (Option<?> o : declared) {
            if (o.key.equals(key)) {
                return o;
            }
        }
        return null;
    }

    /** The declared key within two edits of {@code key}, if there is one. */
    private static String nearest(String key, Collection<Option<?>> declared) {
        String best = null;
        int bestDistance = 3;
        for (Option<?> o : declared) {
            int d = distance(key, o.key);
            if (d < bestDistance) {
                best = o.key;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
