package dev.herald.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import dev.herald.shared.config.HeraldConfig;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ClusterSetupTest {
  @Test
  @DisplayName("by default the cluster forms on loopback over TCP-IP, without multicast, with explicit failure detection")
  void defaultsFormOnOneMachine() {
    Config config = ClusterSetup.hazelcastConfig(HeraldConfig.defaults().cluster());
    assertEquals("herald", config.getClusterName());
    var join = config.getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1"), join.getTcpIpConfig().getMembers());
    assertEquals(5701, config.getNetworkConfig().getPort());
    assertTrue(config.getNetworkConfig().isPortAutoIncrement());
    assertEquals("1", config.getProperty("hazelcast.heartbeat.interval.seconds"));
    assertEquals("5", config.getProperty("hazelcast.max.no.heartbeat.seconds"));
    assertEquals("3", config.getProperty("hazelcast.connection.monitor.max.faults"), "dead JVMs are found fast");
    assertEquals("false", config.getProperty("hazelcast.shutdownhook.enabled"), "from the packaged cluster.xml");
    // Vert.x's subscription map comes from the packaged file too.
    assertEquals(1, config.getMultiMapConfig("__vertx.subs").getBackupCount());
  }

  @Test
  @DisplayName("one setting joins machines together; name, address and detection time can be set too")
  void environmentOverrides() {
    HeraldConfig herald = HeraldConfig.load(new JsonObject(), Map.of(
        "HERALD_CLUSTER_MEMBERS", "10.0.0.1, 10.0.0.2:5710,,",
        "HERALD_CLUSTER_NAME", "prod",
        "HERALD_CLUSTER_HOST", "10.0.0.2",
        "HERALD_CLUSTER_PORT", "0",
        "HERALD_CLUSTER_FAILURE_SECONDS", "3"));
    Config config = ClusterSetup.hazelcastConfig(herald.cluster());
    assertEquals("prod", config.getClusterName());
    assertEquals(List.of("10.0.0.1", "10.0.0.2:5710"), config.getNetworkConfig().getJoin().getTcpIpConfig()
        .getMembers());
    assertEquals("10.0.0.2", config.getProperty("hazelcast.local.localAddress"));
    assertEquals(0, config.getNetworkConfig().getPort());
    assertFalse(config.getNetworkConfig().isPortAutoIncrement());
    assertEquals("3", config.getProperty("hazelcast.max.no.heartbeat.seconds"));
  }

  @Test
  @DisplayName("a failure timeout not longer than the heartbeat is refused at start-up")
  void failureMustOutlastHeartbeat() {
    assertThrows(IllegalArgumentException.class, () -> HeraldConfig.load(new JsonObject(), Map.of(
        "HERALD_CLUSTER_HEARTBEAT_SECONDS", "2", "HERALD_CLUSTER_FAILURE_SECONDS", "2")));
  }
}
