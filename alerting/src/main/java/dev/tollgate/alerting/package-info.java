/**
 * Alerting: {@link dev.tollgate.alerting.OffenderAlerts} tells who was blocked too often,
 * {@link dev.tollgate.alerting.TrafficAlerts} when the request rate goes above a threshold and back, and
 * {@link dev.tollgate.alerting.OffenderAlertSchedule} runs offender alerts on one node of a cluster at a
 * time. Both publish on {@code tollgate.alerts} and send to the configured
 * {@link dev.tollgate.alerting.AlertChannels}: {@code email}, {@code webhook}, {@code log} or a third
 * party's, made by {@link dev.tollgate.alerting.AlertChannelRegistry} from the section of the configuration
 * that names them. Channels implement the SPI of {@code tollgate-alerting-spi},
 * {@link dev.tollgate.alerting.spi.AlertChannelProvider}.
 */
package dev.tollgate.alerting;
