package dev.herald.cluster;

import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * An RTM client that behaves the way reliability.md asks a client to: it keeps, per channel, the {@code seq} and
 * {@code epoch} of the last event it received; when its socket dies it calls {@code rtm.connect} again (on any
 * Webapp that answers) with {@code resume}; when told {@code channel_history_changed}, when it sees a sequence gap,
 * or when it (re)connects knowing nothing of a channel, it reloads the channel through
 * {@code conversations.history}. It records how each message first reached it.
 *
 * <p>Socket frames are handled on the Vert.x event loop; reconnects and reloads run on the client's own thread.
 */
final class ResumingClient implements AutoCloseable {
  enum Source { LIVE, RESUME, HISTORY }

  /** How a message first reached this client. */
  record Receipt(Source source, long atMillis) {}

  private final Vertx vertx;
  final TestUser user;
  private final Supplier<List<ApiClient>> apis;
  private final Set<String> channels;
  /** Reloads look at history from here on: the test's messages are all younger. */
  private final String oldest;
  private final Thread thread;
  private volatile boolean running = true;
  private final AtomicInteger rotation = new AtomicInteger();
  private final AtomicInteger connectionsOpened = new AtomicInteger();

  // Everything below is guarded by this.
  private final Map<String, Long> lastSeq = new HashMap<>();
  private final Map<String, String> epoch = new HashMap<>();
  private final Map<String, Map<String, Receipt>> received = new HashMap<>();
  /**
   * Socket deliveries per channel and ts, across all of this client's sockets: more than one is a duplicate. Each
   * says which socket brought it and how, so a duplicate tells where it came from.
   */
  private final Map<String, Map<String, List<String>>> socketDeliveries = new HashMap<>();
  private final Set<String> reloadWanted = new LinkedHashSet<>();
  private Connection current;
  private int connections;
  private int gapsSeen;
  private final Map<String, Integer> historyChanged = new HashMap<>();
  private int reloads;
  private final List<String> connectFailures = new ArrayList<>();
  private final List<String> connectedUrls = new ArrayList<>();

  /** One websocket. */
  private final class Connection {
    final WebSocketClient client;
    final boolean resumed;
    final String url;
    final int number = connectionsOpened.incrementAndGet();
    volatile WebSocket socket;
    volatile long helloAtMillis;
    volatile boolean closed;

    Connection(WebSocketClient client, boolean resumed, String url) {
      this.client = client;
      this.resumed = resumed;
      this.url = url;
    }

    void close() {
      closed = true;
      WebSocket s = socket;
      if (s != null) {
        s.close().eventually(client::close);
      } else {
        client.close();
      }
    }
  }

  ResumingClient(Vertx vertx, TestUser user, Supplier<List<ApiClient>> apis, List<String> channels, String oldest) {
    this.vertx = vertx;
    this.user = user;
    this.apis = apis;
    this.channels = new HashSet<>(channels);
    this.oldest = oldest;
    this.thread = new Thread(this::run, "client-" + user.name());
    thread.setDaemon(true);
  }

