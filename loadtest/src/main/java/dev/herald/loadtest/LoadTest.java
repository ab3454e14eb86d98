package dev.herald.loadtest;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The load tester's command line ({@code scripts/loadtest.sh SCENARIO [options]}). For each run and each target
 * (Herald, then the baseline, alternating so noise falls on both) it starts the server as a child JVM, creates the
 * users and channels, opens the sockets, runs the scenario, stops the server by its PID, and finally appends every
 * run to {@code results.tsv} and writes an HTML report with the medians side by side.
 *
 * <p>Options: {@code --targets herald,baseline --runs 3 --clients N --channels M --publishers P --rate R (msg/s)
 * --via http|rtm --warmup S --measure S --drain S --sweep-factor F --sweep-steps N --sweep-attempts N
 * --p99-limit-ms L --hold S
 * --connect-concurrency N --connect-timeout S --source-addresses N --http-connections N --out DIR --jar herald.jar
 * --server-jvm "-Xmx2g ..." --herald-env HERALD_GATEWAY_INSTANCES=2,... --baseline-instances N --quiet}.
 *
 * <p>Past what one process may hold (20,000 open files): {@code --gateways N} runs Herald as a local cluster (one
 * JVM with the Web API, Admin, Channel and presence roles, N {@code gateway --cluster} JVMs), and
 * {@code --generators K} (idle only) opens the sockets from K child load-generator processes (the hidden
 * {@code generate} sub-command, {@link GeneratorProcess}) with {@code --generator-jvm "-Xmx2g ..."}. Server figures
 * are then summed over every server JVM, and each Gateway's share is reported too.
 */
