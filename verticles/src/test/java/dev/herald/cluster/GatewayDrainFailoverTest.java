package dev.herald.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.cluster.ChaosPoster.Ack;
import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.TestPostgres;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A Gateway drained (SIGTERM: goodbye, then closes spread over {@code gateway.drain_spread_ms}) while its clients'
 * channels keep getting posts: every client reconnects with {@code resume} on the second Gateway and misses nothing.
 * Separate JVMs on PostgreSQL: a Webapp with an Admin server, a Channel server, two Gateways.
 */
class GatewayDrainFailoverTest {
  private static final int USERS = 4;
  private static final long DRAIN_SPREAD_MS = 3_000;

  @Test
  @DisplayName("clients of a draining Gateway resume on the other Gateway without losing a message")
  void drainedClientsResumeElsewhere() {
    Vertx vertx = Vertx.vertx();
    List<Ack> acks = ChaosPoster.newAckList();
    AtomicInteger unacknowledged = new AtomicInteger();
    try (TestPostgres database = TestPostgres.create();
        LocalCluster cluster = new LocalCluster("gwdrain").usePostgres(database.pg())
            .env("HERALD_GATEWAY_DRAIN_SPREAD_MS", Long.toString(DRAIN_SPREAD_MS))) {
      ClusterProcess web = cluster.start("web1", "webapp", "admin");
      ClusterProcess cs = cluster.launch("cs1", "channel");
      ClusterProcess gw1 = cluster.launch("gw1", "gateway");
      cs.awaitReady();
      gw1.awaitReady();
      cluster.observe();
      List<String> servers = cs.channelServers();
      cluster.awaitRing(r -> r.nodes().containsAll(servers), 60_000);
      ApiClient api = new ApiClient(vertx, web.apiPort());
      Supplier<List<ApiClient>> apis = () -> List.of(api);

      List<TestUser> users = new ArrayList<>();
      for (int i = 0; i < USERS; i++) {
        users.add(api.register("drain-" + i));
      }
      List<String> channels = new ArrayList<>();
      for (int c = 0; c < 2; c++) {
        String id = api.createChannel(users.get(0), "drain-" + c, false);
        for (TestUser u : users.subList(1, USERS)) {
          api.ok("conversations.join", u.token(), "channel", id);
        }
        channels.add(id);
      }
      String oldest = new BigDecimal(System.currentTimeMillis() - 1_000).movePointLeft(3).toPlainString();
      List<ResumingClient> clients = new ArrayList<>();
      List<ChaosPoster> posters = new ArrayList<>();
      try {
        // Only gw1 is up: every client lands there.
        for (TestUser u : users) {
          clients.add(new ResumingClient(vertx, u, apis, channels, oldest).start());
        }
        String onGw1 = ":" + gw1.gatewayPort() + "/";
        clients.forEach(c -> assertTrue(c.connectedTo().contains(onGw1), c.connectedTo()));
        ClusterProcess gw2 = cluster.start("gw2", "gateway");
        String onGw2 = ":" + gw2.gatewayPort() + "/";

        for (int i = 0; i < USERS; i++) {
          posters.add(new ChaosPoster(users.get(i), apis, channels, 100, i, acks, unacknowledged));
        }
        awaitAcks(acks, acks.size() + 40);
        int beforeDrain = acks.size();
        gw1.stop(60_000);
        gw1.awaitLine(Pattern.compile("herald: stopped"), 1_000);
        int duringDrain = acks.size() - beforeDrain;
        // Every client is back, on gw2, and traffic goes on.
        long deadline = System.currentTimeMillis() + 60_000;
        while (!clients.stream().allMatch(c -> c.connectedTo() != null && c.connectedTo().contains(onGw2))) {
          assertTrue(System.currentTimeMillis() < deadline, "clients did not all move to gw2");
          LocalCluster.pause(20);
        }
        awaitAcks(acks, acks.size() + 40);
        posters.forEach(ChaosPoster::close);
        DeliveryCheck.Result result = DeliveryCheck.await(List.copyOf(acks), clients, 60_000);
        System.out.println(result.line("gateway drain"));
        System.out.printf("gateway drain: %d posts acknowledged while gw1 drained, unacknowledged_posts=%d, "
                + "reconnects=%d, history_reloads=%d%n", duringDrain, unacknowledged.get(),
            clients.stream().mapToInt(c -> c.connections() - 1).sum(),
            clients.stream().mapToInt(ResumingClient::reloads).sum());
        clients.forEach(c -> System.out.println("gateway drain: " + c.user.name() + " connected to "
            + c.connectedUrls()));
        assertTrue(result.lost().isEmpty(), "lost: " + result.lost());
        assertEquals(List.of(), result.duplicates());
        assertEquals(0, unacknowledged.get(), "the Webapp stayed up: every post should be acknowledged");
        // Told goodbye, each client reconnects once, straight to gw2: the draining Gateway opens no new session.
        for (ResumingClient c : clients) {
          assertEquals(2, c.connectedUrls().size(), c.user.name() + " connected to " + c.connectedUrls());
          assertTrue(c.connectedUrls().get(1).contains(onGw2), c.user.name() + " connected to " + c.connectedUrls());
        }
        assertTrue(duringDrain > 0, "nothing was posted while gw1 drained");
        assertEquals(0, result.history(), "a drain should need no history reload: resume covers it");
      } finally {
        posters.forEach(ChaosPoster::close);
        clients.forEach(ResumingClient::close);
      }
    } finally {
      vertx.close();
    }
  }

  private static void awaitAcks(List<Ack> acks, int target) {
    long deadline = System.currentTimeMillis() + 60_000;
    while (acks.size() < target) {
      assertTrue(System.currentTimeMillis() < deadline, "traffic stalled at " + acks.size());
      LocalCluster.pause(20);
    }
  }
}
