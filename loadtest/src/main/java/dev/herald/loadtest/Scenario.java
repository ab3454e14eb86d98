package dev.herald.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A scenario's settings: the named presets of the benchmark, any of them overridden from the command line. */
public final class Scenario {
  public String name;
  public List<String> targets = new ArrayList<>(List.of("herald", "baseline"));
  public int runs = 3;
  public int clients;
  public int channels;
  public int publishers;
  /** Messages per second over all publishers (the sweep's first step). */
  public double rate;
  public LoadGenerator.Via via = LoadGenerator.Via.HTTP;
  public double warmup = 5;
  public double measure = 15;
  public double drain = 10;
  /** Sweep: multiply the rate by this per step, at most this many steps, while p99 stays within the limit. */
  public double sweepFactor = 1.5;
  public int sweepSteps = 10;
  /** Sweep: tries per step before a failed step ends the sweep. */
  public int sweepAttempts = 2;
  public double p99LimitMs = 250;
  /** Idle: how long connections are held before counting them. */
  public double hold = 10;
  public int connectConcurrency = 256;
  /** Bound on opening every socket (and on the children's reports of it), in seconds. */
  public double connectTimeout = 600;
  /**
   * Herald as a local cluster: 0 runs every role in one JVM (as before); N runs one JVM with the Web API, Admin,
   * Channel and presence roles and N Gateway JVMs ({@code gateway --cluster}). The baseline stays one JVM.
   */
  public int gateways = 0;
  /** Load-generator processes: 1 opens the sockets in this process; K > 1 forks K children (idle only). */
  public int generators = 1;
  public List<String> generatorJvm = new ArrayList<>(List.of("-Xms256m", "-Xmx2g"));
  public int sourceAddresses = 4;
  public int httpConnections = 64;
  public String out = "loadtest-results";
  public String jar = "verticles/target/herald.jar";
  public List<String> serverJvm = new ArrayList<>(List.of("-Xms256m", "-Xmx2g"));
  /** Extra environment for Herald (HERALD_GATEWAY_INSTANCES=2 ...), as NAME=VALUE. */
  public Map<String, String> heraldEnv = new java.util.LinkedHashMap<>();
  public int baselineInstances = Runtime.getRuntime().availableProcessors();
  public boolean progress = true;

  public static Scenario preset(String name) {
    Scenario s = new Scenario();
    s.name = name;
    switch (name) {
      // 60 s of warm-up: Herald has far more code for the JIT to compile than the baseline. After 5 s its compiler
      // threads used as much CPU as the event loops through the measured window; after 30 s, 0.15-0.2 cores; after
      // 60 s, 0.05-0.1 (server_jit_cores). What is left shows in server_cpu_us_per_delivery_without_jit.
      case "chat" -> {
        s.shape(5000, 50, 50, 1000);
        s.warmup = 60;
      }
      case "bigroom" -> {
        s.shape(5000, 1, 50, 50);
        s.warmup = 60;
      }
      case "sweep" -> {
        s.shape(5000, 50, 50, 100);
        // Steps of 15 %: coarser steps make the ratio of two servers' highest rates jump (1.5x steps: 1, 0.67, 0.44).
        // Starting low also warms the JIT before the rates that matter.
        s.sweepFactor = 1.15;
        s.sweepSteps = 20;
        s.warmup = 5;
        s.measure = 10;
        s.drain = 5;
      }
      case "idle" -> s.shape(19_000, 190, 0, 0);
      case "storm" -> {
        s.shape(5000, 50, 0, 0);
        s.connectConcurrency = 5000;
      }
      case "smoke" -> {
        s.shape(200, 4, 8, 100);
        s.warmup = 1;
        s.measure = 2;
        s.hold = 1;
        s.runs = 1;
      }
      default -> throw new IllegalArgumentException("unknown scenario " + name
          + " (expected chat, bigroom, sweep, idle, storm, smoke)");
    }
    return s;
  }

