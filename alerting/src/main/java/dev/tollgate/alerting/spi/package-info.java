/**
 * Extension point for alert channels: implement {@link dev.tollgate.alerting.spi.AlertChannelProvider}
 * and {@link dev.tollgate.alerting.spi.AlertChannel}, list the provider in
 * {@code META-INF/services/dev.tollgate.alerting.spi.AlertChannelProvider}, and run the contract suite
 * ({@code dev.tollgate.alerting.spi.AlertChannelContract} in this module's test-jar) against it.
 */
package dev.tollgate.alerting.spi;
