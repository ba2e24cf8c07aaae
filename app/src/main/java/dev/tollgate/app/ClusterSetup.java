package dev.tollgate.app;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;

/**
 * A clustered Vert.x for {@code serve --cluster}: the Hazelcast cluster manager joining by TCP to
 * the configured members (never multicast), on the configured interface, and the event bus on the
 * same host.
 */
final class ClusterSetup {

    private ClusterSetup() {}

    static Future<Vertx> start(TollgateConfig config) {
        return start(config, ServeMetrics.registry());
    }

    /** Joins the cluster with a Vert.x that reports its metrics into {@code registry} ({@link ServeMetrics}). */
    static Future<Vertx> start(TollgateConfig config, PrometheusMeterRegistry registry) {
        Config hazelcast = ConfigUtil.loadConfig();
        hazelcast.setClusterName(config.clusterName());
        hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
        hazelcast.setProperty("hazelcast.logging.type", "jdk");
        // serve's shutdown hook leaves the cluster through Vert.x; Hazelcast's own would end the member under it
        hazelcast.setProperty("hazelcast.shutdownhook.enabled", "false");
        NetworkConfig network = hazelcast.getNetworkConfig();
        network.setPort(config.clusterPort()).setPortAutoIncrement(true);
        network.getInterfaces().setEnabled(true).addInterface(config.clusterHost());
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        List<String> members = config.clusterMembers();
        join.getTcpIpConfig().setEnabled(true).setMembers(members.isEmpty() ? List.of(config.clusterHost()) : members);
        VertxOptions options = Server.vertxOptions(config);
        options.getEventBusOptions().setHost(config.clusterHost()).setPort(config.clusterEventBusPort());
        return ServeMetrics.vertx(options, registry, config.vertxMetrics())
                .withClusterManager(new HazelcastClusterManager(hazelcast))
                .buildClustered();
    }
}
