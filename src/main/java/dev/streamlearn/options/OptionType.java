package dev.streamlearn.options;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How an option's text becomes a value, and how a value is written back (in the README's table,
 * in a model's spec): whole numbers, numbers, true/false, text, one of an enum's names, lists.
 */
public abstract class OptionType<T> implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The value of {@code text}; throws {@link IllegalArgumentException} with what a value must look like. */
    public abstract T parse(String text);

    /** The value as an option would be written. */
    public String format(T value) {
        return String.valueOf(value);
    }

    public static final OptionType<Integer> INT = new OptionType<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer parse(String text) {
            try {
                return Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("is not a valid whole number");
            }
        }
    };

    public static final OptionType<Long> LONG = new OptionType<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public Long parse(String text) {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("is not a valid whole number");
            }
        }
    };

    public static final OptionType<Double> DOUBLE = new OptionType<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public Double parse(String text) {
            try {
                return Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("is not a valid number");
            }
        }
    };

    public static final OptionType<Boolean> BOOLEAN = new OptionType<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public Boolean parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            if (t.equals("true") || t.equals("false")) {
                return Boolean.valueOf(t);
            }
            throw new IllegalArgumentException("is neither true nor false");
        }
    };

    public static final OptionType<String> STRING = new OptionType<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public String parse(String text) {
            return text.trim();
        }
    };

    /** Comma-separated names, blanks left out; empty: none. */
    public static final OptionType<List<String>> NAMES = new OptionType<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public List<String> parse(String text) {
            List<String> parts = new ArrayList<>();
            for (String n : text.split(",", -1)) {
                if (!n.isBlank()) {
                    parts.add(n.trim());
                }
            }
            return List.copyOf(parts);
        }

        @Override
        public String format(List<String> value) {
            return String.join(",", value);
        }
    };

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|min|h|d)?");

    /** Comma-separated durations (30m, 1h, 7d; a bare number is milliseconds), each at least 1 ms, as millis. */
    public static final OptionType<List<Long>> DURATIONS = new OptionType<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public List<Long> parse(String text) {
            List<Long> millis = new ArrayList<>();
            for (String span : NAMES.parse(text)) {
                Matcher m = DURATION.matcher(span);
                if (!m.matches()) {
                    throw new IllegalArgumentException("is not a list of durations like 30m,1h,1d");
                }
                long unit = unitMillis(m.group(2));
                long ms;
                try {
                    ms = Math.multiplyExact(Long.parseLong(m.group(1)), unit);
                } catch (ArithmeticException | NumberFormatException e) {
                    throw new IllegalArgumentException("has a duration too long: " + span);
                }
                if (ms < 1) {
                    throw new IllegalArgumentException("has a duration under 1 ms: " + span);
                }
                millis.add(ms);
            }
            if (millis.isEmpty()) {
                throw new IllegalArgumentException("is not a list of durations like 30m,1h,1d");
            }
            return List.copyOf(millis);
        }

        @Override
        public String format(List<Long> value) {
            return value.stream().map(OptionType::duration).collect(Collectors.joining(","));
        }
    };

    private static long unitMillis(String unit) {
        if (unit == null || unit.equals("ms")) {
            return 1;
        }
        switch (unit) {
            case "s":
                return 1_000;
            case "m":
            case "min":
                return 60_000;
            case "h":
                return 3_600_000;
            default:
                return 86_400_000;
        }
    }

    private static String duration(long millis) {
        long[] units = {86_400_000, 3_600_000, 60_000, 1_000};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (millis % units[i] == 0) {
                return millis / units[i] + names[i];
            }
        }
        return millis + "ms";
    }

    /**
     * One of an enum's constants, by the name its {@code toString} gives (the lower-case names the
     * options use, such as {@code at-least-once}).
     */
    public static <E extends Enum<E>> OptionType<E> oneOf(Class<E> type) {
        return new OptionType<>() {
            private static final long serialVersionUID = 1L;

            @Override
            public E parse(String text) {
                String t = text.trim();
                for (E e : type.getEnumConstants()) {
                    if (e.toString().equalsIgnoreCase(t)) {
                        return e;
                    }
                }
                throw new IllegalArgumentException("is none of "
                        + Arrays.stream(type.getEnumConstants())
                                .map(Object::toString)
                                .collect(Collectors.joining(", ")));
            }
        };
    }
}
