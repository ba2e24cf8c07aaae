package dev.tollgate.envoy;

import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The rate limits of Envoy's descriptors, read from files in envoyproxy/ratelimit's own YAML shape, so that a team's
 * files move over unchanged: one {@code domain} per file, a tree of {@code descriptors}, each with a {@code key}, an
 * optional {@code value} (which may hold {@code *} wildcards), an optional {@code rate_limit} ({@code unit},
 * {@code requests_per_unit}, {@code unlimited}, {@code name}, {@code replaces}) and the flags {@code shadow_mode},
 * {@code quota_mode}, {@code share_threshold}, {@code detailed_metric}, {@code value_to_metric} and {@code metadata}
 * (the last three only name stats and metadata in envoyproxy/ratelimit: accepted, without effect here). Tollgate adds
 * {@code algorithm} (any of its algorithms; {@code fixed-window} by default, as envoyproxy/ratelimit counts) and
 * {@code burst} to a descriptor with a {@code rate_limit}.
 *
 * <p>Any other key is refused, and every problem names the file and the path to the key at fault
 * ({@code edge.yaml: descriptors[0].rate_limit.unit: ...}), as a {@link SettingsException}. Files are bounded:
 * {@value #MAX_FILE_BYTES} bytes, descriptors {@value #MAX_DEPTH} levels deep.
 */
public final class EnvoyConfig {

    /** The largest file read. */
    public static final int MAX_FILE_BYTES = 1 << 20;
    /** The deepest descriptor tree. */
    public static final int MAX_DEPTH = 32;

    private static final int MAX_ALIASES = 50;
    private static final Set<String> ROOT_KEYS = Set.of("domain", "descriptors");
    private static final Set<String> DESCRIPTOR_KEYS = Set.of(
            "key",
            "value",
            "rate_limit",
            "descriptors",
            "shadow_mode",
            "quota_mode",
            "detailed_metric",
            "value_to_metric",
            "share_threshold",
            "metadata",
            "algorithm",
            "burst");
    private static final Set<String> RATE_LIMIT_KEYS =
            Set.of("unit", "requests_per_unit", "unlimited", "name", "replaces");
    private static final String DESCRIPTOR_EXAMPLE =
            "{ key: remote_address, rate_limit: { unit: second, " + "requests_per_unit: 10 } }";

    private final Map<String, DescriptorNode> domains;
    private final List<DescriptorLimit> limits;

    private EnvoyConfig(Map<String, DescriptorNode> domains, List<DescriptorLimit> limits) {
        this.domains = Collections.unmodifiableMap(domains);
        this.limits = List.copyOf(limits);
    }

    /** A configuration without domains: every descriptor is allowed. */
    public static EnvoyConfig empty() {
        return new EnvoyConfig(Map.of(), List.of());
    }

    /**
     * Reads one file, or every {@code .yaml} and {@code .yml} file of a directory (not below it), in name order, as
     * envoyproxy/ratelimit reads its runtime directory. Two files of one domain are refused.
     *
     * @throws SettingsException naming the file, and the path in it, of the first problem
     */
    public static EnvoyConfig load(Path fileOrDirectory) {
        List<Path> files;
        if (Files.isDirectory(fileOrDirectory)) {
            try (Stream<Path> listed = Files.list(fileOrDirectory)) {
                files = listed.filter(Files::isRegularFile)
                        .filter(EnvoyConfig::isYaml)
                        .sorted()
                        .collect(Collectors.toList());
            } catch (IOException e) {
                throw new SettingsException(fileOrDirectory.toString(), "cannot list the directory: " + e.getMessage());
            }
        } else {
            files = List.of(fileOrDirectory);
        }
        Map<String, String> documents = new LinkedHashMap<>();
        for (Path file : files) {
            documents.put(file.toString(), read(file));
        }
        return parse(documents);
    }

    /**
     * Reads documents of envoyproxy/ratelimit's shape, one domain each.
     *
     * @param documents the YAML text of each document by the name problems are to give it (its file's)
     * @throws SettingsException naming the document, and the path in it, of the first problem
     */
    public static EnvoyConfig parse(Map<String, String> documents) {
        Map<String, DescriptorNode> domains = new LinkedHashMap<>();
        Map<String, String> domainSources = new LinkedHashMap<>();
        List<DescriptorLimit> limits = new ArrayList<>();
        for (Map.Entry<String, String> document : documents.entrySet()) {
            String source = document.getKey();
            try {
                Settings root = Settings.of(yaml(document.getValue()));
                root.requireOnly("ratelimit configuration", ROOT_KEYS);
                String domain = root.text("domain", "");
                if (domain.isEmpty()) {
                    throw root.problem("domain", "config file cannot have empty domain");
                }
                if (domains.containsKey(domain)) {
                    throw root.problem(
                            "domain",
                            "duplicate domain '" + domain + "', already in " + domainSources.get(domain)
                                    + "; one file per domain");
                }
                DescriptorNode top = new DescriptorNode(Optional.empty(), "");
                load(top, domain + ".", root, 1, source, limits);
                domains.put(domain, top);
                domainSources.put(domain, source);
            } catch (SettingsException e) {
                throw new SettingsException(e.key().isEmpty() ? source : source + ": " + e.key(), e.problem());
            }
        }
        return new EnvoyConfig(domains, limits);
    }

    /** The domains configured. */
    public Set<String> domains() {
        return new TreeSet<>(domains.keySet());
    }

    /** Every {@code rate_limit} configured, in the order of the files. */
    List<DescriptorLimit> limits() {
        return limits;
    }

    /** The descriptor tree of {@code domain}; empty for a domain not configured. */
    Optional<DescriptorNode> domain(String domain) {
        return Optional.ofNullable(domains.get(domain));
    }

    private static void load(
            DescriptorNode parent,
            String parentKey,
            Settings section,
            int depth,
            String source,
            List<DescriptorLimit> limits) {
        List<Settings> descriptors = section.groups("descriptors", DESCRIPTOR_EXAMPLE);
        if (!descriptors.isEmpty() && depth > MAX_DEPTH) {
            throw section.problem("descriptors", "descriptors nest more than " + MAX_DEPTH + " levels deep");
        }
        for (Settings descriptor : descriptors) {
            descriptor.requireOnly("descriptor", DESCRIPTOR_KEYS);
            String key = descriptor.text("key", "");
            if (key.isEmpty()) {
                throw descriptor.problem("key", "descriptor has empty key");
            }
            String value = descriptor.text("value", "");
            String finalKey = value.isEmpty() ? key : key + "_" + value;
            String fullKey = parentKey + finalKey;
            if (parent.children.containsKey(finalKey)) {
                throw descriptor.problem("key", "duplicate descriptor composite key '" + fullKey + "'");
            }
            Optional<DescriptorLimit> limit = limit(descriptor, fullKey, source);
            boolean shareThreshold = descriptor.bool("share_threshold", false);
            if (shareThreshold && !finalKey.contains("*")) {
                throw descriptor.problem(
                        "share_threshold",
                        "share_threshold can only be used with wildcard values (containing '*'), but found key '"
                                + finalKey + "'");
            }
            descriptor.bool("detailed_metric", false);
            descriptor.bool("value_to_metric", false);
            if (descriptor.has("metadata") && !(descriptor.value("metadata") instanceof JsonObject)) {
                throw descriptor.problem("metadata", "expected a group of keys");
            }
            if (finalKey.contains("*")) {
                parent.wildcards.add(new DescriptorNode.Wildcard(finalKey, List.of(finalKey.split("\\*", -1))));
            }
            DescriptorNode node = new DescriptorNode(limit, shareThreshold ? finalKey : "");
            limit.ifPresent(limits::add);
            load(node, fullKey + ".", descriptor, depth + 1, source, limits);
            parent.children.put(finalKey, node);
        }
    }

    private static Optional<DescriptorLimit> limit(Settings descriptor, String fullKey, String source) {
        if (!descriptor.has("rate_limit")) {
            for (String extension : List.of("algorithm", "burst")) {
                if (descriptor.has(extension)) {
                    throw descriptor.problem(extension, "only a descriptor with a rate_limit takes " + extension);
                }
            }
            return Optional.empty();
        }
        Settings rateLimit = descriptor.under("rate_limit");
        rateLimit.requireOnly("rate_limit", RATE_LIMIT_KEYS);
        boolean unlimited = rateLimit.bool("unlimited", false);
        Optional<String> unitName = rateLimit.text("unit");
        Optional<RateLimitUnit> unit = unitName.flatMap(RateLimitUnit::named);
        if (unlimited) {
            if (unit.isPresent()) {
                throw rateLimit.problem("unit", "should not specify rate limit unit when unlimited");
            }
        } else if (unit.isEmpty()) {
            throw rateLimit.problem(
                    "unit",
                    "invalid rate limit unit '" + unitName.orElse("") + "'; known: "
                            + Stream.of(RateLimitUnit.values())
                                    .map(u -> u.name().toLowerCase(Locale.ROOT))
                                    .collect(Collectors.joining(", ")));
        }
        long requestsPerUnit = rateLimit.whole("requests_per_unit", 0, 0, dev.tollgate.limiter.LimitSpec.MAX_PERMITS);
        String name = rateLimit.text("name", "");
        List<String> replaces = new ArrayList<>();
        for (Settings replaced : rateLimit.groups("replaces", "{ name: other_limit }")) {
            replaced.requireOnly("replaces entry", Set.of("name"));
            String replacedName = replaced.text("name", "");
            if (replacedName.isEmpty()) {
                throw replaced.problem("name", "should not have an empty replaces entry");
            }
            if (replacedName.equals(name)) {
                throw replaced.problem("name", "replaces should not contain name of same descriptor");
            }
            replaces.add(replacedName);
        }
        String algorithm = descriptor.text("algorithm", DescriptorLimit.DEFAULT_ALGORITHM);
        long burst = descriptor.whole("burst", 0, 1, dev.tollgate.limiter.LimitSpec.MAX_PERMITS);
        String where = source + ": " + descriptor.prefix();
        return Optional.of(new DescriptorLimit(
                fullKey,
                where,
                name,
                requestsPerUnit,
                unit,
                unlimited,
                descriptor.bool("shadow_mode", false),
                descriptor.bool("quota_mode", false),
                replaces,
                algorithm,
                burst));
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static String read(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new SettingsException(file.toString(), "larger than " + MAX_FILE_BYTES + " bytes");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SettingsException(file.toString(), "cannot read the file: " + e.getMessage());
        }
    }

    private static JsonObject yaml(String text) {
        if (text.length() > MAX_FILE_BYTES) {
            throw new SettingsException("", "larger than " + MAX_FILE_BYTES + " bytes");
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH * 3 + 10);
        options.setAllowRecursiveKeys(false);
        options.setCodePointLimit(MAX_FILE_BYTES);
        Object parsed;
        try {
            parsed = new Yaml(new SafeConstructor(options)).load(text);
        } catch (YAMLException e) {
            throw new SettingsException(
                    "",
                    "not valid YAML: " + e.getMessage().replaceAll("\\s+", " ").trim());
        }
        if (parsed == null) {
            return new JsonObject();
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new SettingsException("", "expected a mapping with domain and descriptors at the top");
        }
        return object(map, "");
    }

    private static JsonObject object(Map<?, ?> map, String at) {
        JsonObject json = new JsonObject();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new SettingsException(at, "config error, key is not of type string: " + entry.getKey());
            }
            json.put(
                    key,
                    value(entry.getValue(), Settings.of(at, new JsonObject()).key(key)));
        }
        return json;
    }

    private static Object value(Object value, String at) {
        if (value instanceof Map<?, ?> map) {
            return object(map, at);
        }
        if (value instanceof List<?> list) {
            JsonArray array = new JsonArray();
            for (int i = 0; i < list.size(); i++) {
                array.add(value(list.get(i), at + "[" + i + "]"));
            }
            return array;
        }
        if (value == null
                || value instanceof String
                || value instanceof Boolean
                || value instanceof Integer
                || value instanceof Long
                || value instanceof Double) {
            return value;
        }
        if (value instanceof BigInteger || value instanceof Date) {
            return value.toString();
        }
        throw new SettingsException(at, "expected text, a number, a boolean, a list or a group of keys");
    }
}