  private void shape(int clients, int channels, int publishers, double rate) {
    this.clients = clients;
    this.channels = channels;
    this.publishers = publishers;
    this.rate = rate;
  }

  /** {@code SCENARIO [--option value]...}; see {@link LoadTest} for the options. */
  public static Scenario parse(String[] args) {
    if (args.length == 0 || args[0].startsWith("-")) {
      throw new IllegalArgumentException("the first argument is the scenario");
    }
    Scenario s = preset(args[0]);
    for (int i = 1; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--quiet")) {
        s.progress = false;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String v = args[++i];
      switch (option) {
        case "--targets" -> s.targets = List.of(v.split(","));
        case "--runs" -> s.runs = Integer.parseInt(v);
        case "--clients" -> s.clients = Integer.parseInt(v);
        case "--channels" -> s.channels = Integer.parseInt(v);
        case "--publishers" -> s.publishers = Integer.parseInt(v);
        case "--rate" -> s.rate = Double.parseDouble(v);
        case "--via" -> s.via = LoadGenerator.Via.valueOf(v.toUpperCase(Locale.ROOT));
        case "--warmup" -> s.warmup = Double.parseDouble(v);
        case "--measure" -> s.measure = Double.parseDouble(v);
        case "--drain" -> s.drain = Double.parseDouble(v);
        case "--sweep-factor" -> s.sweepFactor = Double.parseDouble(v);
        case "--sweep-steps" -> s.sweepSteps = Integer.parseInt(v);
        case "--sweep-attempts" -> s.sweepAttempts = Integer.parseInt(v);
        case "--p99-limit-ms" -> s.p99LimitMs = Double.parseDouble(v);
        case "--hold" -> s.hold = Double.parseDouble(v);
        case "--connect-concurrency" -> s.connectConcurrency = Integer.parseInt(v);
        case "--connect-timeout" -> s.connectTimeout = Double.parseDouble(v);
        case "--gateways" -> s.gateways = Integer.parseInt(v);
        case "--generators" -> s.generators = Integer.parseInt(v);
        case "--generator-jvm" -> s.generatorJvm = List.of(v.trim().split("\\s+"));
        case "--source-addresses" -> s.sourceAddresses = Integer.parseInt(v);
        case "--http-connections" -> s.httpConnections = Integer.parseInt(v);
        case "--out" -> s.out = v;
        case "--jar" -> s.jar = v;
        case "--server-jvm" -> s.serverJvm = List.of(v.trim().split("\\s+"));
        case "--herald-env" -> {
          for (String pair : v.split(",")) {
            String[] kv = pair.split("=", 2);
            s.heraldEnv.put(kv[0], kv[1]);
          }
        }
        case "--baseline-instances" -> s.baselineInstances = Integer.parseInt(v);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (s.clients < 1 || s.channels < 1 || s.channels > s.clients) {
      throw new IllegalArgumentException("need 1 <= channels <= clients");
    }
    if (s.generators < 1 || s.gateways < 0) {
      throw new IllegalArgumentException("need --generators >= 1 and --gateways >= 0");
    }
    if (s.generators > 1 && !s.name.equals("idle")) {
      // Latency is timed on one clock in one process; only idle needs no clock shared between sockets.
      throw new IllegalArgumentException("--generators > 1 is for the idle scenario only");
    }
    return s;
  }

  /** The settings that shape the load, for the report. */
  public String describe() {
    return String.format(Locale.ROOT, "%d clients, %d channels of ~%d, %d publishers, %s msg/s over %s, "
            + "warm-up %.0fs, measured %.0fs",
        clients, channels, clients / channels, publishers, fmt(rate), via.name().toLowerCase(Locale.ROOT), warmup,
        measure)
        + (gateways > 0 ? "; Herald as 1 core JVM + " + gateways + " Gateway JVMs" : "")
        + (generators > 1 ? "; " + generators + " load-generator processes" : "");
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
