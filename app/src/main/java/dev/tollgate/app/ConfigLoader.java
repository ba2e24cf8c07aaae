package dev.tollgate.app;

import dev.tollgate.app.ConfigSchema.Kind;
import dev.tollgate.core.Rule;
import dev.tollgate.plugin.Durations;
import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads Tollgate's configuration: a YAML or JSON file over the defaults, then environment variables
 * over both ({@code TOLLGATE_HTTP_PORT=9090} sets {@code http.port}; camel case may be split,
 * {@code TOLLGATE_EVENTS_BATCH_SIZE}). Every value is checked here, by the {@link Settings} getters every plugin
 * uses: an unknown key or a bad value fails with one {@link SettingsException} naming it. Layers merge with
 * {@link JsonObject#mergeIn(JsonObject, boolean)}.
 *
 * <p>vertx-config would read the file and the environment too, but its YAML reader has no bound on aliases,
 * nesting or size (a configuration file is input like any other), and its environment store cannot tell
 * {@code TOLLGATE_HTTP_PORT} from a typo: both would cost the one-line errors this class gives. Watching the
 * file is {@link ConfigWatcher}'s, which keeps the running rules through a half-written or emptied file.
 */
final class ConfigLoader {

    private static final String ENV_PREFIX = "TOLLGATE_";

    private final Set<String> storeNames;

    /** @param storeNames the event stores on the classpath: each may have a section under {@code events} */
    ConfigLoader(Set<String> storeNames) {
        this.storeNames = storeNames;
    }

    /** The largest configuration file read: anything bigger is a mistake or an attack, not a configuration. */
    static final int MAX_FILE_BYTES = 4 << 20;
    /** The most values (keys, list items, scalars) a configuration holds once YAML aliases are expanded. */
    static final int MAX_NODES = 200_000;

    private static final int MAX_ALIASES = 50;
    private static final int MAX_NESTING = 50;

    /** The configuration in {@code file} (when present) and {@code env}, over the defaults. */
    TollgateConfig load(Optional<Path> file, Map<String, String> env) {
        return file.isPresent() ? load(file.get(), read(file.get()), env) : load(null, new JsonObject(), env);
    }

    /**
     * The configuration {@code fromFile} (as {@link #read} or {@link #parse} gave it) and {@code env}, over the
     * defaults.
     */
    TollgateConfig load(Path file, JsonObject fromFile, Map<String, String> env) {
        JsonObject config = defaults();
        JsonObject checked = fromFile.copy();
        check(checked, "");
        config.mergeIn(checked, true);
        applyEnvironment(config, env);
        return new TollgateConfig(config, parseRules(config), Optional.ofNullable(file));
    }

    static JsonObject read(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new SettingsException(
                        file.toString(),
                        "the file is " + Files.size(file) + " bytes; a configuration " + "file is at most "
                                + MAX_FILE_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SettingsException(file.toString(), "cannot read the configuration file: " + describe(e));
        }
        return parse(file, bytes);
    }

    /**
     * The keys of {@code content}, the bytes of {@code file} (JSON when its name ends in {@code .json}, else
     * YAML). YAML's aliases and nesting are bounded, a structure that contains itself is refused, and so is
     * one that expands past {@value #MAX_NODES} values: every such file is a one-line {@link SettingsException}.
     */
    static JsonObject parse(Path file, byte[] content) {
        if (content.length > MAX_FILE_BYTES) {
            throw new SettingsException(
                    file.toString(),
                    "the file is " + content.length + " bytes; a configuration " + "file is at most " + MAX_FILE_BYTES
                            + " bytes");
        }
        String text = new String(content, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return new JsonObject();
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".json")) {
                return new JsonObject(text);
            }
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(MAX_ALIASES);
            options.setNestingDepthLimit(MAX_NESTING);
            options.setAllowRecursiveKeys(false);
            options.setCodePointLimit(MAX_FILE_BYTES);
            Object parsed = new Yaml(new SafeConstructor(options)).load(text);
            if (parsed == null) {
                return new JsonObject();
            }
            if (!(parsed instanceof Map<?, ?> map)) {
                throw new SettingsException(
                        file.toString(), "expected a mapping of keys at the top, as in 'http: { port: 8080 }'");
            }
            return (JsonObject) toJson(map, new Expansion(file));
        } catch (DecodeException e) {
            throw new SettingsException(file.toString(), "not valid JSON: " + oneLine(e.getMessage()));
        } catch (YAMLException e) {
            throw new SettingsException(file.toString(), "not valid YAML: " + oneLine(e.getMessage()));
        } catch (StackOverflowError e) {
            throw new SettingsException(file.toString(), "nested too deeply to read");
        }
    }

    private static String oneLine(String message) {
        String line = String.valueOf(message).replaceAll("\\s+", " ").trim();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException
                ? "no such file"
                : e.getClass().getSimpleName() + " " + e.getMessage();
    }

    /** Counts the values a YAML document expands to and the collections on the way down, to refuse bombs and loops. */
    private static final class Expansion {
        private final Path file;
        private final java.util.Set<Object> path =
                java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        private int nodes;

        Expansion(Path file) {
            this.file = file;
        }

        void enter(Object collection) {
            if (++nodes > MAX_NODES) {
                throw new SettingsException(
                        file.toString(),
                        "expands to more than " + MAX_NODES
                                + " values (an alias bomb?); a configuration is far smaller");
            }
            if (collection != null && !path.add(collection)) {
                throw new SettingsException(file.toString(), "a value contains itself through an alias (&x … *x)");
            }
        }

        void leave(Object collection) {
            path.remove(collection);
        }
    }

    private static Object toJson(Map<?, ?> map, Expansion expansion) {
        expansion.enter(map);
        JsonObject json = new JsonObject();
        map.forEach((k, v) -> json.put(String.valueOf(k), toJsonValue(v, expansion)));
        expansion.leave(map);
        return json;
    }

    private static Object toJsonValue(Object value, Expansion expansion) {
        if (value instanceof Map<?, ?> map) {
            return toJson(map, expansion);
        }
        if (value instanceof List<?> list) {
            expansion.enter(list);
            JsonArray array = new JsonArray();
            list.forEach(item -> array.add(toJsonValue(item, expansion)));
            expansion.leave(list);
            return array;
        }
        expansion.enter(null);
        if (value instanceof java.util.Date date) {
            return date.toInstant().toString();
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static JsonObject toJson(Map<?, ?> map) {
        JsonObject json = new JsonObject();
        map.forEach((k, v) -> json.put(String.valueOf(k), v instanceof Map<?, ?> m ? toJson(m) : v));
        return json;
    }

    private static JsonObject defaults() {
        JsonObject config = new JsonObject();
        for (ConfigSchema.Key key : ConfigSchema.KEYS.values()) {
            Object value = key.defaultValue();
            if (value instanceof Map<?, ?> map) {
                value = toJson(map);
            } else if (value instanceof List<?> list) {
                value = new JsonArray(new ArrayList<>(list));
            }
            put(config, key.path(), value);
        }
        return config;
    }

    /** Checks every key of {@code json} (at {@code prefix}) against the schema and converts values in place. */
    private void check(JsonObject json, String prefix) {
        for (String name : new ArrayList<>(json.fieldNames())) {
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            ConfigSchema.Key key = ConfigSchema.KEYS.get(path);
            Object value = json.getValue(name);
            if (key != null) {
                json.put(name, convert(key, path, value));
                continue;
            }
            if (path.startsWith("events.") && storeNames.contains(name) && prefix.equals("events")) {
                if (!(value instanceof JsonObject)) {
                    throw new SettingsException(
                            path, "expected the settings of the '" + name + "' store, as in " + path + ": { ... }");
                }
                continue;
            }
            if (isSection(path)) {
                if (value != null && !(value instanceof JsonObject)) {
                    throw new SettingsException(
                            path, "expected a group of keys such as " + path + ": { ... }, got " + value);
                }
                if (value != null) {
                    check((JsonObject) value, path);
                }
                continue;
            }
            throw new SettingsException(
                    path,
                    "unknown key; known" + (prefix.isEmpty() ? "" : " under " + prefix) + ": "
                            + String.join(", ", known(prefix)));
        }
    }

    private static boolean isSection(String path) {
        String dotted = path + ".";
        return ConfigSchema.KEYS.keySet().stream().anyMatch(k -> k.startsWith(dotted));
    }

    private Set<String> known(String prefix) {
        Set<String> names = new TreeSet<>();
        String dotted = prefix.isEmpty() ? "" : prefix + ".";
        for (String path : ConfigSchema.KEYS.keySet()) {
            if (path.startsWith(dotted)) {
                String rest = path.substring(dotted.length());
                names.add(rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest);
            }
        }
        if (prefix.equals("events")) {
            names.addAll(storeNames);
        }
        return names;
    }

    /**
     * {@code value}, the value at {@code path}, checked and converted as its key's kind says: read by {@link Settings}, so
     * the messages are those every plugin's settings give, naming {@code path}.
     */
    private static Object convert(ConfigSchema.Key key, String path, Object value) {
        if (value == null) {
            return key.kind() == Kind.URL
                    ? null
                    : key.defaultValue() instanceof Map<?, ?> m ? toJson(m) : key.defaultValue();
        }
        int dot = path.lastIndexOf('.');
        String name = path.substring(dot + 1);
        Settings one = Settings.of(dot < 0 ? "" : path.substring(0, dot), new JsonObject().put(name, value));
        return switch (key.kind()) {
            case TEXT -> one.text(name, "");
            case CHOICE -> one.choice(name, key.choices(), null);
            case SIZE -> {
                one.size(name);
                yield String.valueOf(value).trim();
            }
            case URL -> one.url(name).map(URI::toString).orElse(null);
            case PORT -> one.port(name, 0, 0);
            case POSITIVE -> one.whole(name, 1, 1, Long.MAX_VALUE);
            case INTEGER -> one.whole(name).orElseThrow();
            case NUMBER -> one.number(name, 0);
            case BOOLEAN -> one.bool(name, false);
            case DURATION -> Durations.format(one.duration(name).orElseThrow(() -> one.problem(name, "it is empty")));
            case LIST -> new JsonArray(new ArrayList<>(one.list(name)));
            case RULES -> {
                if (!(value instanceof JsonArray array)) {
                    throw one.problem(name, "expected a list of rules, as in rules: [ { name: api, ... } ]");
                }
                yield array;
            }
            case GROUPS -> {
                if (!(value instanceof JsonArray array)) {
                    throw one.problem(name, "expected a list of groups of keys, as in " + name + ": [ { ... } ]");
                }
                yield array;
            }
            case SECTION -> one.under(name).json();
        };
    }

    private static List<Rule> parseRules(JsonObject config) {
        List<Rule> rules = new ArrayList<>();
        for (Settings rule :
                Settings.of(config).groups("rules", "{ name: api, path: /api/*, limit: 100, window: 1m }")) {
            rules.add(Rule.from(rule));
        }
        return rules;
    }

    private void applyEnvironment(JsonObject config, Map<String, String> env) {
        Map<String, String> byName = new java.util.HashMap<>();
        for (ConfigSchema.Key key : ConfigSchema.KEYS.values()) {
            if (key.kind() == Kind.SECTION) {
                JsonObject section = (JsonObject) get(config, key.path());
                for (String field : section.fieldNames()) {
                    for (String name : envNames(key.path() + "." + field)) {
                        byName.put(name, key.path() + "." + field);
                    }
                }
            } else {
                for (String name : envNames(key.path())) {
                    byName.put(name, key.path());
                }
            }
        }
        for (Map.Entry<String, String> entry : new TreeSet<>(env.keySet())
                .stream()
                        .filter(n -> n.startsWith(ENV_PREFIX))
                        .map(n -> Map.entry(n, env.get(n)))
                        .toList()) {
            String path = byName.get(entry.getKey());
            if (path == null) {
                throw new SettingsException(
                        entry.getKey(),
                        "unknown setting; environment variables name a key, as in "
                                + "TOLLGATE_HTTP_PORT for http.port");
            }
            ConfigSchema.Key key = ConfigSchema.KEYS.get(path);
            Object value;
            try {
                if (key == null) {
                    value = entry.getValue();
                } else if (key.kind() == Kind.RULES || key.kind() == Kind.GROUPS) {
                    value = new JsonArray(entry.getValue());
                } else {
                    value = convert(key, path, entry.getValue());
                }
            } catch (DecodeException e) {
                throw new SettingsException(entry.getKey(), "expected a JSON list: " + e.getMessage());
            } catch (SettingsException e) {
                throw e.at(entry.getKey());
            }
            put(config, path, value);
        }
    }

    /** {@code events.batchSize} → {@code TOLLGATE_EVENTS_BATCHSIZE} and {@code TOLLGATE_EVENTS_BATCH_SIZE}. */
    static List<String> envNames(String path) {
        String joined = path.replace('.', '_');
        String plain = ENV_PREFIX + joined.toUpperCase(Locale.ROOT);
        String split =
                ENV_PREFIX + joined.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        return plain.equals(split) ? List.of(plain) : List.of(plain, split);
    }

    /** The names along a dotted path; trailing empty ones are dropped, as {@code split("\\.")} always did. */
    private static String[] names(String path) {
        String[] parts = path.split("\\.", -1);
        int end = parts.length;
        while (parts.length > 1 && end > 0 && parts[end - 1].isEmpty()) {
            end--;
        }
        return Arrays.copyOf(parts, end);
    }

    private static Object get(JsonObject config, String path) {
        String[] parts = names(path);
        JsonObject node = config;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.getJsonObject(parts[i]);
        }
        return node.getValue(parts[parts.length - 1]);
    }

    private static void put(JsonObject config, String path, Object value) {
        String[] parts = names(path);
        JsonObject node = config;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonObject next = node.getJsonObject(parts[i]);
            if (next == null) {
                next = new JsonObject();
                node.put(parts[i], next);
            }
            node = next;
        }
        node.put(parts[parts.length - 1], value);
    }
}
