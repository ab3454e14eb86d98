package dev.herald.loadtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server being measured: where its Web API and websocket are, and the PID whose /proc we read. Usually a child
 * JVM started here (so its CPU and memory are its own); in the smoke test, the test's own process.
 */
public interface ServerUnderTest extends AutoCloseable {
  /** Base of the post endpoint: {@code http://127.0.0.1:P/api/} for Herald, {@code http://127.0.0.1:P/post} for the baseline. */
  String api();

  /** {@code ws://127.0.0.1:P/websocket} or {@code ws://127.0.0.1:P/ws}. */
  String websocket();

  /** The process whose CPU and memory the single-process figures read (with several JVMs: the one with the Web API). */
  long pid();

  /**
   * Every server process, by name ({@code herald}, or {@code core}, {@code gateway1}... for a cluster), for the
   * figures summed over JVMs. One entry for a single JVM.
   */
  default Map<String, Long> processes() {
    return Map.of("server", pid());
  }

  @Override
  void close();

  /** An already-running server (the smoke test's in-process one); closing it is its owner's business. */
  static ServerUnderTest running(String api, String websocket, long pid) {
    return new ServerUnderTest() {
      public String api() { return api; }
      public String websocket() { return websocket; }
      public long pid() { return pid; }
      public void close() { }
    };
  }

  /** A server JVM started by us, stopped by us (by its own PID only), with its output kept in a log file. */
  final class ChildProcess implements ServerUnderTest {
    private static final Pattern API = Pattern.compile("api=(\\S+)");
    private static final Pattern WEBSOCKET = Pattern.compile("websocket=(\\S+)");
    private static final Pattern MEMBER = Pattern.compile("member=(\\S+)");

    private final Process process;
    private final String api;
    private final String websocket;
    private final String member;
    private final Path dataDir;

    private ChildProcess(Process process, String api, String websocket, String member, Path dataDir) {
      this.process = process;
      this.api = api;
      this.websocket = websocket;
      this.member = member;
      this.dataDir = dataDir;
    }

    /** Herald's jar with every role in one JVM, its ports picked by the OS and a fresh data directory. */
    public static ChildProcess herald(Path jar, List<String> jvmOptions, Map<String, String> env, Path log)
        throws IOException {
      Path dataDir = Files.createTempDirectory("herald-loadtest-");
      return start(heraldBuilder(jar, jvmOptions, List.of(), env, dataDir), "herald ready:", log, dataDir, true);
    }

    /**
     * One JVM of a local Herald cluster: {@code roles} with {@code --cluster}, Hazelcast on any free port of
     * 127.0.0.1, in the cluster {@code HERALD_CLUSTER_NAME} of {@code env}. {@code dataDir} (embedded storage) is
     * removed when this process is closed; null for JVMs without storage.
     */
    static ChildProcess heraldClusterMember(Path jar, List<String> jvmOptions, List<String> roles,
        Map<String, String> env, Path dataDir, Path log) throws IOException {
      List<String> args = new ArrayList<>(roles);
      args.add("--cluster");
      ProcessBuilder builder = heraldBuilder(jar, jvmOptions, args, env, dataDir);
      builder.environment().put("HERALD_CLUSTER_PORT", "0");
      builder.environment().put("HERALD_CLUSTER_HOST", "127.0.0.1");
      builder.environment().putAll(env);
      return start(builder, "herald ready:", log, dataDir, false);
    }

    private static ProcessBuilder heraldBuilder(Path jar, List<String> jvmOptions, List<String> args,
        Map<String, String> env, Path dataDir) {
      List<String> command = new ArrayList<>(List.of(javaBin()));
      command.addAll(jvmOptions);
      command.addAll(List.of("-jar", jar.toString()));
      command.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().put("HERALD_WEBAPP_PORT", "0");
      builder.environment().put("HERALD_GATEWAY_PORT", "0");
      if (dataDir != null) {
        builder.environment().put("HERALD_STORAGE_DATA_DIR", dataDir.toString());
      }
      // One load generator registers and posts for thousands of users from one address: Slack's per-token and
      // per-address tiers would measure 429s, not fan-out. (--herald-env can turn them back on.)
      builder.environment().put("HERALD_WEBAPP_RATE_LIMITS_ENABLED", "false");
      builder.environment().putAll(env);
      return builder;
    }

    /** {@link BaselineServer} from the load tester's own classpath. */
    public static ChildProcess baseline(List<String> jvmOptions, int instances, Path log) throws IOException {
      List<String> command = new ArrayList<>(List.of(javaBin()));
      command.addAll(jvmOptions);
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), BaselineServer.class.getName(),
          "--port", "0", "--instances", Integer.toString(instances)));
      return start(new ProcessBuilder(command), "baseline ready:", log, null, true);
    }

    /** {@code complete}: the ready line must name both the Web API and the websocket (one JVM with every role). */
    private static ChildProcess start(ProcessBuilder builder, String readyPrefix, Path log, Path dataDir,
        boolean complete) throws IOException {
      Files.createDirectories(log.toAbsolutePath().getParent());
      builder.redirectErrorStream(true);
      Process process = builder.start();
      CompletableFuture<String> ready = new CompletableFuture<>();
      // One thread copies the child's output to its log for as long as it lives, noting the ready line.
      Thread pump = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
          String line;
          while ((line = in.readLine()) != null) {
            out.println(line);
            if (line.startsWith(readyPrefix)) {
              ready.complete(line);
            }
          }
        } catch (IOException e) {
          ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IOException("server exited before it was ready; see " + log));
      }, "server-log-" + process.pid());
      pump.setDaemon(true);
      pump.start();
      String line;
      try {
        line = ready.get(120, TimeUnit.SECONDS);
      } catch (Exception e) {
        stop(process);
        throw new IOException("server did not start: " + e.getMessage() + " (log: " + log + ")", e);
      }
      Matcher api = API.matcher(line);
      Matcher websocket = WEBSOCKET.matcher(line);
      Matcher member = MEMBER.matcher(line);
      boolean hasApi = api.find();
      boolean hasWebsocket = websocket.find();
      if (complete && (!hasApi || !hasWebsocket)) {
        stop(process);
        throw new IOException("cannot read the addresses in: " + line);
      }
      return new ChildProcess(process, hasApi ? api.group(1) : null, hasWebsocket ? websocket.group(1) : null,
          member.find() ? member.group(1) : null, dataDir);
    }

    /** This JVM's Hazelcast address ({@code host:port}) when it is a cluster member, else null. */
    public String member() {
      return member;
    }

    public String api() {
      return api;
    }

    public String websocket() {
      return websocket;
    }

    public long pid() {
      return process.pid();
    }

    /** SIGTERM to this PID, a bounded wait, then SIGKILL to the same PID; removes its data directory. */
    public void close() {
      stop(process);
      if (dataDir != null) {
        try (var files = Files.walk(dataDir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
          System.err.println("loadtest: could not remove " + dataDir + ": " + e);
        }
      }
    }

    private static void stop(Process process) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }

    static String javaBin() {
      return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
  }
}
