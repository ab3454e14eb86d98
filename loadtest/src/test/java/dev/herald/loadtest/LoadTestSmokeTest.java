package dev.herald.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.launcher.Herald;
import dev.herald.launcher.Role;
import dev.herald.shared.bus.Codecs;
import dev.herald.shared.config.HeraldConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load tester at smoke size against real servers on loopback (Herald and the baseline, in this JVM): a few
 * hundred sockets, a few seconds of posting. Asserts that nothing is lost or duplicated and that the counters agree
 * with each other; never a timing.
 */
class LoadTestSmokeTest {
  private final long pid = ProcessHandle.current().pid();
  @TempDir
  Path dataDir;
  private Vertx serverVertx;
  private Vertx loadVertx;
  private Herald herald;

  @BeforeEach
  void start() {
    serverVertx = Vertx.vertx();
    Codecs.registerAll(serverVertx);
    loadVertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    if (herald != null) {
      herald.stop().await(30, TimeUnit.SECONDS);
    }
    loadVertx.close().await(30, TimeUnit.SECONDS);
    serverVertx.close().await(30, TimeUnit.SECONDS);
  }

  private Target startHerald(Scenario s) throws Exception {
    JsonObject conf = new JsonObject()
        // Rate limits off, as for the load tester's own Herald processes (see ServerUnderTest).
        .put("webapp", new JsonObject().put("port", 0)
            .put("rate_limits", new JsonObject().put("enabled", false)))
        .put("gateway", new JsonObject().put("port", 0))
        .put("storage", new JsonObject().put("data_dir", dataDir.toString()));
    herald = Herald.start(serverVertx, HeraldConfig.load(conf, Map.of()), EnumSet.allOf(Role.class))
        .await(60, TimeUnit.SECONDS);
    ServerUnderTest server = ServerUnderTest.running("http://127.0.0.1:" + herald.webappPort() + "/api/",
        "ws://127.0.0.1:" + herald.gatewayPort() + "/websocket", pid);
    return new HeraldTarget(loadVertx, server, s.httpConnections);
  }

  private Target startBaseline(Scenario s) throws Exception {
    int port = BaselineServer.start(serverVertx, 0, 2).await(30, TimeUnit.SECONDS);
    ServerUnderTest server = ServerUnderTest.running("http://127.0.0.1:" + port + "/post",
        "ws://127.0.0.1:" + port + "/ws", pid);
    return new BaselineTarget(loadVertx, server, s.httpConnections);
  }

  private static Scenario smoke(LoadGenerator.Via via) {
    Scenario s = Scenario.preset("smoke");
    s.clients = 240;
    s.channels = 4;
    s.publishers = 8;
    s.rate = 40;
    s.via = via;
    s.warmup = 1;
    s.measure = 3;
    // The drain ends as soon as everything has arrived; the bound only matters on a starved machine.
    s.drain = 60;
    s.progress = false;
    return s;
  }

  /** Zero loss, zero duplicates, and sent × recipients = received + lost, counted independently. */
  private static void assertConsistent(Scenario s, RunResult r) {
    assertEquals(s.clients, r.get("connected"), "every socket opened");
    assertEquals(0, r.get("connect_failures"));
    double sent = r.get("sent_msgs");
    assertTrue(sent > 0, "messages were posted in the measured window");
    double recipients = (double) s.clients / s.channels;
    assertEquals(sent * recipients, r.get("expected"), "each message is owed to every member of its channel");
    assertEquals(r.get("expected"), r.get("received") + r.get("lost"), "sent × recipients = received + lost");
    assertEquals(0, r.get("lost"), "nothing lost");
    assertEquals(0, r.get("duplicates"), "nothing received twice");
    assertEquals(0, r.get("extra"), "nothing reached a socket outside the channel");
    assertEquals(0, r.get("failed_posts"), "every post accepted");
    assertEquals(r.get("received"), r.get("latency_count"), "one latency per delivery");
    assertTrue(r.get("p50_ms") <= r.get("p99_ms") && r.get("p99_ms") <= r.get("max_ms"), "percentiles ordered");
    // Not CPU > 0: on a starved box no delivery may land inside the 2 s window, and then there is no per-delivery
    // figure (0). The server's memory proves its /proc figures were read.
    assertTrue(r.get("server_rss_mb") > 0, "server figures were read from /proc");
    // The per-thread breakdown is read separately from the process total, a moment apart: it adds up to it.
    double byKind = 0;
    for (ProcStats.ThreadKind kind : ProcStats.ThreadKind.values()) {
      byKind += r.get("server_" + kind.name().toLowerCase(java.util.Locale.ROOT) + "_cores");
    }
    assertEquals(r.get("server_cores"), byKind, 0.05 + 0.1 * r.get("server_cores"), "thread kinds add up");
  }

  @Test
  void heraldOverHttpLosesNothing() throws Exception {
    Scenario s = smoke(LoadGenerator.Via.HTTP);
    assertConsistent(s, LoadTest.measure(loadVertx, s, startHerald(s), 1));
  }

  @Test
  void heraldOverRtmLosesNothing() throws Exception {
    Scenario s = smoke(LoadGenerator.Via.RTM);
    assertConsistent(s, LoadTest.measure(loadVertx, s, startHerald(s), 1));
  }

  @Test
  void baselineLosesNothing() throws Exception {
    Scenario s = smoke(LoadGenerator.Via.HTTP);
    assertConsistent(s, LoadTest.measure(loadVertx, s, startBaseline(s), 1));
  }

  @Test
  void stormBringsEveryoneBackAndReceiving() throws Exception {
    Scenario s = Scenario.preset("storm");
    s.clients = 200;
    s.channels = 4;
    s.connectConcurrency = 200;
    s.progress = false;
    RunResult r = LoadTest.measure(loadVertx, s, startHerald(s), 1);
    assertEquals(200, r.get("storm_reconnected"), "every socket came back");
    assertEquals(0, r.get("storm_failures"));
    assertEquals(200, r.get("expected"), "one probe per channel, owed to each of its members");
    assertEquals(200, r.get("received"), "every socket received after reconnecting");
    assertEquals(0, r.get("lost"));
    assertEquals(0, r.get("duplicates"), "nothing received twice across the reconnect");
  }
}
