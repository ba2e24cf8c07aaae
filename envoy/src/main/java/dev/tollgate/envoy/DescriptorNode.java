package dev.tollgate.envoy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One level of a domain's descriptor tree: the configured descriptors below it by {@code key_value} (or {@code key} for
 * one without a value), the wildcard values among them, and its own limit. Built once by {@link EnvoyConfig}, then only
 * read.
 */
final class DescriptorNode {

    /** A configured {@code key_value} with {@code *} in it, split at the stars once, when loaded. */
    record Wildcard(String finalKey, List<String> parts) {}

    final Map<String, DescriptorNode> children = new LinkedHashMap<>();
    final List<Wildcard> wildcards = new ArrayList<>();
    final Optional<DescriptorLimit> limit;
    /** The {@code key_value*} pattern whose matches share one counter ({@code share_threshold}); empty when not. */
    final String sharedPattern;

    DescriptorNode(Optional<DescriptorLimit> limit, String sharedPattern) {
        this.limit = limit;
        this.sharedPattern = sharedPattern;
    }

    /**
     * What a request's descriptor found in a domain's tree.
     *
     * @param limit the limit of the descriptor its entries lead to
     * @param counterKey the key it is counted under: the domain and each entry's {@code key_value} (or {@code key}
     *     when the value is empty) joined by dots, the value being the wildcard for an entry matched by one with
     *     {@code share_threshold}: {@code edge.remote_address_10.0.0.1.path_/api}
     */
    record Found(DescriptorLimit limit, String counterKey) {}

    /**
     * Walks {@code entries} down the tree below {@code domain}, as envoyproxy/ratelimit does: at each level an entry
     * leads to the configured descriptor of the same key and value, else one whose wildcard value matches, else the one
     * of the same key without a value; the walk stops where no descriptor or no level below is found. The limit found
     * is that of the descriptor the last entry leads to; there is none when the walk stops before it.
     */
    static Optional<Found> find(String domainName, DescriptorNode domain, List<RateLimitRequest.Entry> entries) {
        Map<String, DescriptorNode> level = domain.children;
        DescriptorNode parent = domain;
        String[] shared = new String[entries.size()];
        DescriptorLimit found = null;
        for (int i = 0; i < entries.size(); i++) {
            RateLimitRequest.Entry entry = entries.get(i);
            String finalKey = entry.key() + "_" + entry.value();
            DescriptorNode next = level.get(finalKey);
            boolean byWildcard = false;
            if (next == null) {
                for (Wildcard wildcard : parent.wildcards) {
                    if (matches(wildcard.parts(), finalKey)) {
                        next = level.get(wildcard.finalKey());
                        byWildcard = true;
                        break;
                    }
                }
            }
            if (next == null) {
                next = level.get(entry.key());
            }
            if (next == null) {
                break;
            }
            if (byWildcard && !next.sharedPattern.isEmpty()) {
                String prefix = entry.key() + "_";
                shared[i] = next.sharedPattern.startsWith(prefix)
                        ? next.sharedPattern.substring(prefix.length())
                        : next.sharedPattern;
            }
            if (i == entries.size() - 1 && next.limit.isPresent()) {
                found = next.limit.get();
            }
            if (next.children.isEmpty()) {
                break;
            }
            level = next.children;
            parent = next;
        }
        if (found == null) {
            return Optional.empty();
        }
        return Optional.of(new Found(found, counterKey(domainName, entries, shared)));
    }

    /** The key of ratelimit's limit overrides and of the counters: see {@link Found#counterKey}. */
    static String counterKey(String domain, List<RateLimitRequest.Entry> entries, String[] shared) {
        StringBuilder key = new StringBuilder(domain);
        for (int i = 0; i < entries.size(); i++) {
            RateLimitRequest.Entry entry = entries.get(i);
            String value = shared != null && shared[i] != null ? shared[i] : entry.value();
            key.append('.').append(entry.key());
            if (!value.isEmpty()) {
                key.append('_').append(value);
            }
        }
        return key.toString();
    }

    /**
     * Whether {@code text} matches a wildcard split at its stars: each star stands for any run of characters, as
     * envoyproxy/ratelimit matches {@code value: "files*"} and {@code value: "a*b*c"}.
     */
    static boolean matches(List<String> parts, String text) {
        if (parts.size() == 1) {
            return parts.get(0).equals(text);
        }
        String first = parts.get(0);
        String last = parts.get(parts.size() - 1);
        int fixed = 0;
        for (String part : parts) {
            fixed += part.length();
        }
        if (text.length() < fixed || !text.startsWith(first) || !text.endsWith(last)) {
            return false;
        }
        int from = first.length();
        int to = text.length() - last.length();
        for (String part : parts.subList(1, parts.size() - 1)) {
            int at = text.indexOf(part, from);
            if (at < 0 || at + part.length() > to) {
                return false;
            }
            from = at + part.length();
        }
        return true;
    }
}
