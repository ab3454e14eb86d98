package dev.herald.launcher;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.herald.shared.config.HeraldConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Builds the clustered Vert.x: the packaged {@code cluster.xml} (or the file named by
 * {@code -Dvertx.hazelcast.config}) with the {@code cluster} section of the Herald configuration laid over it.
 */
public final class ClusterSetup {
  private ClusterSetup() {}

  /** The Hazelcast configuration for {@code cluster}. */
  public static Config hazelcastConfig(HeraldConfig.Cluster cluster) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    NetworkConfig network = config.getNetworkConfig();
    if (cluster.port() == 0) {
      // Any free port (tests): other members must then be told this one's address explicitly.
      network.setPort(0).setPortAutoIncrement(false);
    } else {
      network.setPort(cluster.port()).setPortAutoIncrement(true);
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    if (!cluster.host().isEmpty()) {
      config.setProperty("hazelcast.local.localAddress", cluster.host());
    }
    // Failure detection is ours to choose, not Hazelcast's defaults (5 s heartbeats, 60 s until a member is dead):
    // a killed Channel server's channels move once it has missed heartbeats for failure_seconds.
    config.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(cluster.heartbeatSeconds()));
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(cluster.failureSeconds()));
    return config;
  }

  /** Starts a Vert.x instance that joins the cluster. */
  public static Future<Vertx> start(HeraldConfig config) {
    HeraldConfig.Cluster cluster = config.cluster();
    EventBusOptions bus = new EventBusOptions().setPort(cluster.busPort());
    if (!cluster.host().isEmpty()) {
      bus.setHost(cluster.host());
    }
    return Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(bus))
        .withClusterManager(new HazelcastClusterManager(hazelcastConfig(cluster)))
        .buildClustered();
  }

  /** This member's Hazelcast address, {@code host:port}, or null when not clustered on Hazelcast. */
  public static String memberAddress(Vertx vertx) {
    if (vertx instanceof VertxInternal internal
        && internal.clusterManager() instanceof HazelcastClusterManager hazelcast) {
      Address address = hazelcast.getHazelcastInstance().getCluster().getLocalMember().getAddress();
      return address.getHost() + ":" + address.getPort();
    }
    return null;
  }
}
