package dev.tollgate.envoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.plugin.SettingsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files in envoyproxy/ratelimit's shape, how descriptors find their limits in them, and the problems named. */
class EnvoyConfigTest {

    /** envoyproxy/ratelimit's second example: nested descriptors, and value-less ones counted per value. */
    static final String MESSAGING = """
            domain: messaging
            descriptors:
              # Only allow 5 marketing messages a day
              - key: message_type
                value: marketing
                descriptors:
                  - key: to_number
                    rate_limit:
                      unit: day
                      requests_per_unit: 5

              # Only allow 100 messages a day to any unique phone number
              - key: to_number
                rate_limit:
                  unit: day
                  requests_per_unit: 100
            """;

    /** Its third: the most specific match wins, and a limit of 0 refuses all. */
    static final String EDGE = """
            domain: edge_proxy_per_ip
            descriptors:
              - key: remote_address
                rate_limit:
                  unit: second
                  requests_per_unit: 10

              # Black list IP
              - key: remote_address
                value: 50.0.0.5
                rate_limit:
                  unit: second
                  requests_per_unit: 0
            """;

    /** Unlimited, shadow mode, replaces, wildcards, and Tollgate's algorithm. */
    static final String INTERNAL = """
            domain: internal
            descriptors:
              - key: ldap
                rate_limit:
                  unlimited: true
              - key: azure
                shadow_mode: true
                detailed_metric: true
                rate_limit:
                  unit: minute
                  requests_per_unit: 100
              - key: user
                algorithm: token-bucket
                burst: 20
                rate_limit:
                  name: per_user
                  unit: hour
                  requests_per_unit: 10
              - key: vip
                value: alice
                rate_limit:
                  unit: hour
                  requests_per_unit: 1000
                  replaces:
                    - name: per_user
              - key: path
                value: "/files/*"
                share_threshold: true
                rate_limit:
                  unit: week
                  requests_per_unit: 3
              - key: path
                value: "/api/*/items"
                rate_limit:
                  unit: year
                  requests_per_unit: 7
            """;

