package dev.herald.loadtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The parent's side of {@code --generators K}: K child JVMs ({@link GeneratorProcess}, the same jar's hidden
 * {@code generate} sub-command), each opening an equal share of the sockets, because one process may hold at most
 * 20,000 open files. Counts come back as lines on the children's stdout; their stderr goes to a log each. Closing
 * tells every child to close its sockets and waits (bounded) for it to exit, then stops any that did not, by its own
 * PID only.
 */
final class ForkedGenerators implements AutoCloseable {
  private final List<Child> children;
  private final Path membersFile;

  private static final class Child {
    final int number;
    final Process process;
    final Writer stdin;
    final int share;
    final CompletableFuture<LoadGenerator.Connected> connected = new CompletableFuture<>();
    volatile int open;

    Child(int number, Process process, int share) {
      this.number = number;
      this.process = process;
      this.share = share;
      this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }
  }

  private ForkedGenerators(List<Child> children, Path membersFile) {
    this.children = children;
    this.membersFile = membersFile;
  }

  /** Writes the population (with its tokens) to a private temporary file and starts the children on it. */
  static ForkedGenerators start(Scenario s, Target target, Population population, String label, Path logs)
      throws IOException {
    Path members = Files.createTempFile("herald-loadtest-members-", ".tsv");
    GeneratorProcess.write(members, population);
    Files.createDirectories(logs);
    int users = population.members().size();
    int k = s.generators;
    List<Child> children = new ArrayList<>();
    try {
      for (int g = 0; g < k; g++) {
        int from = (int) ((long) users * g / k);
        int to = (int) ((long) users * (g + 1) / k);
        List<String> command = new ArrayList<>(List.of(ServerUnderTest.ChildProcess.javaBin()));
        command.addAll(s.generatorJvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LoadTest.class.getName(), "generate",
            "--label", label + " gen" + (g + 1), "--target", target.name(),
            "--api", String.valueOf(target.server().api()), "--websocket", String.valueOf(target.server().websocket()),
            "--server-pid", Long.toString(target.server().pid()), "--members", members.toString(),
            "--from", Integer.toString(from), "--to", Integer.toString(to),
            "--source-addresses", Integer.toString(s.sourceAddresses),
            // --connect-concurrency and --http-connections are totals over the children.
            "--concurrency", Integer.toString(Math.max(1, s.connectConcurrency / k)),
            "--http-connections", Integer.toString(Math.max(4, s.httpConnections / k)),
            "--timeout", Long.toString((long) s.connectTimeout)));
        Path log = logs.resolve(label.replaceAll("[^A-Za-z0-9.-]+", "-") + "-gen" + (g + 1) + ".log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        Child child = new Child(g + 1, process, to - from);
        children.add(child);
        Thread reader = new Thread(() -> read(child), "generator-" + (g + 1) + "-stdout");
        reader.setDaemon(true);
        reader.start();
        System.err.println("loadtest: " + label + ": generator " + (g + 1) + " pid " + process.pid() + " opens users "
            + from + ".." + (to - 1) + " (log " + log + ")");
      }
    } catch (IOException | RuntimeException e) {
      ForkedGenerators started = new ForkedGenerators(children, members);
      started.close();
      throw e;
    }
    return new ForkedGenerators(List.copyOf(children), members);
  }

  private static void read(Child child) {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(child.process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] f = line.split(" ");
        try {
          switch (f[0]) {
            case "open" -> child.open = Integer.parseInt(f[1]);
            case "connected" -> child.connected.complete(new LoadGenerator.Connected(Integer.parseInt(f[1]),
                Integer.parseInt(f[2]), Double.parseDouble(f[3])));
            case "closed" -> child.open = 0;
            default -> System.err.println("loadtest: generator " + child.number + ": " + line);
          }
        } catch (RuntimeException e) {
          System.err.println("loadtest: generator " + child.number + ": " + line);
        }
      }
    } catch (IOException e) {
      // The child exited.
    }
    child.connected.completeExceptionally(new IOException("generator " + child.number
        + " closed its output before reporting its connections"));
  }

  List<Long> pids() {
    return children.stream().map(c -> c.process.pid()).toList();
  }

  /** Sockets open in every child, as each last reported (once a second). */
  int open() {
    return children.stream().mapToInt(c -> c.open).sum();
  }

  String openByChild() {
    return String.join(" ", children.stream().map(c -> Integer.toString(c.open)).toList());
  }

  /**
   * Waits (at most {@code timeoutSeconds} in all) until every child reported its connections. Connects per second
   * are all the sockets over the slowest child's time: the children open theirs side by side.
   */
  LoadGenerator.Connected awaitConnected(double timeoutSeconds) {
    long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
    int ok = 0;
    int failures = 0;
    double seconds = 0;
    for (Child child : children) {
      try {
        LoadGenerator.Connected c = child.connected.get(Math.max(1, deadline - System.nanoTime()),
            TimeUnit.NANOSECONDS);
        ok += c.connected();
        failures += c.failures();
        seconds = Math.max(seconds, c.seconds());
      } catch (Exception e) {
        System.err.println("loadtest: generator " + child.number + " did not report its connections: " + e);
        ok += child.open;
        failures += child.share - child.open;
        seconds = Math.max(seconds, timeoutSeconds);
      }
    }
    return new LoadGenerator.Connected(ok, failures, seconds);
  }

  /** Tells every child to close, waits up to 60 s for each, then stops those left (by PID); removes the file. */
  public void close() {
    for (Child child : children) {
      try {
        child.stdin.write("close\n");
        child.stdin.flush();
        child.stdin.close();
      } catch (IOException e) {
        // Already gone.
      }
    }
    for (Child child : children) {
      try {
        if (!child.process.waitFor(60, TimeUnit.SECONDS)) {
          System.err.println("loadtest: generator " + child.number + " did not exit in 60 s; stopping it");
          child.process.destroy();
          if (!child.process.waitFor(15, TimeUnit.SECONDS)) {
            child.process.destroyForcibly();
            child.process.waitFor(10, TimeUnit.SECONDS);
          }
        }
      } catch (InterruptedException e) {
        child.process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    try {
      Files.deleteIfExists(membersFile);
    } catch (IOException e) {
      System.err.println("loadtest: could not remove " + membersFile + ": " + e);
    }
  }
}
