/**
 * What every Tollgate plugin builds on: {@link dev.tollgate.plugin.Settings}, the checked reader of a
 * plugin's section of the configuration; {@link dev.tollgate.plugin.SettingsException}, the one error for a
 * setting that cannot be used; {@link dev.tollgate.plugin.Durations} and {@link dev.tollgate.plugin.Sizes},
 * the parsers of durations and sizes; and {@link dev.tollgate.plugin.Provider} with
 * {@link dev.tollgate.plugin.ProviderRegistry}, the convention every provider follows and the registry that
 * finds them.
 */
package dev.tollgate.plugin;