  /** Connects (bounded) and starts keeping the connection up. */
  ResumingClient start() {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!connect()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(user.name() + " could not connect: " + connectFailures());
      }
      LocalCluster.pause(200);
    }
    thread.start();
    return this;
  }

  private void run() {
    while (running) {
      Connection c;
      String reload;
      synchronized (this) {
        c = current;
        reload = reloadWanted.isEmpty() ? null : reloadWanted.iterator().next();
      }
      if (c == null || c.closed) {
        if (!connect()) {
          LocalCluster.pause(200);
        }
        continue;
      }
      if (reload != null) {
        if (!reload(reload)) {
          LocalCluster.pause(200);
        }
        continue;
      }
      synchronized (this) {
        try {
          wait(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private ApiClient nextApi() {
    List<ApiClient> live = apis.get();
    return live.get(Math.floorMod(rotation.getAndIncrement(), live.size()));
  }

  /** One attempt: rtm.connect with what we last saw, open the socket, wait for hello. */
  private boolean connect() {
    JsonObject resume = new JsonObject();
    List<String> unknown = new ArrayList<>();
    synchronized (this) {
      for (String channel : channels) {
        Long seq = lastSeq.get(channel);
        if (seq != null && epoch.get(channel) != null) {
          resume.put(channel, new JsonObject().put("seq", seq).put("epoch", epoch.get(channel)));
        } else {
          unknown.add(channel);
        }
      }
    }
    boolean resuming = !resume.isEmpty();
    String url;
    try {
      JsonObject answer = resuming
          ? nextApi().call("rtm.connect", user.token(), "resume", resume.encode())
          : nextApi().call("rtm.connect", user.token());
      if (!answer.getBoolean("ok", false)) {
        return failed("rtm.connect: " + answer.getString("error"));
      }
      url = answer.getString("url");
    } catch (AssertionError | RuntimeException e) {
      return failed("rtm.connect: " + e.getMessage());
    }
    Connection c = new Connection(vertx.createWebSocketClient(), resuming, url);
    try {
      c.socket = c.client.connect(new WebSocketConnectOptions().setAbsoluteURI(url))
          .map(socket -> {
            // Handlers go on in the connect callback, on the socket's event loop: no early frame is missed.
            socket.textMessageHandler(text -> onFrame(c, text));
            socket.closeHandler(v -> closed(c));
            socket.exceptionHandler(err -> { });
            return socket;
          })
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      c.close();
      return failed("open " + url + ": " + e);
    }
    long deadline = System.currentTimeMillis() + 20_000;
    while (c.helloAtMillis == 0) {
      if (c.closed || System.currentTimeMillis() > deadline) {
        c.close();
        return failed("no hello from " + url + (c.closed ? " (closed)" : ""));
      }
      LocalCluster.pause(10);
    }
    synchronized (this) {
      current = c;
      connections++;
      connectedUrls.add(url.replaceAll("\\?.*", ""));
      // A client that knows nothing of a channel yet reads its history, as Slack's clients do.
      reloadWanted.addAll(connections > 1 ? unknown : List.of());
      notifyAll();
    }
    return true;
  }

  private synchronized boolean failed(String why) {
    if (connectFailures.size() < 50) {
      connectFailures.add(why);
    }
    return false;
  }

  private void closed(Connection c) {
    c.closed = true;
    synchronized (this) {
      notifyAll();
    }
  }

  private void onFrame(Connection c, String text) {
    JsonObject frame = new JsonObject(text);
    String type = frame.getString("type");
    if ("hello".equals(type)) {
      c.helloAtMillis = System.currentTimeMillis();
      return;
    }
    String channel = frame.getValue("channel") instanceof String s ? s : null;
    if (channel == null || !channels.contains(channel)) {
      return;
    }
    synchronized (this) {
      if ("channel_history_changed".equals(type)) {
        historyChanged.merge(frame.getString("reason"), 1, Integer::sum);
        reloadWanted.add(channel);
        lastSeq.put(channel, frame.getLong("seq"));
        epoch.put(channel, frame.getString("epoch"));
        notifyAll();
        return;
      }
      if (frame.getValue("seq") instanceof Number n) {
        long seq = n.longValue();
        Long known = lastSeq.get(channel);
        if (known != null && known > 0 && seq > known + 1) {
          // Events in between never reached us: reload (reliability.md: "clients see the sequence gap").
          gapsSeen++;
          reloadWanted.add(channel);
          notifyAll();
        }
        if (known == null || seq > known) {
          lastSeq.put(channel, seq);
          epoch.put(channel, frame.getString("epoch"));
        }
      }
      if ("message".equals(type) && frame.getString("subtype") == null && frame.getString("ts") != null) {
        String ts = frame.getString("ts");
        // Committed before this resumed socket's hello: it came by the replay (or was held during it).
        boolean replayed = c.resumed && tsMillis(ts) < c.helloAtMillis;
        socketDeliveries.computeIfAbsent(channel, k -> new HashMap<>()).computeIfAbsent(ts, k -> new ArrayList<>())
            .add("socket " + c.number + (replayed ? " replay" : " live") + " seq " + frame.getValue("seq"));
        received.computeIfAbsent(channel, k -> new HashMap<>())
            .putIfAbsent(ts, new Receipt(replayed ? Source.RESUME : Source.LIVE, System.currentTimeMillis()));
      }
    }
  }

  private static long tsMillis(String ts) {
    return new BigDecimal(ts).movePointRight(3).longValue();
  }

  /** Reads the channel's history (the test's part of it) and records what was missing. */
  private boolean reload(String channel) {
    synchronized (this) {
      reloadWanted.remove(channel);
    }
    List<String> found = new ArrayList<>();
    String cursor = "";
    try {
      do {
        JsonObject page = cursor.isEmpty()
            ? nextApi().call("conversations.history", user.token(), "channel", channel, "oldest", oldest,
                "limit", "999")
            : nextApi().call("conversations.history", user.token(), "channel", channel, "oldest", oldest,
                "limit", "999", "cursor", cursor);
        if (!page.getBoolean("ok", false)) {
          throw new AssertionError("conversations.history: " + page.getString("error"));
        }
        JsonArray messages = page.getJsonArray("messages");
        for (int i = 0; i < messages.size(); i++) {
          JsonObject m = messages.getJsonObject(i);
          if (m.getString("subtype") == null && m.getString("ts") != null) {
            found.add(m.getString("ts"));
          }
        }
        JsonObject meta = page.getJsonObject("response_metadata");
        cursor = meta == null ? "" : meta.getString("next_cursor", "");
      } while (!cursor.isEmpty());
    } catch (AssertionError | RuntimeException e) {
      synchronized (this) {
        reloadWanted.add(channel);
      }
      return failed("reload " + channel + ": " + e.getMessage());
    }
    long now = System.currentTimeMillis();
    synchronized (this) {
      Map<String, Receipt> got = received.computeIfAbsent(channel, k -> new HashMap<>());
      for (String ts : found) {
        got.putIfAbsent(ts, new Receipt(Source.HISTORY, now));
      }
      reloads++;
    }
    return true;
  }

  /** How (and whether) the message reached this client; null if it did not. */
  synchronized Receipt receipt(String channel, String ts) {
    Map<String, Receipt> got = received.get(channel);
    return got == null ? null : got.get(ts);
  }

  /** Connected, with no reload pending. */
  synchronized boolean settled() {
    return current != null && !current.closed && reloadWanted.isEmpty();
  }

  /** Messages that reached this client's sockets more than once. */
  synchronized List<String> duplicates() {
    List<String> out = new ArrayList<>();
    socketDeliveries.forEach((channel, deliveries) -> deliveries.forEach((ts, sockets) -> {
      if (sockets.size() > 1) {
        out.add(channel + "@" + ts + " x" + sockets.size() + " " + sockets);
      }
    }));
    return out;
  }

  synchronized int connections() {
    return connections;
  }

  synchronized int gapsSeen() {
    return gapsSeen;
  }

  synchronized Map<String, Integer> historyChanged() {
    return new HashMap<>(historyChanged);
  }

  synchronized int reloads() {
    return reloads;
  }

  synchronized List<String> connectFailures() {
    return List.copyOf(connectFailures);
  }

  /** Every socket URL this client got hello on, without tickets, oldest first. */
  synchronized List<String> connectedUrls() {
    return List.copyOf(connectedUrls);
  }

  /** The URL of the socket currently open, or null. */
  synchronized String connectedTo() {
    return current != null && !current.closed ? current.url : null;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Connection c;
    synchronized (this) {
      c = current;
    }
    if (c != null) {
      c.close();
    }
  }
}
