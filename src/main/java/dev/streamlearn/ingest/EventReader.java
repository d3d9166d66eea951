package dev.streamlearn.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;

/**
 * Reads one event from Jackson's token stream into reused fields: no tree, no object per field.
 * Every top-level field the formats know is kept as a {@link JsonScalar}, the features in
 * {@link EventFeatures}; other fields are read past. The whole record is read before any field
 * is checked, so a record that is not valid JSON is always reported as such.
 */
final class EventReader {

    /**
     * Strict JSON: one object and nothing after it, no key twice at any level (which value would
     * count?). NaN and Infinity literals parse (Python's json.dumps writes them) so they can be
     * rejected by name. Duplicate keys of the event and of its features are found by {@link NameSet};
     * Jackson's own detection is switched on only for the nested values read past.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    final JsonScalar model = new JsonScalar();
    final JsonScalar id = new JsonScalar();
    final JsonScalar ts = new JsonScalar();
    final JsonScalar label = new JsonScalar();
    final JsonScalar weight = new JsonScalar();
    final JsonScalar series = new JsonScalar();
    final JsonScalar value = new JsonScalar();
    final JsonScalar op = new JsonScalar();
    final JsonScalar version = new JsonScalar();
    final JsonScalar to = new JsonScalar();
    final JsonScalar force = new JsonScalar();
    final JsonScalar log = new JsonScalar();
    final JsonScalar servedScore = new JsonScalar();
    final JsonScalar explain = new JsonScalar();
    final JsonScalar featuresAsServed = new JsonScalar();
    final JsonScalar servedMargin = new JsonScalar();
    final JsonScalar use = new JsonScalar();
    private final JsonScalar[] all = {
        model,
        id,
        ts,
        label,
        weight,
        series,
        value,
        op,
        version,
        to,
        force,
        log,
        servedScore,
        explain,
        featuresAsServed,
        servedMargin,
        use
    };
    /** The names of {@link #all}, in its order. */
    private static final String[] NAMES = {
        "model",
        "id",
        "ts",
        "label",
        "weight",
        "series",
        "value",
        "op",
        "version",
        "to",
        "force",
        "log",
        "servedScore",
        "explain",
        "featuresAsServed",
        "servedMargin",
        "use"
    };

    static final String FEATURES = "features";
    static final String ENTITIES = "entities";

    final EventFeatures features = new EventFeatures();
    /** The event's own {@code entities} object (read only from the token stream: the scanner leaves objects to it). */
    final EventFeatures entities = new EventFeatures();

    private final NameSet fieldNames = new NameSet();
    private final EventScanner scanner = new EventScanner();

    /**
     * Reads {@code payload}, which must be one JSON object and nothing more: in place when the
     * {@link EventScanner} can, otherwise from Jackson's token stream, which also decides and
     * explains everything that is not well-formed.
     *
     * @throws IOException Jackson's exceptions for what is not JSON or past its limits
     */
    void read(String payload) throws IOException {
        clear();
        if (!scanner.read(payload, this)) {
            clear();
            readTokens(payload);
        }
    }

    /** Reads {@code payload} from Jackson's token stream only, as {@link #read} does what the scanner leaves. */
    void readTokens(String payload) throws IOException {
        fieldNames.clear();
        try (JsonParser p = JSON.createParser(payload)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                if (t != null) {
                    skipStrictly(p); // a deep array is past the limits before it is not an object
                }
                throw new JsonParseException(p, "expected a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (!fieldNames.add(name)) {
                    throw duplicate(p, name);
                }
                JsonToken v = p.nextToken();
                JsonScalar field = field(name);
                if (field != null) {
                    field.read(p, v);
                } else if (name.equals(FEATURES)) {
                    features.read(p, v);
                } else if (name.equals(ENTITIES)) {
                    entities.read(p, v);
                } else {
                    skipStrictly(p); // a field the formats do not know: allowed, and read past
                }
            }
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "more after the event's object");
            }
        }
    }

    /** Reads past the value at the current token, refusing a key twice in any object inside it. */
    static void skipStrictly(JsonParser p) throws IOException {
        if (!p.currentToken().isStructStart()) {
            return;
        }
        p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try {
            p.skipChildren();
        } finally {
            p.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        }
    }

    /** The top-level fields this reads, features aside. */
    JsonScalar[] fields() {
        return all.clone();
    }

    private void clear() {
        for (JsonScalar s : all) {
            s.clear();
        }
        features.clear();
        entities.clear();
    }

    static JsonParseException duplicate(JsonParser p, String name) {
        return new JsonParseException(p, "Duplicate field '" + name + "'");
    }

    private JsonScalar field(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return all[i];
            }
        }
        return null;
    }

    /** The field named by {@code utf8[start, +length)}, or null for a name the formats do not know (or features). */
    JsonScalar field(byte[] utf8, int start, int length) {
        for (int i = 0; i < NAMES.length; i++) {
            if (EventScanner.named(NAMES[i], utf8, start, length)) {
                return all[i];
            }
        }
        return null;
    }
}
