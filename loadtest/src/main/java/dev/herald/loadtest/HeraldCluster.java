package dev.herald.loadtest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Herald as a local cluster of separate JVMs, for loads past what one process may hold (20,000 open files): one
 * {@code core} JVM with the Web API, Admin, Channel and presence roles (embedded storage, so exactly one Webapp), and
 * N {@code gateway --cluster} JVMs, each with its own websocket port. All on 127.0.0.1, Hazelcast on free ports, in
 * a cluster named per run so no other cluster on the box is joined. {@code rtm.connect} asks any Gateway for a
 * ticket (the event bus round-robins the request over the Gateway JVMs), so the sockets spread over them.
 * Stopped Gateways first, then the core, each by its own PID.
 */
final class HeraldCluster implements ServerUnderTest {
  private final ChildProcess core;
  private final List<ChildProcess> gateways;

  private HeraldCluster(ChildProcess core, List<ChildProcess> gateways) {
    this.core = core;
    this.gateways = gateways;
  }

  /** Starts the core JVM, then {@code gateways} Gateway JVMs side by side; logs are {@code log}-core.log etc. */
  static HeraldCluster start(Path jar, List<String> jvmOptions, Map<String, String> env, int gateways, Path log)
      throws IOException {
    Map<String, String> clusterEnv = new LinkedHashMap<>(env);
    clusterEnv.putIfAbsent("HERALD_CLUSTER_NAME",
        "herald-loadtest-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36));
    String base = log.getFileName().toString().replaceAll("\\.log$", "");
    Path dataDir = Files.createTempDirectory("herald-loadtest-");
    ChildProcess core = ChildProcess.heraldClusterMember(jar, jvmOptions,
        List.of("webapp", "admin", "channel", "presence"), clusterEnv, dataDir, log.resolveSibling(base + "-core.log"));
    List<ChildProcess> started = new ArrayList<>();
    try {
      if (core.member() == null) {
        throw new IOException("the core JVM's ready line names no cluster member");
      }
      Map<String, String> gatewayEnv = new LinkedHashMap<>(clusterEnv);
      gatewayEnv.put("HERALD_CLUSTER_MEMBERS", core.member());
      // Started one after another: each waits for its own ready line (bounded), and a JVM joining a cluster on a
      // busy 2-core box is quicker when it is not competing with the others' start-up.
      for (int g = 1; g <= gateways; g++) {
        started.add(ChildProcess.heraldClusterMember(jar, jvmOptions, List.of("gateway"), gatewayEnv, null,
            log.resolveSibling(base + "-gateway" + g + ".log")));
      }
    } catch (IOException | RuntimeException e) {
      for (ChildProcess gateway : started) {
        gateway.close();
      }
      core.close();
      throw e;
    }
    return new HeraldCluster(core, List.copyOf(started));
  }

  public String api() {
    return core.api();
  }

  /** The first Gateway's websocket; clients get theirs from {@code rtm.connect}. */
  public String websocket() {
    return gateways.isEmpty() ? null : gateways.get(0).websocket();
  }

  public long pid() {
    return core.pid();
  }

  public Map<String, Long> processes() {
    Map<String, Long> pids = new LinkedHashMap<>();
    pids.put("core", core.pid());
    for (int g = 0; g < gateways.size(); g++) {
      pids.put("gateway" + (g + 1), gateways.get(g).pid());
    }
    return pids;
  }

  public String describe() {
    StringBuilder s = new StringBuilder("core pid " + core.pid() + " at " + core.api());
    for (int g = 0; g < gateways.size(); g++) {
      s.append(", gateway").append(g + 1).append(" pid ").append(gateways.get(g).pid()).append(" at ")
          .append(gateways.get(g).websocket());
    }
    return s.toString();
  }

  public void close() {
    for (ChildProcess gateway : gateways) {
      gateway.close();
    }
    core.close();
  }
}
