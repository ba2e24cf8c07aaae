package dev.tollgate.core.spi;

import dev.tollgate.plugin.Provider;
import dev.tollgate.plugin.SettingsException;

/**
 * Makes {@link KeyResolver}s of one kind: the part of a rule's {@code key} before the first colon
 * ({@code header} in {@code header:X-API-Key}).
 *
 * <p>An implementation follows the convention of every {@link Provider}:
 * <ol>
 *   <li>has a public no-argument constructor and is listed in
 *       {@code META-INF/services/dev.tollgate.core.spi.KeyResolverProvider}, or is registered by code
 *       ({@code Tollgate.builder().keyResolver(...)});</li>
 *   <li>answers {@link #name()} with a constant lower-case name: the kind, as rules spell it;</li>
 *   <li>in {@link #create}, refuses an argument it cannot use with a {@link SettingsException} whose key is
 *       empty (Tollgate places it under the rule's {@code key}) and whose message says what to write
 *       instead;</li>
 *   <li>makes resolvers that return keys starting with its name and a colon, so keys of different kinds
 *       never collide; keys for different arguments differ too ({@code header:a:…} and {@code header:b:…});</li>
 *   <li>makes resolvers that never throw, never block and answer empty for a request without the identity;</li>
 *   <li>passes the contract suite ({@code dev.tollgate.core.spi.KeyResolverProviderContract} in the test-jar
 *       of tollgate-core).</li>
 * </ol>
 */
public interface KeyResolverProvider extends Provider {

    /** The kind's name, as rules spell it. */
    @Override
    String name();

    /**
     * A resolver for {@code argument}: what follows {@code kind:} in the rule's key, or the empty
     * string when the key is the bare kind.
     *
     * @throws SettingsException with an empty key, saying what to write instead
     */
    KeyResolver create(String argument);
}
