package dev.tollgate.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProviderRegistryTest {

    private record Named(String name, int version) implements Provider {}

    @Test
    void aRegisteredProviderReplacesOneOfTheSameName() {
        ProviderRegistry<Named> registry = ProviderRegistry.<Named>empty("widget", "is a widget module installed?")
                .register(new Named("b", 1))
                .register(new Named("a", 1))
                .register(new Named("b", 2));
        assertThat(registry.names()).containsExactly("a", "b");
        assertThat(registry.require("b").version()).isEqualTo(2);
        assertThat(registry.all()).extracting(Named::name).containsExactly("b", "a");
        assertThat(registry.find("c")).isEmpty();
    }

    @Test
    void anUnknownNameListsTheKnownOnesOrSaysWhatToCheck() {
        ProviderRegistry<Named> empty = ProviderRegistry.empty("widget", "is a widget module installed?");
        assertThatThrownBy(() -> empty.require("x"))
                .isInstanceOf(SettingsException.class)
                .hasMessage("unknown widget 'x'; installed: (none; is a widget module installed?)");
        empty.register(new Named("a", 1));
        assertThatThrownBy(() -> empty.require("x").version())
                .isInstanceOfSatisfying(
                        SettingsException.class,
                        e -> assertThat(e.under("widgets.kind").getMessage())
                                .isEqualTo("widgets.kind: unknown widget 'x'; installed: a"));
    }

    @Test
    void providersAreFoundByTheServiceLoader() {
        ProviderRegistry<Provider> registry =
                ProviderRegistry.load(Provider.class, getClass().getClassLoader(), "provider", "none installed");
        assertThat(registry.names()).isEmpty();
        assertThat(registry.isEmpty()).isTrue();
    }

    @Test
    void aBlankNameIsRefused() {
        assertThatThrownBy(() -> ProviderRegistry.<Named>empty("widget", "-").register(new Named(" ", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank name");
    }
}