public final class LoadTest {
  private LoadTest() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 1 && args[0].equals("generate")) {
      // Hidden: a child load generator of --generators K (see GeneratorProcess), started by this tool only.
      GeneratorProcess.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length >= 2 && args[0].equals("summarize")) {
      // summarize SCENARIO [--out DIR]: medians over every row of results.tsv for the scenario, from any invocation.
      Path dir = Path.of(args.length >= 4 && args[2].equals("--out") ? args[3] : new Scenario().out);
      List<RunResult> rows = Report.readTsv(dir.resolve("results.tsv"), args[1]);
      System.out.println(Report.summary(Scenario.preset(args[1]), rows));
      return;
    }
    Scenario scenario;
    try {
      scenario = Scenario.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("loadtest: " + e.getMessage());
      System.err.println("usage: loadtest.sh chat|bigroom|sweep|idle|storm|smoke [options] (see LoadTest.java)");
      System.exit(2);
      return;
    }
    Path out = Path.of(scenario.out);
    Files.createDirectories(out);
    System.err.println("loadtest: " + scenario.name + ": " + scenario.describe() + "; targets "
        + String.join(",", scenario.targets) + ", " + scenario.runs + " run(s)");
    List<RunResult> results = new ArrayList<>();
    for (int run = 1; run <= scenario.runs; run++) {
      for (String targetName : scenario.targets) {
        RunResult result;
        try {
          result = runChild(scenario, targetName, run, out);
        } catch (Exception e) {
          System.err.println("loadtest: " + scenario.name + "/" + targetName + " run " + run + " failed: " + e);
          e.printStackTrace();
          System.exit(1);
          return;
        }
        results.add(result);
        Report.appendTsv(out.resolve("results.tsv"), result);
        System.err.println("loadtest: " + Report.oneLine(result));
      }
    }
    Path html = Report.writeHtml(out, scenario, results);
    System.out.println(Report.summary(scenario, results));
    System.out.println("loadtest: report " + html.toAbsolutePath() + ", rows appended to "
        + out.resolve("results.tsv").toAbsolutePath());
  }

  /** Starts the target's server as a child JVM, measures it, and stops exactly that process. */
  static RunResult runChild(Scenario s, String targetName, int run, Path out) throws Exception {
    Path log = out.resolve("logs").resolve(s.name + "-" + targetName + "-" + run + ".log");
    ServerUnderTest server = switch (targetName) {
      case "herald" -> s.gateways > 0
          ? HeraldCluster.start(Path.of(s.jar), s.serverJvm, s.heraldEnv, s.gateways, log)
          : ServerUnderTest.ChildProcess.herald(Path.of(s.jar), s.serverJvm, s.heraldEnv, log);
      case "baseline" -> ServerUnderTest.ChildProcess.baseline(s.serverJvm, s.baselineInstances, log);
      default -> throw new IllegalArgumentException("unknown target " + targetName);
    };
    System.err.println("loadtest: " + targetName + " server " + (server instanceof HeraldCluster cluster
        ? cluster.describe() : "pid " + server.pid() + " at " + server.api()) + " (log " + log + ")");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()));
    try (server) {
      Target target = targetName.equals("herald")
          ? new HeraldTarget(vertx, server, s.httpConnections)
          : new BaselineTarget(vertx, server, s.httpConnections);
      return s.generators > 1 ? measureForked(s, target, run, out.resolve("logs")) : measure(vertx, s, target, run);
    } finally {
      vertx.close().await();
    }
  }

  private static RunResult newResult(Scenario s, Target target, int run) {
    RunResult result = new RunResult(s.name, target.name(), run);
    return result.put("clients", s.clients).put("channels", s.channels).put("publishers", s.publishers)
        .put("gateways", s.gateways).put("generators", s.generators);
  }

  /** Registers the scenario's users and channels, recording how fast. */
  private static Population populate(Scenario s, Target target, RunResult result) {
    long start = System.nanoTime();
    Population population = LoadGenerator.await(target.populate(s.clients, s.channels), populateTimeout(s));
    result.put("populate_per_s", s.clients / ((System.nanoTime() - start) / 1e9));
    return population;
  }

  /** Resident memory stops moving: within 1 % for {@link #SETTLE_SECONDS} seconds running, or 30 s have passed. */
  private static ProcStats.Sample settled(java.util.Collection<Long> pids) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    ProcStats.Sample last = ProcStats.sum(pids);
    int steady = 0;
    while (steady < SETTLE_SECONDS && System.nanoTime() < deadline) {
      LoadGenerator.sleep(1);
      ProcStats.Sample now = ProcStats.sum(pids);
      steady = Math.abs(now.rssBytes() - last.rssBytes()) <= last.rssBytes() / 100 ? steady + 1 : 0;
      last = now;
    }
    return last;
  }

  /** Long enough for an idle G1 with a periodic collection every 5 s to have run one and given memory back. */
  private static final int SETTLE_SECONDS = 7;

  /** Runs the scenario against a server that is already up; the caller owns the server and the Vert.x instance. */
  public static RunResult measure(Vertx vertx, Scenario s, Target target, int run) {
    RunResult result = newResult(s, target, run);
    Population population = populate(s, target, result);
    String label = s.name + "/" + target.name() + " run " + run;
    var pids = target.server().processes().values();
    try (LoadGenerator generator = new LoadGenerator(vertx, target, population, s.sourceAddresses, label,
        s.progress)) {
      // idle measures memory per socket against the server at rest: set-up's garbage, which a JVM may still be
      // giving back (Herald's Gateway JVMs do, gateway.compact_heap), must not count against the sockets.
      ProcStats.Sample before = s.name.equals("idle") ? settled(pids) : ProcStats.sum(pids);
      Map<String, ProcessFigures> perProcess = ProcessFigures.before(target.server());
      generator.phase("connect");
      LoadGenerator.Connected connected = generator.connectAll(s.connectConcurrency, (long) s.connectTimeout);
      ProcStats.Sample after = ProcStats.sum(pids);
      result.put("connected", connected.connected()).put("connect_failures", connected.failures())
          .put("connects_per_s", connected.perSecond())
          .put("server_rss_before_connect_mb", before.rssBytes() / 1048576.0)
          .put("server_rss_connected_mb", after.rssBytes() / 1048576.0)
          .put("rss_per_connection_kb", connected.connected() == 0 ? 0
              : (after.rssBytes() - before.rssBytes()) / 1024.0 / connected.connected());
      generator.phase("connected");
      result.put("box_loadavg", Machine.loadAverage());
      switch (s.name) {
        case "chat", "bigroom", "smoke" -> {
          generator.phase("steady");
          result.putWindow(generator.window(s.rate, s.via, s.publishers, s.warmup, s.measure, s.drain));
        }
        case "sweep" -> sweep(s, generator, result);
        case "idle" -> {
          generator.phase("hold");
          LoadGenerator.sleep(s.hold);
          ProcStats.Sample held = ProcStats.sum(pids);
          result.put("held", generator.openSockets())
              .put("server_cores", after.coresSince(before))
              .put("server_cpu_us_per_connect", connected.connected() == 0 ? 0
                  : (double) after.cpuSince(before) / connected.connected())
              .put("server_rss_held_mb", held.rssBytes() / 1048576.0)
              .put("rss_per_connection_kb", generator.openSockets() == 0 ? 0
                  : (held.rssBytes() - before.rssBytes()) / 1024.0 / generator.openSockets());
          if (s.gateways > 0) {
            ProcessFigures.held(perProcess, result, label);
          }
        }
        case "storm" -> storm(s, generator, result);
        default -> throw new IllegalArgumentException(s.name);
      }
      generator.phase("done");
      result.ticks.addAll(generator.ticks());
    }
    return result;
  }

  /** Registration of 50,000 users may take minutes on a busy box: at least 600 s, 20 ms more per user. */
  static long populateTimeout(Scenario s) {
    return Math.max(600, s.clients / 50);
  }

  /**
   * The idle scenario with {@code --generators K}: the population is created here, K child processes open the
   * sockets and hold them, and the figures are read here, summed over every server JVM: connections held (as the
   * children last counted them), connects/s (all sockets over the slowest child's time), server RSS growth over the
   * connections, server and load-generator CPU while connecting, and with {@code --gateways} each Gateway's sockets
   * and RSS growth per socket.
   */
  static RunResult measureForked(Scenario s, Target target, int run, Path logs) throws Exception {
    RunResult result = newResult(s, target, run);
    Population population = populate(s, target, result);
    String label = s.name + "/" + target.name() + " run " + run;
    var pids = target.server().processes().values();
    ProcStats.Sample before = settled(pids);
    Map<String, ProcessFigures> perProcess = ProcessFigures.before(target.server());
    long t0 = System.nanoTime();
    String[] phase = {"connect"};
    List<LoadGenerator.Tick> ticks = new ArrayList<>();
    try (ForkedGenerators generators = ForkedGenerators.start(s, target, population, label, logs)) {
      // Progress and the report's timeline: a tick a second, a line every 5 s.
      var monitor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "loadtest-forked-monitor");
        t.setDaemon(true);
        return t;
      });
      ProcStats.Sample[] last = {before};
      monitor.scheduleAtFixedRate(() -> {
        try {
          ProcStats.Sample now = ProcStats.sum(pids);
          double t = (System.nanoTime() - t0) / 1e9;
          LoadGenerator.Tick tick = new LoadGenerator.Tick(t, phase[0], generators.open(), 0, 0, 0, 0, 0,
              now.coresSince(last[0]), now.rssBytes() / 1048576.0);
          last[0] = now;
          synchronized (ticks) {
            ticks.add(tick);
          }
          if (s.progress && ticks.size() % 5 == 0) {
            System.err.printf(Locale.ROOT, "[%s %s %3.0fs] sockets %d/%d (per generator %s) | per server JVM %s"
                    + " | server %.2f cores %.0f MB | box load %.1f%n", label, phase[0], t, tick.connected(),
                s.clients, generators.openByChild(), ProcessFigures.socketsNow(perProcess), tick.serverCores(),
                tick.serverRssMb(), Machine.loadAverage());
          }
        } catch (RuntimeException e) {
          System.err.println("loadtest: monitor: " + e);
        }
      }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
      try {
        ProcStats.Sample selfStart = ProcStats.sum(generators.pids());
        LoadGenerator.Connected connected = generators.awaitConnected(s.connectTimeout + 120);
        ProcStats.Sample after = ProcStats.sum(pids);
        ProcStats.Sample selfEnd = ProcStats.sum(generators.pids());
        result.put("connected", connected.connected()).put("connect_failures", connected.failures())
            .put("connects_per_s", connected.perSecond())
            .put("server_rss_before_connect_mb", before.rssBytes() / 1048576.0)
            .put("server_rss_connected_mb", after.rssBytes() / 1048576.0)
            .put("rss_per_connection_kb", connected.connected() == 0 ? 0
                : (after.rssBytes() - before.rssBytes()) / 1024.0 / connected.connected())
            // While connecting: each connect is an rtm.connect (Web API, ticket over the bus) and a websocket.
            .put("server_cores", after.coresSince(before))
            .put("server_cpu_us_per_connect", connected.connected() == 0 ? 0
                : (double) after.cpuSince(before) / connected.connected())
            .put("loadgen_cores", selfEnd.coresSince(selfStart));
        result.put("box_loadavg", Machine.loadAverage());
        System.err.printf(Locale.ROOT, "loadtest: %s: %d connected, %d failed, in %.1f s (%.0f/s)%n", label,
            connected.connected(), connected.failures(), connected.seconds(), connected.perSecond());
        phase[0] = "hold";
        LoadGenerator.sleep(s.hold);
        // The children report once a second: wait a report past the hold so the count is the held one.
        LoadGenerator.sleep(1.5);
        int held = generators.open();
        ProcStats.Sample heldSample = ProcStats.sum(pids);
        result.put("held", held)
            .put("server_rss_held_mb", heldSample.rssBytes() / 1048576.0)
            .put("rss_per_connection_kb", held == 0 ? 0 : (heldSample.rssBytes() - before.rssBytes()) / 1024.0 / held);
        ProcessFigures.held(perProcess, result, label);
        phase[0] = "done";
      } finally {
        monitor.shutdownNow();
      }
    }
    synchronized (ticks) {
      result.ticks.addAll(ticks);
    }
    return result;
  }

  /** Raises the rate step by step while every step is sustained; reports the highest sustained one. */
  private static void sweep(Scenario s, LoadGenerator generator, RunResult result) {
    double rate = s.rate;
    LoadGenerator.Window best = null;
    for (int step = 1; step <= s.sweepSteps; step++) {
      generator.phase(String.format(Locale.ROOT, "step %d %s msg/s", step, Scenario.fmt(rate)));
      LoadGenerator.Window w = null;
      boolean ok = false;
      // A failed step is tried once more before the sweep stops: on a shared box one stall of every process can
      // fail a window that the server itself would have held.
      for (int attempt = 1; attempt <= s.sweepAttempts && !ok; attempt++) {
        w = generator.window(rate, s.via, s.publishers, s.warmup, s.measure, s.drain);
        ok = w.sustained(s.p99LimitMs);
        System.err.printf(Locale.ROOT, "loadtest: sweep step %d try %d: %s msg/s → %.0f deliveries/s received,"
                + " p99 %.1f ms, lost %d, failed %d, skipped %d: %s%n", step, attempt, Scenario.fmt(rate),
            w.receivedDeliveriesPerSecond(), w.ms(99), w.tally().lost(), w.failedPosts(), w.skipped(),
            ok ? "sustained" : "NOT sustained");
      }
      result.steps.add(new double[] {rate, w.receivedDeliveriesPerSecond(), w.ms(99), ok ? 1 : 0});
      if (!ok) {
        break;
      }
      best = w;
      rate = Math.round(rate * s.sweepFactor);
    }
    if (best != null) {
      result.putWindow(best);
    }
    result.put("max_sustained_deliveries_per_s", best == null ? 0 : best.receivedDeliveriesPerSecond());
    result.put("max_sustained_msgs", best == null ? 0 : best.rate());
  }

  /** Everyone disconnects, then everyone reconnects at once: time until all are back, and until all receive. */
  private static void storm(Scenario s, LoadGenerator generator, RunResult result) {
    generator.phase("storm close");
    result.put("storm_close_s", generator.closeAll(120));
    generator.phase("storm reconnect");
    long start = System.nanoTime();
    LoadGenerator.Connected back = generator.connectAll(s.connectConcurrency, 600);
    generator.phase("storm probe");
    MessageBook.Tally probe = generator.probe(120);
    double receiving = (System.nanoTime() - start) / 1e9;
    result.put("storm_reconnected", back.connected()).put("storm_failures", back.failures())
        .put("storm_reconnect_s", back.seconds()).put("storm_reconnects_per_s", back.perSecond())
        .put("storm_receiving_s", receiving).put("expected", probe.expected()).put("received", probe.received())
        .put("lost", probe.lost()).put("extra", probe.extra()).put("duplicates", generator.duplicates());
  }
}
