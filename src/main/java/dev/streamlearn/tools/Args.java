package dev.streamlearn.tools;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --name value} and {@code --flag} arguments of the command-line tools, with misuse
 * reported in one line. The options a tool knows are the ones its usage text names.
 */
final class Args {

    private static final Pattern OPTION = Pattern.compile("--[a-z][a-z-]*");

    private final Map<String, String> values = new HashMap<>();
    final boolean help;

    Args(String[] args, String usage) {
        boolean h = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                h = true;
            } else if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'\n" + usage);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                values.put(a, args[++i]);
            } else {
                values.put(a, "");
            }
        }
        help = h;
        for (String name : values.keySet()) {
            if (!knows(usage, name)) {
                throw new IllegalArgumentException("unknown option " + name + " (see --help)");
            }
        }
    }

    private static boolean knows(String usage, String name) {
        Matcher m = OPTION.matcher(usage);
        while (m.find()) {
            if (m.group().equals(name)) {
                return true;
            }
        }
        return false;
    }

    String get(String name, String fallback) {
        String v = values.get(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    String required(String name) {
        String v = get(name, null);
        if (v == null) {
            throw new IllegalArgumentException("missing " + name + " (see --help)");
        }
        return v;
    }

    int intValue(String name, int fallback) {
        String v = get(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " wants a whole number >= 0, got '" + v + "'");
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }
}
