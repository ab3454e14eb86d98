package dev.herald.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.cluster.Traffic.Poster;
import dev.herald.shared.bus.RingSnapshot;
import dev.herald.shared.ring.HashRing;
import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.RtmClient;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The ring manager is not a single point of failure: killing the JVM that holds it (a Channel server's JVM, so
 * its channels must move too) leaves the cluster with a new manager that rebuilds the ring from a roll call and
 * keeps ring versions increasing.
 */
class RingManagerTakeoverTest {
  private static final Pattern ACTIVE = Pattern.compile("ring manager: active");

  private LocalCluster cluster;
  private Vertx clients;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (clients != null) {
      clients.close();
    }
  }

  @Test
  @DisplayName("when the ring manager's JVM is killed, another JVM takes over, the ring moves on and delivery resumes")
  void ringManagerFailsOver() {
    cluster = new LocalCluster("takeover");
    ClusterProcess manager = cluster.start("m", "channel");
    assertEquals("active", manager.ready("ring_manager"), "the first JVM takes the ring manager lock");
    ClusterProcess web = cluster.launch("web", "webapp", "admin");
    ClusterProcess gw = cluster.launch("gw", "gateway");
    ClusterProcess c2 = cluster.launch("c2", "channel");
    List<ClusterProcess> standbys = List.of(web, gw, c2);
    for (ClusterProcess p : standbys) {
      assertEquals("standby", p.awaitReady().ready("ring_manager"), p.name());
    }
    cluster.observe();
    List<String> doomed = manager.channelServers();
    RingSnapshot before = cluster.awaitRing(r -> r.nodes().size() == 2, 30_000);

    clients = Vertx.vertx();
    ApiClient api = new ApiClient(clients, web.apiPort());
    TestUser u = api.register("u");
    List<String> channels = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      channels.add(api.createChannel(u, "takeover-" + i, false));
    }
    HashRing ring = HashRing.of(before.nodes());
    List<String> doomedChannels = channels.stream().filter(c -> doomed.contains(ring.ownerOf(c))).toList();
    assertTrue(!doomedChannels.isEmpty(), "the manager's Channel server owns none of the test channels");

    try (RtmClient client = Traffic.connectOn(clients, api, u, gw.gatewayPort());
        Poster poster = new Poster(List.of(api), List.of(u), doomedChannels, 25)) {
      poster.awaitPosts(10);
      long killedAt = System.currentTimeMillis();
      manager.kill();

      ClusterProcess successor = awaitSuccessor(standbys, 30_000);
      RingSnapshot after = cluster.awaitRing(r -> Collections.disjoint(r.nodes(), doomed) && !r.nodes().isEmpty(),
          30_000);
      long resumedAt = awaitDeliveryAfter(client, poster, killedAt, 15_000);
      System.out.printf("cluster: kill -9 of the ring manager's JVM (with channel server %s): %s took over, "
          + "ring v%d -> v%d, delivery resumed after %d ms%n", doomed, successor.name(), before.version(),
          after.version(), resumedAt - killedAt);
      assertTrue(after.version() > before.version(), "versions keep increasing across managers");
      assertTrue(resumedAt - killedAt < 5_000, "delivery must resume within 5 s");
      // The new manager never published a ring without the Channel server that stayed alive.
      List<String> survivor = c2.channelServers();
      assertTrue(cluster.rings().stream().filter(r -> r.version() > before.version())
          .allMatch(r -> r.nodes().containsAll(survivor)), "rings after the take-over: " + cluster.rings());

      // The new manager runs the ring: a Channel server joining now is added, with a newer version still.
      ClusterProcess c3 = cluster.start("c3", "channel");
      RingSnapshot grown = cluster.awaitRing(r -> r.nodes().containsAll(c3.channelServers()), 30_000);
      assertTrue(grown.version() > after.version());
      gw.awaitLine(Pattern.compile("ring v" + grown.version() + ", resubscribing"), 30_000);
      poster.awaitMore(40);
      poster.close();
      assertTrue(poster.failures().isEmpty(), "posts failed: " + poster.failures());
      assertNull(Traffic.checkDelivered(client, poster.postsSentFrom(resumedAt), 20_000));
    }
  }

  private static ClusterProcess awaitSuccessor(List<ClusterProcess> standbys, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < deadline) {
      for (ClusterProcess p : standbys) {
        try {
          p.awaitLine(ACTIVE, 0);
          return p;
        } catch (AssertionError notYet) {
          // keep looking
        }
      }
      LocalCluster.pause(20);
    }
    throw new AssertionError("no standby took over the ring manager within " + timeoutMs + " ms");
  }

  private static long awaitDeliveryAfter(RtmClient client, Poster poster, long killedAt, long timeoutMs) {
    long deadline = killedAt + timeoutMs;
    while (true) {
      List<Traffic.Post> after = poster.postsSentFrom(killedAt);
      if (!after.isEmpty() && !client.matching(Traffic.messageWithTs(after)).isEmpty()) {
        return System.currentTimeMillis();
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("no message sent after the kill was delivered within " + timeoutMs + " ms");
      }
      LocalCluster.pause(5);
    }
  }
}
