package dev.herald.cluster;

import dev.herald.launcher.ClusterSetup;
import dev.herald.shared.bus.Codecs;
import dev.herald.shared.bus.RingSnapshot;
import dev.herald.shared.config.HeraldConfig;
import dev.herald.shared.ring.RingFollower;
import dev.herald.shared.ring.RingView;
import dev.herald.testing.HeraldFixture;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A Herald cluster of separate JVMs on loopback, for one test class: a cluster name of its own, every port picked
 * by the OS, and an observer in the test JVM (a Hazelcast lite member, so it holds no cluster data) that follows
 * the ring versions the ring manager publishes. Logs go to {@code target/cluster-tests/<name>/<node>.log}.
 * {@link #close()} kills every JVM it started.
 */
final class LocalCluster implements AutoCloseable {
  private final String name;
  private final Map<String, String> env = new HashMap<>();
  private final Path dir;
  private final List<ClusterProcess> processes = new CopyOnWriteArrayList<>();
  private final List<RingSnapshot> rings = new CopyOnWriteArrayList<>();
  private Vertx observer;

  LocalCluster(String label) {
    this.name = "herald-test-" + label + "-" + UUID.randomUUID().toString().substring(0, 8);
    // Under the build directory: each JVM's log stays there for a look after a failure; mvn clean removes it.
    this.dir = Path.of("target", "cluster-tests", name).toAbsolutePath();
    env.put("HERALD_CLUSTER_NAME", name);
    env.put("HERALD_CLUSTER_PORT", "0");
    env.put("HERALD_WEBAPP_PORT", "0");
    env.put("HERALD_GATEWAY_PORT", "0");
    env.put("HERALD_CHANNEL_INSTANCES", "1");
    env.put("HERALD_WEBAPP_INSTANCES", "1");
    // One Gateway per Gateway JVM, so that a JVM's log lines are one Gateway's; the single-JVM suites run the
    // default of several instances sharing a port.
    env.put("HERALD_GATEWAY_INSTANCES", "1");
    // The tests drive one token far harder than Slack's tiers allow; rate limiting has its own tests.
    env.put("HERALD_WEBAPP_RATE_LIMITS_ENABLED", "false");
    env.put("HERALD_STORAGE_DATA_DIR", dir.resolve("data").toString());
  }

  String name() {
    return name;
  }

  /** An environment variable for every JVM started from now on. */
  LocalCluster env(String key, String value) {
    env.put(key, value);
    return this;
  }

  /** Every JVM started from now on stores in this PostgreSQL database. */
  LocalCluster usePostgres(HeraldConfig.Postgres pg) {
    return env("HERALD_STORAGE_KIND", "postgres")
        .env("HERALD_STORAGE_PG_HOST", pg.host())
        .env("HERALD_STORAGE_PG_PORT", Integer.toString(pg.port()))
        .env("HERALD_STORAGE_PG_DATABASE", pg.database())
        .env("HERALD_STORAGE_PG_USER", pg.user())
        .env("HERALD_STORAGE_PG_PASSWORD", pg.password());
  }

  /** Starts a JVM with {@code roles}; it joins through every member started so far. Does not wait for it. */
  ClusterProcess launch(String node, String... roles) {
    Map<String, String> nodeEnv = new HashMap<>(env);
    List<String> members = processes.stream().filter(ClusterProcess::isAlive)
        .map(p -> {
          try {
            return p.member();
          } catch (IllegalStateException notReady) {
            return null;
          }
        })
        .filter(m -> m != null).toList();
    if (!members.isEmpty()) {
      nodeEnv.put("HERALD_CLUSTER_MEMBERS", String.join(",", members));
    }
    ClusterProcess process = ClusterProcess.start(node, nodeEnv, dir.resolve(node + ".log"), List.of(roles));
    processes.add(process);
    return process;
  }

  /** Starts a JVM and waits until it is ready. */
  ClusterProcess start(String node, String... roles) {
    return launch(node, roles).awaitReady();
  }

  /** Joins the cluster from the test JVM as a lite member and follows the ring. */
  void observe() {
    Map<String, String> observerEnv = new HashMap<>(env);
    observerEnv.put("HERALD_CLUSTER_MEMBERS", String.join(",",
        processes.stream().filter(ClusterProcess::isAlive).map(ClusterProcess::member).toList()));
    HeraldConfig config = HeraldConfig.load(new JsonObject(), observerEnv);
    var hazelcast = ClusterSetup.hazelcastConfig(config.cluster()).setLiteMember(true);
    observer = HeraldFixture.await(Vertx.builder()
        .withClusterManager(new HazelcastClusterManager(hazelcast))
        .buildClustered());
    Codecs.registerAll(observer);
    RingView view = RingView.channels(config.ring().virtualNodes());
    HeraldFixture.await(RingFollower.follow(observer, view,
        (before, after) -> rings.add(new RingSnapshot(view.version(), after.nodes()))));
  }

  /** Every ring version the observer has adopted, oldest first. */
  List<RingSnapshot> rings() {
    return List.copyOf(rings);
  }

  RingSnapshot latestRing() {
    List<RingSnapshot> seen = rings();
    return seen.isEmpty() ? null : seen.get(seen.size() - 1);
  }

  /** Waits (bounded) until the observer has adopted a ring matching {@code match}, and returns it. */
  RingSnapshot awaitRing(Predicate<RingSnapshot> match, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      RingSnapshot latest = latestRing();
      if (latest != null && match.test(latest)) {
        return latest;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("ring did not reach the expected state within " + timeoutMs + " ms; rings seen: "
            + rings());
      }
      pause(10);
    }
  }

  List<ClusterProcess> processes() {
    return List.copyOf(processes);
  }

  Path dir() {
    return dir;
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Leaves the cluster, kills every JVM still running, deletes their data (the logs stay). */
  @Override
  public void close() {
    // The observer leaves first: a lite member left alone in a cluster only complains.
    if (observer != null) {
      try {
        HeraldFixture.await(observer.close());
      } catch (AssertionError e) {
        // closing is best effort
      }
    }
    List<ClusterProcess> all = new ArrayList<>(processes);
    all.forEach(p -> p.close());
    Path data = dir.resolve("data");
    if (Files.exists(data)) {
      try (Stream<Path> files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // temporary files; the OS cleans up
      }
    }
  }
}
