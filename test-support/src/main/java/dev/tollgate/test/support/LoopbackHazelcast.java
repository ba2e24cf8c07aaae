package dev.tollgate.test.support;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import java.util.List;

/**
 * The Hazelcast configuration of a plain Vert.x node that a test joins to a Tollgate cluster on loopback: the cluster's
 * name, TCP on 127.0.0.1 only, the members named, no multicast, no phoning home, JDK logging, no shutdown hook of its
 * own. Hazelcast is the test's dependency: this module only compiles against it.
 */
public final class LoopbackHazelcast {

    private LoopbackHazelcast() {}

    /** A member on {@code port} of 127.0.0.1 that joins the member on {@code otherPort}. */
    public static Config member(String cluster, int port, int otherPort) {
        Config hazelcast = new Config();
        hazelcast.setClusterName(cluster);
        hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
        hazelcast.setProperty("hazelcast.logging.type", "jdk");
        hazelcast.setProperty("hazelcast.shutdownhook.enabled", "false");
        hazelcast.getNetworkConfig().setPort(port).setPortAutoIncrement(true);
        hazelcast.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        JoinConfig join = hazelcast.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(List.of("127.0.0.1:" + otherPort, "127.0.0.1:" + port));
        return hazelcast;
    }
}
