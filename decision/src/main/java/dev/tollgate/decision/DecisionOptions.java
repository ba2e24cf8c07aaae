package dev.tollgate.decision;

import dev.tollgate.plugin.Settings;
import dev.tollgate.plugin.SettingsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the decision service runs: its service tokens, where it listens besides the gateway's port, and the bounds that
 * keep hostile callers from spending its memory or CPU. Immutable: each {@code with...} gives a copy.
 *
 * @param tokens          the service tokens; none: the HTTP API and the bridge are off
 * @param host            the address the own listeners bind to
 * @param port            the HTTP API's own listener ({@code decision.port}); empty: on the gateway's port only
 * @param bridgePort      the TCP event-bus bridge ({@code decision.bridgePort}); empty: no bridge
 * @param maxBodyBytes    the largest HTTP body and bridge frame taken
 * @param maxBatch        the most checks in one batch
 * @param hashConcurrency the most token hashes computed at once; a check beyond them is refused, not queued
 * @param hashesPerMinute the token hashes one client address may cause a minute; a token once verified costs none
 * @param maxBridgeConnections the most bridge connections open at once
 */
public record DecisionOptions(
        List<ServiceToken> tokens,
        String host,
        Optional<Integer> port,
        Optional<Integer> bridgePort,
        int maxBodyBytes,
        int maxBatch,
        int hashConcurrency,
        int hashesPerMinute,
        int maxBridgeConnections) {

    /** The longest token looked at: a longer one is refused without hashing. */
    public static final int MAX_TOKEN_BYTES = 512;

    /** How long a client address stays throttled after its hashes for a minute ran out, at most. */
    static final Duration THROTTLE_WINDOW = Duration.ofMinutes(1);

    public DecisionOptions {
        tokens = List.copyOf(tokens);
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(bridgePort, "bridgePort");
        if (maxBodyBytes < 1024
                || maxBatch < 1
                || hashConcurrency < 1
                || hashesPerMinute < 1
                || maxBridgeConnections < 1) {
            throw new IllegalArgumentException("bounds must be positive (maxBodyBytes at least 1024)");
        }
    }

    /**
     * No tokens, no own listeners, a 64 KiB body, batches of 100, 2 hashes at once, 10 a minute per address, 1024
     * bridge connections.
     */
    public static DecisionOptions defaults() {
        return new DecisionOptions(
                List.of(), "0.0.0.0", Optional.empty(), Optional.empty(), 64 * 1024, 100, 2, 10, 1024);
    }

    /**
     * Reads {@code decision.tokens}, {@code decision.port} and {@code decision.bridgePort}; {@code grpcPort} and
     * {@code envoy} belong to the Envoy rate-limit service and are left alone.
     *
     * @param host the address the own listeners bind to ({@code http.host})
     * @throws SettingsException naming the key at fault, as in {@code decision.tokens[1].hash}
     */
    public static DecisionOptions from(Settings decision, String host) {
        List<ServiceToken> tokens = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Settings> entries = decision.groups("tokens", "{ name: checkout, hash: \"pbkdf2-sha256:...\" }");
        for (Settings entry : entries) {
            ServiceToken token = ServiceToken.from(entry);
            if (names.contains(token.name())) {
                throw entry.problem("name", "another token is named '" + token.name() + "'");
            }
            names.add(token.name());
            tokens.add(token);
        }
        return defaults()
                .withTokens(tokens)
                .withHost(host)
                .withPort(port(decision, "port"))
                .withBridgePort(port(decision, "bridgePort"));
    }

    private static Optional<Integer> port(Settings decision, String name) {
        if (!decision.has(name) || decision.value(name) == null) {
            return Optional.empty();
        }
        return Optional.of(decision.port(name, 0, 0));
    }

    public DecisionOptions withTokens(List<ServiceToken> tokens) {
        return new DecisionOptions(
                tokens,
                host,
                port,
                bridgePort,
                maxBodyBytes,
                maxBatch,
                hashConcurrency,
                hashesPerMinute,
                maxBridgeConnections);
    }

    public DecisionOptions withHost(String host) {
        return new DecisionOptions(
                tokens,
                host,
                port,
                bridgePort,
                maxBodyBytes,
                maxBatch,
                hashConcurrency,
                hashesPerMinute,
                maxBridgeConnections);
    }

    /** The HTTP API's own listener; 0 picks a free port. */
    public DecisionOptions withPort(Optional<Integer> port) {
        return new DecisionOptions(
                tokens,
                host,
                port,
                bridgePort,
                maxBodyBytes,
                maxBatch,
                hashConcurrency,
                hashesPerMinute,
                maxBridgeConnections);
    }

    /** The bridge's port; 0 picks a free port. */
    public DecisionOptions withBridgePort(Optional<Integer> bridgePort) {
        return new DecisionOptions(
                tokens,
                host,
                port,
                bridgePort,
                maxBodyBytes,
                maxBatch,
                hashConcurrency,
                hashesPerMinute,
                maxBridgeConnections);
    }

    public DecisionOptions withMaxBodyBytes(int maxBodyBytes) {
        return new DecisionOptions(
                tokens,
                host,
                port,
                bridgePort,
                maxBodyBytes,
                maxBatch,
                hashConcurrency,
                hashesPerMinute,
                maxBridgeConnections);
    }

    public DecisionOptions withMaxBatch(int maxBatch) {
        return new DecisionOptions(
                tokens,
                host,
                port,
                bridgePort,
                maxBodyBytes,
                maxBatch,
                hashConcurrency,
                hashesPerMinute,
                maxBridgeConnections);
    }

    public DecisionOptions withHashConcurrency(int hashConcurrency) {
        return new DecisionOptions(
                tokens,
                host,
                port,
                bridgePort,
                maxBodyBytes,
                maxBatch,
                hashConcurrency,
                hashesPerMinute,
                maxBridgeConnections);
    }

    public DecisionOptions withHashesPerMinute(int hashesPerMinute) {
        return new DecisionOptions(
                tokens,
                host,
                port,
                bridgePort,
                maxBodyBytes,
                maxBatch,
                hashConcurrency,
                hashesPerMinute,
                maxBridgeConnections);
    }

    public DecisionOptions withMaxBridgeConnections(int maxBridgeConnections) {
        return new DecisionOptions(
                tokens,
                host,
                port,
                bridgePort,
                maxBodyBytes,
                maxBatch,
                hashConcurrency,
                hashesPerMinute,
                maxBridgeConnections);
    }

    /** Whether the API and the bridge answer at all: only with tokens to check callers against. */
    public boolean enabled() {
        return !tokens.isEmpty();
    }
}