    private static List<RateLimitRequest.Entry> entries(String... keysAndValues) {
        List<RateLimitRequest.Entry> entries = new ArrayList<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            entries.add(new RateLimitRequest.Entry(keysAndValues[i], keysAndValues[i + 1]));
        }
        return entries;
    }

    private static Optional<DescriptorNode.Found> find(EnvoyConfig config, String domain, String... keysAndValues) {
        return DescriptorNode.find(domain, config.domain(domain).orElseThrow(), entries(keysAndValues));
    }

    private static EnvoyConfig parse(String yaml) {
        return EnvoyConfig.parse(Map.of("test.yaml", yaml));
    }

    @Test
    void nestedDescriptorsFindTheirLimitAtTheDepthOfTheRequest() {
        EnvoyConfig config = parse(MESSAGING);

        DescriptorNode.Found marketing = find(
                        config, "messaging", "message_type", "marketing", "to_number", "2061111111")
                .orElseThrow();
        assertThat(marketing.limit().ruleName()).isEqualTo("messaging.message_type_marketing.to_number");
        assertThat(marketing.limit().requestsPerUnit()).isEqualTo(5);
        assertThat(marketing.limit().unit()).contains(RateLimitUnit.DAY);
        assertThat(marketing.counterKey())
                .as("the value of a value-less descriptor is in the key: each number its own counter")
                .isEqualTo("messaging.message_type_marketing.to_number_2061111111");

        DescriptorNode.Found anyNumber =
                find(config, "messaging", "to_number", "2062222222").orElseThrow();
        assertThat(anyNumber.limit().ruleName()).isEqualTo("messaging.to_number");
        assertThat(anyNumber.counterKey()).isEqualTo("messaging.to_number_2062222222");

        assertThat(find(config, "messaging", "message_type", "marketing"))
                .as("a placeholder without a limit")
                .isEmpty();
        assertThat(find(config, "messaging", "message_type", "transactional", "to_number", "1"))
                .isEmpty();
        assertThat(find(config, "messaging", "to_number", "1", "extra", "x"))
                .as("a request deeper than the configuration")
                .isEmpty();
    }

    @Test
    void theMostSpecificMatchWins() {
        EnvoyConfig config = parse(EDGE);

        assertThat(find(config, "edge_proxy_per_ip", "remote_address", "50.0.0.1")
                        .orElseThrow()
                        .limit()
                        .requestsPerUnit())
                .isEqualTo(10);
        DescriptorNode.Found blocked =
                find(config, "edge_proxy_per_ip", "remote_address", "50.0.0.5").orElseThrow();
        assertThat(blocked.limit().requestsPerUnit()).isZero();
        assertThat(blocked.limit().ruleName()).isEqualTo("edge_proxy_per_ip.remote_address_50.0.0.5");
        assertThat(blocked.limit().counted())
                .as("nothing to count: all refused")
                .isFalse();
    }

    @Test
    void readsUnlimitedShadowReplacesWildcardsAndTheAlgorithm() {
        EnvoyConfig config = parse(INTERNAL);

        assertThat(find(config, "internal", "ldap", "x").orElseThrow().limit().unlimited())
                .isTrue();
        DescriptorLimit azure =
                find(config, "internal", "azure", "x").orElseThrow().limit();
        assertThat(azure.shadow()).isTrue();
        assertThat(azure.algorithm()).isEqualTo("fixed-window");
        DescriptorLimit user =
                find(config, "internal", "user", "bob").orElseThrow().limit();
        assertThat(user.name()).isEqualTo("per_user");
        assertThat(user.spec().algorithm()).isEqualTo("token-bucket");
        assertThat(user.spec().burst()).isEqualTo(20);
        assertThat(user.spec().window()).isEqualTo(RateLimitUnit.HOUR.window());
        assertThat(find(config, "internal", "vip", "alice")
                        .orElseThrow()
                        .limit()
                        .replaces())
                .containsExactly("per_user");

        DescriptorNode.Found file =
                find(config, "internal", "path", "/files/a.pdf").orElseThrow();
        assertThat(file.limit().unit()).contains(RateLimitUnit.WEEK);
        assertThat(file.counterKey())
                .as("share_threshold: every match counts under the wildcard")
                .isEqualTo("internal.path_/files/*");
        DescriptorNode.Found item =
                find(config, "internal", "path", "/api/v2/items").orElseThrow();
        assertThat(item.limit().requestsPerUnit()).isEqualTo(7);
        assertThat(item.counterKey())
                .as("without share_threshold each value counts apart")
                .isEqualTo("internal.path_/api/v2/items");
        assertThat(find(config, "internal", "path", "/api/v2/other")).isEmpty();
    }

    @Test
    void wildcardsMatchAsRatelimitsDo() {
        List<String> trailing = List.of("files", "");
        assertThat(DescriptorNode.matches(trailing, "files")).isTrue();
        assertThat(DescriptorNode.matches(trailing, "files/x")).isTrue();
        assertThat(DescriptorNode.matches(trailing, "file")).isFalse();
        List<String> middle = List.of("a", "b", "c");
        assertThat(DescriptorNode.matches(middle, "abc")).isTrue();
        assertThat(DescriptorNode.matches(middle, "a123b456c")).isTrue();
        assertThat(DescriptorNode.matches(middle, "ac")).isFalse();
        assertThat(DescriptorNode.matches(middle, "abbc")).isTrue();
        assertThat(DescriptorNode.matches(List.of("ab", "ba"), "aba"))
                .as("prefix and suffix may not overlap")
                .isFalse();
    }

    @Test
    void readsADirectoryOfFilesOneDomainEach(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("messaging.yaml"), MESSAGING);
        Files.writeString(dir.resolve("edge.yml"), EDGE);
        Files.writeString(dir.resolve("README.md"), "not a configuration");

        assertThat(EnvoyConfig.load(dir).domains()).containsExactly("edge_proxy_per_ip", "messaging");
        assertThat(EnvoyConfig.load(dir.resolve("edge.yml")).domains()).containsExactly("edge_proxy_per_ip");

        Files.writeString(dir.resolve("more-messaging.yaml"), MESSAGING);
        assertThatThrownBy(() -> EnvoyConfig.load(dir))
                .isInstanceOf(SettingsException.class)
                .hasMessage(dir.resolve("more-messaging.yaml") + ": domain: duplicate domain 'messaging', already in "
                        + dir.resolve("messaging.yaml") + "; one file per domain");
    }

    @Test
    void problemsNameTheFileAndThePathToTheKey() {
        assertProblem(
                """
                domain: d
                descriptors:
                  - key: a
                    descriptors:
                      - key: b
                        rate_limit: { unit: fortnight, requests_per_unit: 1 }
                """,
                "test.yaml: descriptors[0].descriptors[0].rate_limit.unit: invalid rate limit unit 'fortnight'; known:"
                        + " second, minute, hour, day, week, month, year");
        assertProblem(
                """
                domain: d
                descriptors:
                  - key: a
                    rate_limt: { unit: second, requests_per_unit: 1 }
                """,
                "test.yaml: descriptors[0].rate_limt: unknown setting of the descriptor; known: algorithm, burst,"
                        + " descriptors, detailed_metric, key, metadata, quota_mode, rate_limit, shadow_mode,"
                        + " share_threshold, value, value_to_metric");
        assertProblem(
                "domain: d\ndescriptors:\n  - key: a\n    rate_limit: { unit: second, requests_per_unit: 1, burst: 2 }\n",
                "test.yaml: descriptors[0].rate_limit.burst: unknown setting of the rate_limit; known: name, replaces,"
                        + " requests_per_unit, unit, unlimited");
        assertProblem("descriptors: []\n", "test.yaml: domain: config file cannot have empty domain");
        assertProblem(
                "domain: d\nextra: 1\n",
                "test.yaml: extra: unknown setting of the ratelimit configuration; known:" + " descriptors, domain");
        assertProblem(
                "domain: d\ndescriptors:\n  - value: x\n", "test.yaml: descriptors[0].key: descriptor has empty key");
        assertProblem(
                "domain: d\ndescriptors:\n  - key: a\n  - key: a\n",
                "test.yaml: descriptors[1].key: duplicate descriptor composite key 'd.a'");
        assertProblem(
                "domain: d\ndescriptors:\n  - key: a\n    rate_limit: { unlimited: true, unit: second }\n",
                "test.yaml: descriptors[0].rate_limit.unit: should not specify rate limit unit when unlimited");
        assertProblem(
                "domain: d\ndescriptors:\n  - key: a\n    rate_limit: { unit: second, requests_per_unit: -1 }\n",
                "test.yaml: descriptors[0].rate_limit.requests_per_unit: expected a whole number between 0 and"
                        + " 1000000000, got -1");
        assertProblem(
                "domain: d\ndescriptors:\n  - key: a\n    algorithm: gcra\n",
                "test.yaml: descriptors[0].algorithm: only a descriptor with a rate_limit takes algorithm");
        assertProblem(
                "domain: d\ndescriptors:\n  - key: a\n    value: x\n    share_threshold: true\n",
                "test.yaml: descriptors[0].share_threshold: share_threshold can only be used with wildcard values"
                        + " (containing '*'), but found key 'a_x'");
        assertProblem(
                """
                domain: d
                descriptors:
                  - key: a
                    rate_limit: { name: n, unit: second, requests_per_unit: 1, replaces: [ { name: n } ] }
                """,
                "test.yaml: descriptors[0].rate_limit.replaces[0].name: replaces should not contain name of same"
                        + " descriptor");
        assertProblem("domain: [unclosed\n", "test.yaml: not valid YAML:");
        assertProblem("- a\n- b\n", "test.yaml: expected a mapping with domain and descriptors at the top");
    }

    @Test
    void boundsTheDepthOfTheTreeAndTheAliasesOfTheFile() {
        StringBuilder deep = new StringBuilder("domain: d\n");
        String indent = "";
        for (int i = 0; i < EnvoyConfig.MAX_DEPTH + 1; i++) {
            deep.append(indent).append("descriptors:\n");
            deep.append(indent).append("  - key: k").append(i).append('\n');
            indent += "    ";
        }
        assertThatThrownBy(() -> parse(deep.toString()))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("descriptors nest more than " + EnvoyConfig.MAX_DEPTH + " levels deep");

        StringBuilder laughs = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 0; i < 60; i++) {
            laughs.append("b").append(i).append(": &b").append(i).append(" [*a, *a]\n");
        }
        assertThatThrownBy(() -> parse(laughs.toString()))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("not valid YAML");
    }

    private static void assertProblem(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith(message);
    }
}
