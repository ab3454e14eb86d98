package dev.herald.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.cluster.ChaosPoster.Ack;
import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.RtmClient;
import dev.herald.testing.TestPostgres;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Chaos: a cluster of seven JVMs on PostgreSQL (two Webapps, two Admin servers, a presence server, two Channel
 * servers, two Gateways; the first Webapp's JVM also runs an Admin server and the presence server) under continuous traffic while a Channel server, a Gateway, an Admin server and a Webapp
 * are killed with {@code kill -9} and restarted, one after another (the Channel server first, so that the Gateway's
 * clients then resume on channels that have changed owners). Six users, each with a resuming client
 * ({@link ResumingClient}) in the same three channels, post through whichever Webapps are up. At the end every
 * acknowledged post must have reached every member's client: live, by a resume replay, or by a history reload.
 */
class ChaosTest {
  private static final int USERS = 6;
  private static final int CHANNELS = 3;
  private static final long POST_INTERVAL_MS = 250;
  private static final long RING_TIMEOUT_MS = 60_000;
  private static final long TRAFFIC_TIMEOUT_MS = 60_000;

  private final List<ApiClient> apis = new CopyOnWriteArrayList<>();
  private final List<Ack> acks = ChaosPoster.newAckList();
  private final AtomicInteger unacknowledged = new AtomicInteger();
  private final List<ResumingClient> clients = new CopyOnWriteArrayList<>();

  @Test
  @DisplayName("kill -9 and restart of a Gateway, a Channel server, an Admin server and a Webapp loses no "
      + "acknowledged message")
  void chaos() {
    long began = System.currentTimeMillis();
    Vertx vertx = Vertx.vertx();
    try (TestPostgres database = TestPostgres.create();
        LocalCluster cluster = new LocalCluster("chaos").usePostgres(database.pg())) {
      // The first JVM forms the cluster and holds the ring manager; it is never killed, so it also carries the first
      // Admin server and the presence server (one JVM fewer to start on two cores). The rest join at once, each
      // role that gets killed in a JVM of its own.
      ClusterProcess web1 = cluster.start("web1", "webapp", "admin", "presence");
      Map<String, ClusterProcess> nodes = new HashMap<>();
      nodes.put("web2", cluster.launch("web2", "webapp"));
      nodes.put("adm2", cluster.launch("adm2", "admin"));
      nodes.put("cs1", cluster.launch("cs1", "channel"));
      nodes.put("cs2", cluster.launch("cs2", "channel"));
      nodes.put("gw1", cluster.launch("gw1", "gateway"));
      nodes.put("gw2", cluster.launch("gw2", "gateway"));
      nodes.values().forEach(ClusterProcess::awaitReady);
      cluster.observe();
      Set<String> servers = new HashSet<>(nodes.get("cs1").channelServers());
      servers.addAll(nodes.get("cs2").channelServers());
      cluster.awaitRing(r -> new HashSet<>(r.nodes()).equals(servers), RING_TIMEOUT_MS);
      ApiClient api1 = new ApiClient(vertx, web1.apiPort());
      apis.add(api1);
      apis.add(new ApiClient(vertx, nodes.get("web2").apiPort()));
      System.out.printf("chaos: cluster of %d JVMs up after %d ms%n", nodes.size() + 1,
          System.currentTimeMillis() - began);

      List<TestUser> users = new ArrayList<>();
      for (int i = 0; i < USERS; i++) {
        users.add(api1.register("chaos-" + i));
      }
      List<String> channels = new ArrayList<>();
      for (int c = 0; c < CHANNELS; c++) {
        String id = api1.createChannel(users.get(0), "chaos-" + c, false);
        for (TestUser u : users.subList(1, USERS)) {
          api1.ok("conversations.join", u.token(), "channel", id);
        }
        channels.add(id);
      }
      String oldest = new BigDecimal(System.currentTimeMillis() - 1_000).movePointLeft(3).toPlainString();
      Supplier<List<ApiClient>> liveApis = () -> List.copyOf(apis);
      List<ChaosPoster> posters = new ArrayList<>();
      try {
        for (TestUser u : users) {
          clients.add(new ResumingClient(vertx, u, liveApis, channels, oldest).start());
        }
        for (int i = 0; i < USERS; i++) {
          posters.add(new ChaosPoster(users.get(i), liveApis, channels, POST_INTERVAL_MS, i, acks, unacknowledged));
        }
        awaitMoreAcks(60);

        // 1. A Channel server: its channels move, twice (away, and partly back), each time to a new epoch.
        ClusterProcess cs2 = nodes.get("cs2");
        List<String> cs2Servers = cs2.channelServers();
        chaos(cluster, cs2, "cs2b", List.of("channel"), restarted -> {
          List<String> back = restarted.channelServers();
          cluster.awaitRing(r -> r.nodes().containsAll(back), RING_TIMEOUT_MS);
        }, () -> cluster.awaitRing(r -> Collections.disjoint(r.nodes(), cs2Servers), RING_TIMEOUT_MS));

        // 2. A Gateway. Its clients resume on channels whose owner (and epoch) changed twice since they connected.
        ClusterProcess gw2 = nodes.get("gw2");
        chaos(cluster, gw2, "gw2b", List.of("gateway"), restarted -> {
          // Serving: rtm.connect hands out its URL and a socket opened there gets hello.
          TestUser probe = api1.register("probe-gw");
          try (RtmClient client = Traffic.connectOn(vertx, api1, probe, restarted.gatewayPort())) {
            client.await(e -> "hello".equals(e.getString("type")));
          }
        }, () -> { });

        // 3. An Admin server.
        chaos(cluster, nodes.get("adm2"), "adm2b", List.of("admin"), restarted -> { }, () -> { });

        // 4. A Webapp: posts to it fail (unacknowledged) until it is back; its replacement has a new port.
        ClusterProcess web2 = nodes.get("web2");
        ApiClient web2Api = apis.get(1);
        chaos(cluster, web2, "web2b", List.of("webapp"), restarted -> {
          ApiClient api = new ApiClient(vertx, restarted.apiPort());
          api.ok("auth.test", users.get(0).token());
          apis.set(apis.indexOf(web2Api), api);
        }, () -> { });

        awaitMoreAcks(60);
      } finally {
        posters.forEach(ChaosPoster::close);
      }
      DeliveryCheck.Result result = DeliveryCheck.await(List.copyOf(acks), clients, 60_000);
      int reconnects = clients.stream().mapToInt(c -> c.connections() - 1).sum();
      int gaps = clients.stream().mapToInt(ResumingClient::gapsSeen).sum();
      int reloads = clients.stream().mapToInt(ResumingClient::reloads).sum();
      Map<String, Integer> changed = new HashMap<>();
      clients.forEach(c -> c.historyChanged().forEach((k, v) -> changed.merge(k, v, Integer::sum)));
      System.out.println(result.line("chaos"));
      System.out.printf("chaos: unacknowledged_posts=%d reconnects=%d channel_history_changed=%s "
              + "sequence_gaps_seen=%d history_reloads=%d, %d s in all%n", unacknowledged.get(), reconnects,
          changed, gaps, reloads, (System.currentTimeMillis() - began) / 1000);
      clients.forEach(c -> {
        if (!c.connectFailures().isEmpty()) {
          System.out.println("chaos: " + c.user.name() + " connect/reload failures: " + c.connectFailures());
        }
      });
      clients.forEach(ResumingClient::close);
      assertTrue(result.lost().isEmpty(), "acknowledged messages lost: " + result.lost().size() + ", e.g. "
          + result.lost().subList(0, Math.min(10, result.lost().size())));
      assertEquals(List.of(), result.duplicates(), "a message reached a client's sockets more than once");
      assertTrue(reconnects >= 1, "no client ever had to reconnect: the chaos missed the clients");
    } finally {
      vertx.close();
    }
  }

  /**
   * Kills {@code victim} with {@code kill -9} while traffic flows, waits for {@code gone} (the cluster noticing),
   * starts its replacement {@code name}, waits until {@code serving} accepts it, then for traffic to flow on.
   */
  private void chaos(LocalCluster cluster, ClusterProcess victim, String name, List<String> roles,
      Consumer<ClusterProcess> serving, Runnable gone) {
    awaitMoreAcks(30);
    long killedAt = System.currentTimeMillis();
    victim.kill();
    gone.run();
    awaitMoreAcks(10);
    ClusterProcess restarted = cluster.launch(name, roles.toArray(String[]::new)).awaitReady();
    serving.accept(restarted);
    long back = System.currentTimeMillis() - killedAt;
    awaitMoreAcks(30);
    System.out.printf("chaos: kill -9 %s, %s serving again after %d ms (acknowledged so far %d, sequence gaps seen "
            + "by clients so far %d, reconnects so far %d)%n", victim, name, back, acks.size(),
        clients.stream().mapToInt(ResumingClient::gapsSeen).sum(),
        clients.stream().mapToInt(c -> c.connections() - 1).sum());
  }

  /** Waits (bounded) until {@code more} further posts are acknowledged: traffic flows. */
  private void awaitMoreAcks(int more) {
    int target = acks.size() + more;
    long deadline = System.currentTimeMillis() + TRAFFIC_TIMEOUT_MS;
    while (acks.size() < target) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("traffic stalled: " + acks.size() + " of " + target + " acknowledged, "
            + unacknowledged.get() + " unacknowledged");
      }
      LocalCluster.pause(20);
    }
  }
}
