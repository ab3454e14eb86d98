package dev.herald.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Herald JVM started by a test: {@code java -cp <test classpath> dev.herald.launcher.HeraldMain ROLE...
 * --cluster}. Its output is kept (and written to a log file) so a test can wait for lines, starting with the
 * {@code herald ready:} line that tells its ports.
 */
final class ClusterProcess implements AutoCloseable {
  static final long START_TIMEOUT_MS = 90_000;

  private final String name;
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private volatile String readyLine;
  /** The process closed its output: it has exited, and every line it wrote is in {@link #lines}. */
  private boolean outputEnded;

  private ClusterProcess(String name, Process process) {
    this.name = name;
    this.process = process;
  }

  /** Starts the JVM; does not wait for it to be ready. Inherited {@code HERALD_*} variables are dropped. */
  static ClusterProcess start(String name, Map<String, String> env, Path log, List<String> args) {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // Small, quick-starting JVMs: a test runs several on two cores.
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
        "-Djava.util.logging.SimpleFormatter.format=%1$tT.%1$tL %4$s %5$s%6$s%n",
        "-cp", System.getProperty("java.class.path"),
        "dev.herald.launcher.HeraldMain"));
    command.addAll(args);
    command.add("--cluster");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(key -> key.startsWith("HERALD_"));
    builder.environment().putAll(env);
    try {
      ClusterProcess started = new ClusterProcess(name, builder.start());
      started.pump(log);
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void pump(Path log) throws IOException {
    Files.createDirectories(log.getParent());
    PrintWriter file = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)); file) {
        String line;
        while ((line = in.readLine()) != null) {
          file.println(line);
          synchronized (lines) {
            lines.add(line);
            if (line.startsWith("herald ready:")) {
              readyLine = line;
            }
            lines.notifyAll();
          }
        }
      } catch (IOException e) {
        // the process is gone
      } finally {
        synchronized (lines) {
          outputEnded = true;
          lines.notifyAll();
        }
      }
    }, "output-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the ready line; fails with the JVM's last output if it exits or takes too long. */
  ClusterProcess awaitReady() {
    awaitLine(Pattern.compile("^herald ready:.*"), START_TIMEOUT_MS);
    return this;
  }

  /** Waits for an output line matching {@code pattern} (searched from the first line) and returns its match. */
  Matcher awaitLine(Pattern pattern, long timeoutMs) {
    return awaitLine(pattern, 0, timeoutMs);
  }

  /** Like {@link #awaitLine(Pattern, long)}, looking only at lines from index {@code from} on. */
  Matcher awaitLine(Pattern pattern, int from, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    synchronized (lines) {
      while (true) {
        for (int i = from; i < lines.size(); i++) {
          Matcher m = pattern.matcher(lines.get(i));
          if (m.find()) {
            return m;
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0 || outputEnded) {
          throw new AssertionError(name + ": no line matching " + pattern + " within " + timeoutMs + " ms"
              + (outputEnded ? " (process exited)" : "") + "; last output:\n" + tail(40));
        }
        try {
          lines.wait(Math.min(left, 200));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  /** How many output lines so far: a later {@link #awaitLine(Pattern, int, long)} can look only at newer ones. */
  int lineCount() {
    synchronized (lines) {
      return lines.size();
    }
  }

  String tail(int count) {
    synchronized (lines) {
      return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
  }

  /** A {@code key=value} field of the ready line. */
  String ready(String key) {
    String line = readyLine;
    if (line == null) {
      throw new IllegalStateException(name + " is not ready");
    }
    Matcher m = Pattern.compile("\\s" + Pattern.quote(key) + "=(\\S+)").matcher(line);
    return m.find() ? m.group(1) : null;
  }

  int apiPort() {
    return portOf(ready("api"));
  }

  int gatewayPort() {
    return portOf(ready("websocket"));
  }

  /** The Hazelcast address, {@code host:port}. */
  String member() {
    return ready("member");
  }

  List<String> channelServers() {
    String servers = ready("channel_servers");
    return servers == null ? List.of() : List.of(servers.split(","));
  }

  private static int portOf(String url) {
    if (url == null) {
      throw new IllegalStateException("no such address in the ready line");
    }
    Matcher m = Pattern.compile(":(\\d+)/").matcher(url);
    if (!m.find()) {
      throw new IllegalStateException("no port in " + url);
    }
    return Integer.parseInt(m.group(1));
  }

  /** {@code kill -9}. */
  void kill() {
    process.destroyForcibly();
    waitFor(10_000);
  }

  /** SIGTERM, then waits for the clean stop (its shutdown hook); fails unless the JVM exits as SIGTERM says. */
  void stop(long timeoutMs) {
    // Through the handle: Process.destroy() would also close our end of its output, losing the drain's log.
    process.toHandle().destroy();
    if (!waitFor(timeoutMs)) {
      throw new AssertionError(name + " did not stop within " + timeoutMs + " ms; last output:\n" + tail(30));
    }
    // 143 = 128 + SIGTERM: the exit status of a JVM stopped by SIGTERM once its shutdown hooks have run.
    if (process.exitValue() != 143 && process.exitValue() != 0) {
      throw new AssertionError(name + " exited with " + process.exitValue() + "; last output:\n" + tail(30));
    }
  }

  private boolean waitFor(long timeoutMs) {
    try {
      return process.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      waitFor(10_000);
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + process.pid() + ")";
  }
}
