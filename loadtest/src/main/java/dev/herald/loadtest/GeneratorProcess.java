package dev.herald.loadtest;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hidden {@code generate} sub-command: one child load-generator process of a run with {@code --generators K}.
 * One process may hold at most 20,000 open files, so past ~19,000 sockets the parent forks several of these, each
 * opening its share of the population's sockets (users {@code --from} to {@code --to} of the file the parent wrote),
 * spread over the source addresses as in one process.
 *
 * <p>It talks to the parent in lines on stdout: {@code open N} every second, then {@code connected N FAILURES
 * SECONDS} once every socket of its share opened or gave up (or the connect deadline passed), then {@code open N}
 * again every second while it holds them. A line {@code close} on stdin, or stdin closing (the parent is gone), makes
 * it close its sockets, print {@code closed}, and exit. Everything else it says goes to stderr (the parent's log of
 * it).
 */
final class GeneratorProcess {
  private GeneratorProcess() {}

  static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      o.put(args[i], args[i + 1]);
    }
    String label = o.get("--label");
    int from = Integer.parseInt(o.get("--from"));
    int to = Integer.parseInt(o.get("--to"));
    Population population = read(Path.of(o.get("--members")), from, to);
    ServerUnderTest server = ServerUnderTest.running(o.get("--api"), o.get("--websocket"),
        Long.parseLong(o.get("--server-pid")));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors()));
    int http = Integer.parseInt(o.get("--http-connections"));
    Target target = o.get("--target").equals("herald")
        ? new HeraldTarget(vertx, server, http)
        : new BaselineTarget(vertx, server, http);
    LoadGenerator generator = new LoadGenerator(vertx, target, population,
        Integer.parseInt(o.get("--source-addresses")), label, false);
    Thread progress = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        say("open " + generator.openSockets());
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "generator-progress");
    progress.setDaemon(true);
    progress.start();
    System.err.println("loadtest: " + label + ": opening " + population.members().size() + " sockets (users " + from
        + " to " + (to - 1) + ")");
    long start = System.nanoTime();
    LoadGenerator.Connected connected;
    try {
      connected = generator.connectAll(Integer.parseInt(o.get("--concurrency")),
          Long.parseLong(o.get("--timeout")));
    } catch (IllegalStateException e) {
      // The deadline passed: report what is open, the rest as failed.
      System.err.println("loadtest: " + label + ": connecting did not finish: " + e.getMessage());
      int open = generator.openSockets();
      connected = new LoadGenerator.Connected(open, population.members().size() - open,
          (System.nanoTime() - start) / 1e9);
    }
    say("connected " + connected.connected() + " " + connected.failures() + " " + connected.seconds());
    System.err.println("loadtest: " + label + ": " + connected);
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null && !line.equals("close")) {
        // Nothing else is said to us.
      }
    } catch (IOException e) {
      // The parent is gone: close as told.
    }
    progress.interrupt();
    generator.close();
    vertx.close().await();
    say("closed");
    System.exit(0);
  }

  private static void say(String line) {
    synchronized (System.out) {
      System.out.println(line);
      System.out.flush();
    }
  }

  /** The parent's population file, keeping members {@code from <= index < to}. */
  static Population read(Path file, int from, int to) throws IOException {
    List<String> lines = Files.readAllLines(file);
    int users = Integer.parseInt(lines.get(0));
    List<String> channelIds = Arrays.asList(lines.get(1).split("\t"));
    List<Population.Member> members = new ArrayList<>(to - from);
    for (int i = 2 + from; i < 2 + to; i++) {
      String[] f = lines.get(i).split("\t", -1);
      members.add(new Population.Member(Integer.parseInt(f[0]), f[1], f[2], Integer.parseInt(f[3])));
    }
    return new Population(members, channelIds, Population.sizes(users, channelIds.size()));
  }

  /** Writes what {@link #read} reads: the user count, the channel ids, then a line per member. */
  static void write(Path file, Population population) throws IOException {
    StringBuilder s = new StringBuilder();
    s.append(population.members().size()).append('\n').append(String.join("\t", population.channelIds()))
        .append('\n');
    for (Population.Member m : population.members()) {
      s.append(m.index()).append('\t').append(m.userId()).append('\t').append(m.token()).append('\t')
          .append(m.channel()).append('\n');
    }
    Files.writeString(file, s);
  }
}
