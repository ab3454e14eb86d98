package dev.herald.launcher;

import dev.herald.shared.bus.Codecs;
import dev.herald.shared.config.HeraldConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The command line: {@code java -jar herald.jar [ROLE...] [--cluster] [--conf FILE]}. Without roles it runs them
 * all in one JVM. Prints one line when ready; Ctrl-C (SIGTERM) stops the roles and closes the database cleanly.
 */
public final class HeraldMain {
  private HeraldMain() {}

  public static void main(String[] args) throws Exception {
    // Before anything logs: keep logging alive while the shutdown hook drains (unless the operator chose a manager).
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", ShutdownLogManager.class.getName());
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    boolean cluster = false;
    Path confFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--cluster" -> cluster = true;
        case "--conf" -> {
          if (i + 1 >= args.length) {
            usage("--conf needs a file");
          }
          confFile = Path.of(args[++i]);
        }
        case "-h", "--help" -> usage(null);
        default -> {
          try {
            roles.addAll(Role.parse(args[i]));
          } catch (IllegalArgumentException e) {
            usage(e.getMessage());
          }
        }
      }
    }
    if (roles.isEmpty()) {
      roles = EnumSet.allOf(Role.class);
    }
    JsonObject file = confFile == null ? new JsonObject() : new JsonObject(Files.readString(confFile));
    HeraldConfig config = HeraldConfig.load(file, System.getenv());

    if (cluster && roles.contains(Role.WEBAPP) && config.storage().kind().equals("embedded")) {
      System.err.println("herald: warning: the embedded database belongs to this JVM alone; run several Webapps "
          + "in a cluster only with storage.kind=postgres (see docs/deployment.md)");
    }
    if (roles.contains(Role.GATEWAY) && config.gateway().compactHeap()) {
      List<String> set = CompactHeap.apply();
      if (!set.isEmpty()) {
        System.getLogger(HeraldMain.class.getName()).log(System.Logger.Level.INFO,
            "herald: gateway.compact_heap set {0}", String.join(" ", set));
      }
    }
    Vertx vertx = cluster ? ClusterSetup.start(config).await(120, TimeUnit.SECONDS) : Vertx.vertx(new VertxOptions());
    Codecs.registerAll(vertx);
    Set<Role> started = roles;
    Herald herald;
    try {
      herald = Herald.start(vertx, config, roles).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("herald: failed to start: " + e);
      e.printStackTrace();
      vertx.close();
      System.exit(1);
      return;
    }
    System.out.println(readyLine(herald, started, cluster ? ClusterSetup.memberAddress(vertx) : null));

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("herald: stopping");
      herald.stop().eventually(vertx::close).onComplete(ar -> stopped.countDown());
      try {
        System.out.println(stopped.await(30, TimeUnit.SECONDS) ? "herald: stopped" : "herald: stop timed out");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "herald-shutdown"));
  }

  /** {@code member} is this JVM's cluster address, or null when not clustered. */
  static String readyLine(Herald herald, Set<Role> roles, String member) {
    StringBuilder line = new StringBuilder("herald ready:");
    line.append(" roles=").append(String.join(",", roles.stream().map(Role::label).toList()));
    if (herald.webappPort() > 0) {
      line.append(" api=http://").append(herald.config().webapp().host()).append(':').append(herald.webappPort())
          .append("/api/");
    }
    if (herald.gatewayPort() > 0) {
      line.append(" websocket=ws://").append(herald.config().gateway().host()).append(':')
          .append(herald.gatewayPort()).append("/websocket");
    }
    if (herald.storage() != null) {
      line.append(" storage=").append(herald.config().storage().kind());
    }
    if (member == null) {
      line.append(" cluster=none");
    } else {
      line.append(" cluster=hazelcast name=").append(herald.config().cluster().name()).append(" member=")
          .append(member);
    }
    if (!herald.channelServers().isEmpty()) {
      line.append(" channel_servers=")
          .append(String.join(",", herald.channelServers().stream().map(s -> s.nodeId()).toList()));
    }
    line.append(" ring_manager=").append(herald.ringManagerActive() ? "active" : "standby");
    return line.toString();
  }

  private static void usage(String problem) {
    if (problem != null) {
      System.err.println("herald: " + problem);
    }
    System.err.println("usage: herald [all|webapp|admin|channel|presence|gateway ...] [--cluster] [--conf FILE]");
    System.exit(problem == null ? 0 : 2);
  }
}
