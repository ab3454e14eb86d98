package dev.herald.loadtest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Drives one target: opens a websocket per member, posts at a paced rate, and counts what arrives. Latency is taken
 * on one clock: the sender writes {@link System#nanoTime()} into the text and the receiving socket, in this same
 * process, subtracts it from its own reading. Every wait here is bounded by a deadline.
 */
public final class LoadGenerator implements AutoCloseable {
  /** Latencies are recorded in microseconds, up to an hour, to three significant digits. */
  static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

  public enum Via { HTTP, RTM }

  /** One second of the run, as the progress line shows it and the HTML report charts it. */
  public record Tick(double t, String phase, int connected, double sentPerS, double deliveriesPerS, double p50Ms,
      double p99Ms, double maxMs, double serverCores, double serverRssMb) {}

  private final Vertx vertx;
  private final Target target;
  private final Population population;
  private final List<LoadClient> clients = new ArrayList<>();
  private final List<WebSocketClient> socketClients = new ArrayList<>();
  private final MessageBook book = new MessageBook();
  private final String label;
  private final boolean printProgress;

  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong attempted = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final LongAdder deliveries = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder foreign = new LongAdder();
  private final Recorder timelineLatency = new Recorder(MAX_MICROS, 3);
  private final Recorder measuredLatency = new Recorder(MAX_MICROS, 3);
  private volatile int measureFrom = Integer.MAX_VALUE;
  private volatile int measureTo = Integer.MAX_VALUE;

  private final List<Tick> ticks = new ArrayList<>();
  private final ScheduledExecutorService monitor;
  private final long startNanos = System.nanoTime();
  private volatile String phase = "setup";
  private final Pacer pacer;

  /**
   * @param sourceAddresses sockets are spread over 127.0.0.1..127.0.0.N so no one source address runs out of ports
   */
  public LoadGenerator(Vertx vertx, Target target, Population population, int sourceAddresses, String label,
      boolean printProgress) {
    this.vertx = vertx;
    this.target = target;
    this.population = population;
    this.label = label;
    this.printProgress = printProgress;
    for (Population.Member member : population.members()) {
      clients.add(new LoadClient(member, this));
    }
    for (int i = 0; i < sourceAddresses; i++) {
      socketClients.add(vertx.createWebSocketClient(new WebSocketClientOptions()
          .setLocalAddress("127.0.0." + (i + 1))
          .setMaxConnections(Integer.MAX_VALUE)
          .setConnectTimeout(30_000)));
    }
    this.pacer = new Pacer(vertx.getOrCreateContext());
    this.monitor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "loadtest-monitor");
      t.setDaemon(true);
      return t;
    });
    monitor.scheduleAtFixedRate(new Monitor(), 1, 1, TimeUnit.SECONDS);
  }

  public Population population() {
    return population;
  }

  public void phase(String phase) {
    this.phase = phase;
  }

  /** Receipts of a message a socket had already received, over the whole run. */
  public long duplicates() {
    return duplicates.sum();
  }

  public int openSockets() {
    return open.get();
  }

  public synchronized List<Tick> ticks() {
    return List.copyOf(ticks);
  }

  // ---- connections ----

  /** Outcome of opening sockets: how many reached {@code hello}, how many gave up, and how fast. */
  public record Connected(int connected, int failures, double seconds) {
    public double perSecond() {
      return seconds <= 0 ? 0 : connected / seconds;
    }
  }

  /** Opens every closed socket (at most {@code concurrency} opening at once), each until {@code hello}. */
  public Connected connectAll(int concurrency, long timeoutSeconds) {
    long start = System.nanoTime();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    List<LoadClient> closed = clients.stream().filter(c -> !c.isOpen()).toList();
    Future<Void> all = Bounded.run(closed.size(), concurrency, i -> connect(closed.get(i), 1)
        .onSuccess(v -> ok.incrementAndGet())
        .otherwise(err -> {
          if (failures.incrementAndGet() <= 3) {
            System.err.println("loadtest: " + label + ": a socket failed to open: " + err);
          }
          return null;
        }));
    await(all, timeoutSeconds);
    return new Connected(ok.get(), failures.get(), (System.nanoTime() - start) / 1e9);
  }

  private Future<Void> connect(LoadClient client, int attempt) {
    WebSocketClient socketClient = socketClients.get(client.member.index() % socketClients.size());
    return target.socketUrl(population, client.member)
        .compose(url -> socketClient.connect(new WebSocketConnectOptions().setAbsoluteURI(url)))
        .compose(socket -> {
          open.incrementAndGet();
          return client.attach(socket).future().timeout(30, TimeUnit.SECONDS);
        })
        .recover(err -> {
          if (client.socket() != null) {
            client.socket().close();
          }
          return attempt < 3 ? connect(client, attempt + 1) : Future.failedFuture(err);
        });
  }

  void onClosed(LoadClient client) {
    open.decrementAndGet();
  }

  /** Closes every socket from the client side and waits until all are closed. */
  public double closeAll(long timeoutSeconds) {
    long start = System.nanoTime();
    for (LoadClient client : clients) {
      var socket = client.socket();
      if (socket != null) {
        socket.close();
      }
    }
    waitUntil(() -> open.get() == 0, timeoutSeconds);
    return (System.nanoTime() - start) / 1e9;
  }

  // ---- receiving ----

  void onDelivery(LoadClient client, int id, long sentNanos) {
    long micros = Math.min(MAX_MICROS, Math.max(0, (System.nanoTime() - sentNanos) / 1000));
    if (!client.firstReceipt(id)) {
      duplicates.increment();
      return;
    }
    if (!book.delivered(id)) {
      foreign.increment();
      return;
    }
    deliveries.increment();
    timelineLatency.recordValue(micros);
    if (id >= measureFrom && id < measureTo) {
      measuredLatency.recordValue(micros);
    }
  }

  void onAck(boolean ok) {
    (ok ? acked : failed).incrementAndGet();
  }

  // ---- posting ----

  /** Everything measured over one window of posting at a steady rate. */
  public record Window(double rate, double measureSeconds, MessageBook.Tally tally, long failedPosts, long skipped,
      long duplicates, long foreign, long deliveriesInWindow, Histogram latency, ProcStats.Sample serverStart,
      ProcStats.Sample serverEnd, ProcStats.Sample selfStart, ProcStats.Sample selfEnd,
      Map<ProcStats.ThreadKind, Long> serverThreadsStart, Map<ProcStats.ThreadKind, Long> serverThreadsEnd) {

    public double sentDeliveriesPerSecond() {
      return tally.expected() / measureSeconds;
    }

    public double receivedDeliveriesPerSecond() {
      return tally.received() / measureSeconds;
    }

    public double sentMessagesPerSecond() {
      return tally.messages() / measureSeconds;
    }

    /** Server CPU over the window divided by the deliveries made in it. */
    public double serverMicrosPerDelivery() {
      return deliveriesInWindow == 0 ? 0 : (double) serverEnd.cpuSince(serverStart) / deliveriesInWindow;
    }

    /** The server's CPU over the window by kind of thread, in cores (1.0 = one core busy all the window). */
    public Map<ProcStats.ThreadKind, Double> serverCoresByKind() {
      double wallMicros = (serverEnd.atNanos() - serverStart.atNanos()) / 1000.0;
      Map<ProcStats.ThreadKind, Double> cores = new java.util.EnumMap<>(ProcStats.ThreadKind.class);
      ProcStats.cpuByKindSince(serverThreadsStart, serverThreadsEnd, serverEnd.cpuSince(serverStart))
          .forEach((kind, micros) -> cores.put(kind, wallMicros <= 0 ? 0 : micros / wallMicros));
      return cores;
    }

    /**
     * Server CPU per delivery leaving out the JIT compiler's threads: what the server costs once its code is
     * compiled. The JIT's share says how far from that steady state the window was.
     */
    public double serverMicrosPerDeliveryWithoutJit() {
      if (deliveriesInWindow == 0) {
        return 0;
      }
      long jit = ProcStats.cpuByKindSince(serverThreadsStart, serverThreadsEnd, serverEnd.cpuSince(serverStart))
          .get(ProcStats.ThreadKind.JIT);
      return (double) (serverEnd.cpuSince(serverStart) - jit) / deliveriesInWindow;
    }

    public double ms(double percentile) {
      return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Sustained: nothing lost, failed, duplicated or leaked; the rate held; p99 within the limit. */
    public boolean sustained(double p99LimitMs) {
      return tally.lost() == 0 && tally.extra() == 0 && failedPosts == 0 && duplicates == 0 && foreign == 0
          && tally.messages() > 0 && skipped <= tally.messages() / 100
          && sentMessagesPerSecond() >= 0.95 * rate && ms(99) <= p99LimitMs;
    }
  }

  /**
   * Posts at {@code rate} messages/s spread round-robin over the first {@code publishers} members, for a warm-up
   * and a measured window, then stops and waits (at most {@code drainSeconds}) for the window's messages to arrive.
   */
  public Window window(double rate, Via via, int publishers, double warmupSeconds, double measureSeconds,
      double drainSeconds) {
    String tag = phase;
    phase(tag + " warm-up");
    pacer.start(rate, via, Math.min(publishers, clients.size()));
    sleep(warmupSeconds);
    measuredLatency.reset();
    long failedBefore = failed.get();
    long skippedBefore = skipped.get();
    long duplicatesBefore = duplicates.sum();
    long foreignBefore = foreign.sum();
    long deliveriesBefore = deliveries.sum();
    Map<ProcStats.ThreadKind, Long> threadsStart = ProcStats.cpuByKind(target.server().processes().values());
    ProcStats.Sample serverStart = ProcStats.sum(target.server().processes().values());
    ProcStats.Sample selfStart = ProcStats.sample(ProcessHandle.current().pid());
    measureFrom = book.issued();
    phase(tag + " measure");
    sleep(measureSeconds);
    int to = book.issued();
    measureTo = to;
    ProcStats.Sample serverEnd = ProcStats.sum(target.server().processes().values());
    Map<ProcStats.ThreadKind, Long> threadsEnd = ProcStats.cpuByKind(target.server().processes().values());
    ProcStats.Sample selfEnd = ProcStats.sample(ProcessHandle.current().pid());
    long deliveriesInWindow = deliveries.sum() - deliveriesBefore;
    pacer.stop();
    phase(tag + " drain");
    int from = measureFrom;
    waitUntil(() -> attempted.get() == acked.get() + failed.get() && book.tally(from, to).lost() == 0, drainSeconds);
    MessageBook.Tally tally = book.tally(from, to);
    Histogram latency = measuredLatency.getIntervalHistogram();
    measureFrom = Integer.MAX_VALUE;
    measureTo = Integer.MAX_VALUE;
    phase(tag);
    return new Window(rate, measureSeconds, tally, failed.get() - failedBefore, skipped.get() - skippedBefore,
        duplicates.sum() - duplicatesBefore, foreign.sum() - foreignBefore, deliveriesInWindow, latency,
        serverStart, serverEnd, selfStart, selfEnd, threadsStart, threadsEnd);
  }

  /** One message per channel, all at once; the tally once every socket has it or the deadline passed. */
  public MessageBook.Tally probe(long timeoutSeconds) {
    int from = book.issued();
    int channels = population.channelIds().size();
    for (int c = 0; c < channels; c++) {
      Population.Member member = population.members().get(c);
      send(member, Via.HTTP);
    }
    int to = book.issued();
    waitUntil(() -> book.tally(from, to).lost() == 0, timeoutSeconds);
    return book.tally(from, to);
  }

  private void send(Population.Member member, Via via) {
    int id = book.issue(population.recipients(member));
    String text = "lt-" + id + "-" + System.nanoTime();
    attempted.incrementAndGet();
    if (via == Via.HTTP) {
      target.post(population, member, text).onComplete(ar -> onAck(ar.succeeded() && ar.result()));
      return;
    }
    var socket = clients.get(member.index()).socket();
    if (socket == null) {
      onAck(false);
      return;
    }
    socket.writeTextMessage("{\"type\":\"message\",\"id\":" + id + ",\"channel\":\""
        + population.channelId(member) + "\",\"text\":\"" + text + "\"}");
  }

  /**
   * Open-loop pacing on one event loop: message k is due at start + k/rate whatever the server's replies do. More
   * than a second behind, or more than {@link #MAX_IN_FLIGHT} posts unanswered, and messages are skipped (and
   * counted): the rate was not sustained.
   */
  private final class Pacer {
    private static final int MAX_IN_FLIGHT = 5_000;
    private final Context context;
    private long timer = -1;
    private long start;
    private long scheduled;
    private int cursor;

    Pacer(Context context) {
      this.context = context;
    }

    void start(double rate, Via via, int publishers) {
      context.runOnContext(v -> {
        start = System.nanoTime();
        scheduled = 0;
        timer = vertx.setPeriodic(1, id -> tick(rate, via, publishers));
      });
    }

    void stop() {
      Future<Void> stopped = Future.future(p -> context.runOnContext(v -> {
        vertx.cancelTimer(timer);
        timer = -1;
        p.complete();
      }));
      await(stopped, 10);
    }

    private void tick(double rate, Via via, int publishers) {
      long due = (long) ((System.nanoTime() - start) * rate / 1e9);
      long behind = due - scheduled;
      if (behind > rate) {
        skipped.addAndGet(behind - (long) rate);
        scheduled = due - (long) rate;
      }
      while (scheduled < due) {
        scheduled++;
        if (attempted.get() - acked.get() - failed.get() >= MAX_IN_FLIGHT) {
          skipped.incrementAndGet();
          continue;
        }
        send(population.members().get(cursor), via);
        cursor = (cursor + 1) % publishers;
      }
    }
  }

  // ---- progress ----

  private final class Monitor implements Runnable {
    private long lastAttempted;
    private long lastDeliveries;
    private ProcStats.Sample lastServer = ProcStats.sum(target.server().processes().values());
    private Histogram interval;

    public void run() {
      try {
        long a = attempted.get();
        long d = deliveries.sum();
        ProcStats.Sample server = ProcStats.sum(target.server().processes().values());
        interval = timelineLatency.getIntervalHistogram(interval);
        double seconds = (server.atNanos() - lastServer.atNanos()) / 1e9;
        Tick tick = new Tick((System.nanoTime() - startNanos) / 1e9, phase, open.get(), (a - lastAttempted) / seconds,
            (d - lastDeliveries) / seconds, pct(interval, 50), pct(interval, 99), pct(interval, 100),
            server.coresSince(lastServer), server.rssBytes() / 1048576.0);
        lastAttempted = a;
        lastDeliveries = d;
        lastServer = server;
        synchronized (LoadGenerator.this) {
          ticks.add(tick);
        }
        if (printProgress) {
          System.err.printf(Locale.ROOT, "[%s %s %3.0fs] sockets %d/%d | sent %.0f msg/s | delivered %.0f/s"
                  + " | p50 %.1f p99 %.1f max %.1f ms | in flight %d failed %d skipped %d dup %d"
                  + " | server %.2f cores %.0f MB%n",
              label, tick.phase(), tick.t(), tick.connected(), clients.size(), tick.sentPerS(), tick.deliveriesPerS(),
              tick.p50Ms(), tick.p99Ms(), tick.maxMs(), a - acked.get() - failed.get(), failed.get(), skipped.get(),
              duplicates.sum(), tick.serverCores(), tick.serverRssMb());
        }
      } catch (RuntimeException e) {
        System.err.println("loadtest: monitor: " + e);
      }
    }

    private static double pct(Histogram h, double p) {
      return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p) / 1000.0;
    }
  }

  // ---- plumbing ----

  static <T> T await(Future<T> future, long timeoutSeconds) {
    try {
      return future.await(timeoutSeconds, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Polls {@code condition} every 10 ms until it holds or the deadline passes; true if it held. */
  static boolean waitUntil(BooleanSupplier condition, double timeoutSeconds) {
    long deadline = System.nanoTime() + (long) (timeoutSeconds * 1e9);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      sleep(0.01);
    }
    return true;
  }

  /** The length of a warm-up or measured window: the tool's own pacing, not a wait for a result. */
  static void sleep(double seconds) {
    try {
      Thread.sleep((long) (seconds * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    monitor.shutdownNow();
    pacer.stop();
    closeAll(30);
    for (WebSocketClient client : socketClients) {
      client.close();
    }
  }
}
