package dev.streamlearn.features;

import dev.streamlearn.options.OptionType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The value of a model's {@code crosses} option: the feature crosses every event of the model
 * gets besides its own features, e.g. {@code user*genre,item*age,user*}. A cross names two fields
 * (or three: {@code a*b*c}); a pair with one side empty ({@code user*}) crosses the field with
 * every other string-valued feature of the event that no other cross already pairs it with.
 */
public final class Crosses implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Crosses one model may declare: each is hashed for every event, so they stay few. */
    public static final int MAX_CROSSES = 32;

    public static final Crosses NONE = new Crosses(List.of());

    /** One cross: its fields in the order they are hashed, or one field and {@link #withEveryOther}. */
    public static final class Cross implements Serializable {
        private static final long serialVersionUID = 1L;

        public final String[] fields;
        public final boolean withEveryOther;
        /** With {@link #withEveryOther}: the fields other crosses pair this one with by name. */
        public final String[] except;

        Cross(String[] fields, boolean withEveryOther, String[] except) {
            this.fields = fields;
            this.withEveryOther = withEveryOther;
            this.except = except;
        }

        /** The fields as a set, to find the same cross written in another order. */
        String identity() {
            return withEveryOther ? fields[0] + "*" : String.join("*", new TreeSet<>(Arrays.asList(fields)));
        }

        @Override
        public String toString() {
            return withEveryOther ? fields[0] + "*" : String.join("*", fields);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cross
                    && ((Cross) o).withEveryOther == withEveryOther
                    && Arrays.equals(((Cross) o).fields, fields);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(fields) * 2 + (withEveryOther ? 1 : 0);
        }
    }

    private final List<Cross> crosses;

    private Crosses(List<Cross> crosses) {
        this.crosses = List.copyOf(crosses);
    }

    public List<Cross> list() {
        return crosses;
    }

    public boolean isEmpty() {
        return crosses.isEmpty();
    }

    /** How the option reads and writes its value. */
    public static final OptionType<Crosses> TYPE = new OptionType<>() {
        private static final long serialVersionUID = 1L;

        @Override
        public Crosses parse(String text) {
            if (text.trim().equals("none")) {
                return NONE;
            }
            List<Cross> all = new ArrayList<>();
            for (String part : text.split(",", -1)) {
                if (!part.isBlank()) {
                    all.add(cross(part.trim()));
                }
            }
            if (all.size() > MAX_CROSSES) {
                throw invalid(all.size() + " crosses, at most " + MAX_CROSSES);
            }
            for (int i = 0; i < all.size(); i++) {
                for (int j = 0; j < i; j++) {
                    if (all.get(i).identity().equals(all.get(j).identity())) {
                        throw invalid(all.get(j) + " and " + all.get(i) + " make the same features twice");
                    }
                }
            }
            List<Cross> resolved = new ArrayList<>();
            for (Cross c : all) {
                resolved.add(c.withEveryOther ? new Cross(c.fields, true, partners(c.fields[0], all, resolved)) : c);
            }
            return new Crosses(resolved);
        }

        @Override
        public String format(Crosses value) {
            return value.crosses.isEmpty()
                    ? "none"
                    : value.crosses.stream().map(Cross::toString).collect(Collectors.joining(","));
        }
    };

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException("is not a list of crosses (user*genre,a*b*c,user*): " + why);
    }

    private static Cross cross(String text) {
        String[] sides = text.split("\\*", -1);
        if (sides.length < 2 || sides.length > 3) {
            throw invalid("'" + text + "' is not two or three field names joined by '*', nor a field and '*'");
        }
        for (int i = 0; i < sides.length; i++) {
            sides[i] = sides[i].trim();
        }
        long empty = Arrays.stream(sides).filter(String::isEmpty).count();
        if (empty > 0) {
            if (sides.length != 2 || empty != 1) {
                throw invalid("'" + text + "': only a pair may leave one side empty");
            }
            return new Cross(new String[] {sides[0].isEmpty() ? sides[1] : sides[0]}, true, new String[0]);
        }
        if (Arrays.stream(sides).distinct().count() != sides.length) {
            throw invalid("'" + text + "' crosses a field with itself");
        }
        return new Cross(sides, false, new String[0]);
    }

    /**
     * The fields {@code field} is crossed with elsewhere: by name in a pair of {@code all}, or as
     * the field of a cross with every other that comes {@code before}.
     */
    private static String[] partners(String field, List<Cross> all, List<Cross> before) {
        List<String> partners = new ArrayList<>();
        for (Cross c : all) {
            if (!c.withEveryOther
                    && c.fields.length == 2
                    && Arrays.asList(c.fields).contains(field)) {
                partners.add(c.fields[0].equals(field) ? c.fields[1] : c.fields[0]);
            }
        }
        for (Cross c : before) {
            if (c.withEveryOther) {
                partners.add(c.fields[0]);
            }
        }
        return partners.toArray(String[]::new);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Crosses && ((Crosses) o).crosses.equals(crosses);
    }

    @Override
    public int hashCode() {
        return Objects.hash(crosses);
    }

    @Override
    public String toString() {
        return TYPE.format(this);
    }
}
