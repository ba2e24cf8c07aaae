package dev.tollgate.core;

import dev.tollgate.core.spi.KeyResolver;
import dev.tollgate.core.spi.KeyResolverProvider;
import dev.tollgate.plugin.ProviderRegistry;
import dev.tollgate.plugin.SettingsException;
import java.util.Locale;

/**
 * The key kinds a rule may name: those {@link java.util.ServiceLoader} finds and those given to the builder.
 *
 * @param registry the provider of each kind, by its {@link KeyResolverProvider#name() name}
 */
record KeyKinds(ProviderRegistry<KeyResolverProvider> registry) {

    /** The kinds {@link java.util.ServiceLoader} finds through core's class loader. */
    static ProviderRegistry<KeyResolverProvider> load() {
        return ProviderRegistry.load(
                KeyResolverProvider.class,
                KeyKinds.class.getClassLoader(),
                "key kind",
                "is tollgate-core's META-INF/services file on the class path?");
    }

    /**
     * The resolver for a rule's {@code key}: the kind, case-insensitive, then after a colon the argument the provider
     * gets, as in {@code header:X-API-Key}.
     *
     * @throws SettingsException with an empty key, for a kind no provider has (naming the known ones) or an argument
     *     the provider refuses
     */
    KeyResolver resolver(String key) {
        int colon = key.indexOf(':');
        String kind = (colon < 0 ? key : key.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        String argument = colon < 0 ? "" : key.substring(colon + 1);
        return registry.require(kind).create(argument);
    }
}
