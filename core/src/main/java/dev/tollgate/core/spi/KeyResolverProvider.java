package dev.tollgate.core.spi;

/**
 * Makes {@link KeyResolver}s of one kind: the part of a rule's {@code key} before the first colon
 * ({@code header} in {@code header:X-API-Key}).
 *
 * <p>An implementation:
 * <ol>
 *   <li>has a public no-argument constructor and is listed in
 *       {@code META-INF/services/dev.tollgate.core.spi.KeyResolverProvider}, or is registered by code
 *       ({@code Tollgate.builder().keyResolver(...)});</li>
 *   <li>answers {@link #kind()} with a constant lower-case name;</li>
 *   <li>in {@link #create}, rejects an argument it cannot use with an {@link IllegalArgumentException}
 *       whose message says what to write instead;</li>
 *   <li>returns keys that start with its kind and a colon, so keys of different kinds never collide.</li>
 * </ol>
 */
public interface KeyResolverProvider {

    /** The kind's name, as rules spell it. */
    String kind();

    /**
     * A resolver for {@code argument}: what follows {@code kind:} in the rule's key, or the empty
     * string when the key is the bare kind.
     */
    KeyResolver create(String argument);
}
