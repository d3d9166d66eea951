package dev.streamlearn.model;

import dev.streamlearn.metrics.Loss;
import dev.streamlearn.model.ModelSpec.OptimizerKind;
import dev.streamlearn.options.InvalidConfigException;
import dev.streamlearn.options.Option;
import dev.streamlearn.options.OptionType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The value of a model's {@code challengers} option: {@code auto} (the built-in set of {@link
 * #auto}), {@code none}, or named challengers, {@code name:key=value key=value;name:key=value}.
 */
public final class ChallengerList implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final ChallengerList AUTO = new ChallengerList(true, List.of());
    public static final ChallengerList NONE = new ChallengerList(false, List.of());

    private final boolean auto;
    private final List<Challenger> named;

    private ChallengerList(boolean auto, List<Challenger> named) {
        this.auto = auto;
        this.named = List.copyOf(named);
    }

    public static ChallengerList of(Challenger... challengers) {
        return new ChallengerList(false, List.of(challengers));
    }

    public boolean isAuto() {
        return auto;
    }

    /**
     * The challengers of a model with this loss and optimizer: the named ones, or for {@code auto}
     * the built-in set, which spans what a user would otherwise have to know of a stream before it
     * runs. Whether the world drifts: {@code forget}, whose optimizer halves what it accumulated
     * every 100 updates of a coordinate, against a champion that never forgets (the two ends of
     * the range; a stream that drifts slowly is served by either within a few per cent). Whether
     * counts are heavy-tailed: {@code log}, every numeric feature through a signed log. For a time
     * series, whose features are its own lags, the log is replaced by the choice of fit: {@code
     * rls} (exact ridge regression) beside FTRL, or {@code ftrl} beside a model set to rls. Whether
     * the model's crosses pay: {@code nocross}, which leaves them out (or {@code cross}, which uses
     * them, beside a model set not to).
     */
    public List<Challenger> resolve(ModelSpec model) {
        if (!auto) {
            return named;
        }
        Loss loss = model.loss();
        OptimizerKind optimizer = model.optimizer();
        boolean series = model.isSeries();
        List<Challenger> set = new ArrayList<>();
        set.add(new Challenger("forget", Map.of(ModelOptions.FORGET_HALF_LIFE.key, "100")));
        if (series && loss == Loss.SQUARED) {
            OptimizerKind other = optimizer == OptimizerKind.RLS ? OptimizerKind.FTRL : OptimizerKind.RLS;
            set.add(new Challenger(other.toString(), Map.of(ModelOptions.OPTIMIZER.key, other.toString())));
        } else {
            set.add(new Challenger("log", Map.of(ModelOptions.SCALE_LOG.key, "*")));
        }
        if (model.hasCrosses()) {
            boolean used = model.get(ModelOptions.CROSSES_USE);
            set.add(new Challenger(
                    used ? "nocross" : "cross", Map.of(ModelOptions.CROSSES_USE.key, String.valueOf(!used))));
        }
        return set;
    }

    /** How the option reads and writes its value. */
    public static final OptionType<ChallengerList> TYPE = new OptionType<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public ChallengerList parse(String text) {
            String t = text.trim();
            if (t.equals("auto")) {
                return AUTO;
            }
            if (t.equals("none")) {
                return NONE;
            }
            List<Challenger> named = new ArrayList<>();
            for (String part : t.split(";", -1)) {
                if (!part.isBlank()) {
                    Challenger c = challenger(part.trim());
                    if (named.stream().anyMatch(n -> n.name.equals(c.name))) {
                        throw invalid("challenger '" + c.name + "' is named twice");
                    }
                    named.add(c);
                }
            }
            if (named.isEmpty()) {
                throw invalid("names no challenger");
            }
            return new ChallengerList(false, named);
        }

        @Override
        public String format(ChallengerList value) {
            if (value.auto) {
                return "auto";
            }
            return value.named.isEmpty()
                    ? "none"
                    : value.named.stream().map(Challenger::toString).collect(Collectors.joining(";"));
        }
    };

    private static Challenger challenger(String text) {
        int colon = text.indexOf(':');
        String name = colon < 0 ? text : text.substring(0, colon).trim();
        if (!Challenger.NAME.matcher(name).matches() || name.equals(Challenger.DEFAULT)) {
            throw invalid("'" + name + "' is not a challenger name (1-32 of letters, digits, '_', '.', '-';" + " not '"
                    + Challenger.DEFAULT + "')");
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String setting :
                colon < 0 ? new String[0] : text.substring(colon + 1).trim().split("\\s+", -1)) {
            if (setting.isEmpty()) {
                continue;
            }
            int eq = setting.indexOf('=');
            String key = eq < 0 ? setting : setting.substring(0, eq);
            Option<?> option = ModelOptions.ALL.stream()
                    .filter(o -> o.key.equals(key))
                    .findFirst()
                    .orElse(null);
            if (option == null || !option.challengerMaySet()) {
                throw invalid(name + ": '" + key + "' is not an option a challenger may set (see the"
                        + " configuration table: 'model, challenger')");
            }
            if (eq < 0) {
                throw invalid(name + ": " + key + " needs a value (" + key + "=VALUE)");
            }
            String value = setting.substring(eq + 1);
            try {
                option.parse(value, key);
            } catch (InvalidConfigException e) {
                throw invalid(name + ": " + key + ": " + e.reason());
            }
            if (overrides.put(key, value) != null) {
                throw invalid(name + ": " + key + " is set twice");
            }
        }
        if (overrides.isEmpty()) {
            throw invalid(name + ": sets no option (name:key=value key=value)");
        }
        return new Challenger(name, overrides);
    }

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException("is not a list of challengers (name:key=value key=value;...): " + why);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChallengerList
                && ((ChallengerList) o).auto == auto
                && ((ChallengerList) o).named.equals(named);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(auto) * 31 + named.hashCode();
    }

    @Override
    public String toString() {
        return TYPE.format(this);
    }
}
