package dev.tollgate.app;

import dev.tollgate.core.TollgateMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * The one Prometheus registry of a {@code tollgate serve}: Vert.x reports its HTTP server (requests, latency by
 * status class) and its HTTP client (the upstream: requests, latency, errors) into it, and Tollgate's own meters and
 * the JVM's are added to it, so that {@code /metrics} shows them all.
 *
 * <p>Every label has a bounded set of values: the status code becomes its class ({@code 2xx} … {@code 5xx}), a method
 * that is not a standard one becomes {@code OTHER}, and there is no label by path or remote address, which a client
 * chooses.
 */
final class ServeMetrics {

    /**
     * The labels of the meters vertx-micrometer-metrics still makes (pools, other servers and clients); none of them
     * takes a value a client chooses as it pleases. The HTTP and event-bus meters are {@link VertxMeters}', tagged by
     * method (a standard one, else {@code OTHER}: a client may send any) and status class.
     */
    private static final Set<Label> LABELS =
            EnumSet.of(Label.HTTP_CODE, Label.CLASS_NAME, Label.POOL_TYPE, Label.POOL_NAME, Label.EB_SIDE);

    private ServeMetrics() {}

    /** A registry that Vert.x and Tollgate can share, with the filters that keep Vert.x's labels bounded. */
    static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry registry = TollgateMetrics.newRegistry();
        registry.config()
                .meterFilter(MeterFilter.replaceTagValues(Label.HTTP_CODE.toString(), ServeMetrics::statusClass))
                .meterFilter(new LatencyBuckets());
        return registry;
    }

    /**
     * A builder of a Vert.x that reports into {@code registry}, which {@link #registry()} made: pass the same
     * registry to {@code Tollgate.Builder.meterRegistry}. Without {@code vertxMetrics}, a Vert.x that reports
     * nothing ({@code management.vertxMetrics: false}).
     */
    static VertxBuilder vertx(VertxOptions options, PrometheusMeterRegistry registry, boolean vertxMetrics) {
        if (!vertxMetrics) {
            return io.vertx.core.Vertx.builder().with(options);
        }
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
                .setEnabled(true)
                // Vert.x keeps its registries by name in one map for the JVM: a name of its own for each instance
                .setRegistryName("tollgate-" + UUID.randomUUID())
                .setLabels(LABELS)
                .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET)
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
        return io.vertx.core.Vertx.builder()
                .with(options.setMetricsOptions(metrics))
                .withMetrics(VertxMeters.factory(registry));
    }

    /** {@code 2xx} for {@code 200}; a code that is not three digits from 1 to 5 becomes {@code other}. */
    static String statusClass(String code) {
        if (code.length() == 3 && code.charAt(0) >= '1' && code.charAt(0) <= '5') {
            return code.charAt(0) + "xx";
        }
        return "other";
    }

    /** The HTTP server's and client's response times as histograms, in {@link TollgateMetrics#LATENCY_BUCKETS}. */
    private static final class LatencyBuckets implements MeterFilter {

        private static final double[] BOUNDS_NANOS = TollgateMetrics.LATENCY_BUCKETS.stream()
                .mapToDouble(bound -> (double) bound.toNanos())
                .toArray();

        @Override
        public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
            String name = id.getName();
            if (id.getType() == Meter.Type.TIMER
                    && (name.startsWith(MetricsDomain.HTTP_SERVER.getPrefix())
                            || name.startsWith(MetricsDomain.HTTP_CLIENT.getPrefix()))) {
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(BOUNDS_NANOS)
                        .build()
                        .merge(config);
            }
            return config;
        }
    }
}
