/**
 * Extension point for alert channels: implement {@link dev.tollgate.alerting.spi.AlertChannelProvider}
 * and {@link dev.tollgate.alerting.spi.AlertChannel}, which deliver {@link dev.tollgate.alerting.spi.Alert}s;
 * list the provider in {@code META-INF/services/dev.tollgate.alerting.spi.AlertChannelProvider}, and run the
 * contract suite ({@code dev.tollgate.alerting.spi.AlertChannelContract} in this module's test-jar) against
 * it. A channel needs this module, {@code tollgate-alerting-spi}, and {@code tollgate-plugin-api} only; the
 * channels Tollgate ships and the alerts that use them are in {@code tollgate-alerting}.
 */
package dev.tollgate.alerting.spi;
