package dev.streamlearn.options;

import java.io.Serializable;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One option, declared once: its key, type, default, the rule a value must keep, what it means,
 * and who may set it (the job, or each model and each of its challengers). Parsing, validation,
 * per-model settings, a model's spec and the README's configuration table all read this, as
 * flink-ml's {@code Param} is read; nothing restates a default.
 */
public final class Option<T> implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Who may set an option. */
    public enum Scope {
        /** The job as a whole. */
        JOB,
        /** Every model, and one model as {@code model.<id>.<key>}; a challenger too. */
        MODEL,
        /** Every model, and one model as {@code model.<id>.<key>}; not a challenger (it is what the champion serves). */
        MODEL_NOT_CHALLENGER
    }

    public final String key;
    public final OptionType<T> type;
    /** Null: none (the option is required, or its value depends on another's; see {@link #defaultText}). */
    public final T defaultValue;

    public final String description;
    public final Scope scope;
    private final SerializablePredicate<T> rule;
    private final String ruleText;
    private final String defaultText;

    /** A rule a value must keep, which travels with a model's spec. */
    @FunctionalInterface
    public interface SerializablePredicate<T> extends Predicate<T>, Serializable {}

    private Option(Builder<T> b) {
        this.key = b.key;
        this.type = b.type;
        this.defaultValue = b.defaultValue;
        this.description = b.description;
        this.scope = b.scope;
        this.rule = b.rule;
        this.ruleText = b.ruleText;
        this.defaultText = b.defaultText;
    }

    public static <T> Builder<T> key(String key, OptionType<T> type) {
        return new Builder<>(key, type);
    }

    public boolean isModelOption() {
        return scope != Scope.JOB;
    }

    /** Whether a challenger of a model may set it to something other than the model's value. */
    public boolean challengerMaySet() {
        return scope == Scope.MODEL;
    }

    /** The value of {@code text} under this option's type and rule; {@code givenAs} names the key in the message. */
    public T parse(String text, String givenAs) {
        T value;
        try {
            value = type.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(givenAs, "'" + text + "' " + e.getMessage());
        }
        check(value, givenAs);
        return value;
    }

    /** Throws, naming {@code givenAs}, when the value breaks the rule. */
    public void check(T value, String givenAs) {
        if (value != null && !rule.test(value)) {
            throw new InvalidConfigException(givenAs, "'" + type.format(value) + "' " + ruleText);
        }
    }

    /** The default as the README's table shows it. */
    public String defaultText() {
        if (defaultText != null) {
            return defaultText;
        }
        if (defaultValue == null) {
            return "(required)";
        }
        String text = type.format(defaultValue);
        return text.isEmpty() ? "(empty)" : "`" + text + "`";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Option && ((Option<?>) o).key.equals(key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return key;
    }

    /** Declares an option. */
    public static final class Builder<T> {
        private final String key;
        private final OptionType<T> type;
        private T defaultValue;
        private String description = "";
        private Scope scope = Scope.JOB;
        private SerializablePredicate<T> rule = v -> true;

        private String ruleText = "";
        private String defaultText;

        private Builder(String key, OptionType<T> type) {
            this.key = Objects.requireNonNull(key);
            this.type = Objects.requireNonNull(type);
        }

        public Builder<T> defaultValue(T value) {
            this.defaultValue = value;
            return this;
        }

        /** What the README's table says of the default, when no single value is it. */
        public Builder<T> defaultText(String text) {
            this.defaultText = text;
            return this;
        }

        /** A rule every value must keep, and what to say of one that does not ("must be in 1..100"). */
        public Builder<T> rule(SerializablePredicate<T> valid, String text) {
            this.rule = valid;
            this.ruleText = text;
            return this;
        }

        public Builder<T> description(String text) {
            this.description = text;
            return this;
        }

        /** An option of each model: settable for all, for one, and by a challenger. */
        public Builder<T> perModel() {
            this.scope = Scope.MODEL;
            return this;
        }

        /** An option of each model that a challenger keeps as its model has it (what the model is asked with, or how it is kept). */
        public Builder<T> perModelNotChallenger() {
            this.scope = Scope.MODEL_NOT_CHALLENGER;
            return this;
        }

        public Option<T> build() {
            Option<T> option = new Option<>(this);
            if (defaultValue != null) {
                option.check(defaultValue, key); // a default breaking its own rule is a bug here, caught at class load
            }
            return option;
        }
    }
}
