package dev.herald.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real websocket client speaking RTM: connects through {@code rtm.connect}, records every frame it receives, and
 * lets a test wait (with a deadline, never a fixed sleep) for the frames it expects.
 */
public final class RtmClient implements AutoCloseable {
  /** Held for the socket's lifetime: Vert.x closes an unreferenced client, and its sockets, when it is collected. */
  private final WebSocketClient client;
  private final WebSocket socket;
  private final List<JsonObject> received = new ArrayList<>();
  private final AtomicInteger nextId = new AtomicInteger(1);
  private volatile Short closeCode;
  private volatile String closeReason;
  private volatile long closedAtMillis;

  private RtmClient(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.textMessageHandler(text -> {
      synchronized (received) {
        received.add(new JsonObject(text));
        received.notifyAll();
      }
    });
    socket.closeHandler(v -> {
      closeCode = socket.closeStatusCode();
      closeReason = socket.closeReason();
      closedAtMillis = System.currentTimeMillis();
      synchronized (received) {
        received.notifyAll();
      }
    });
  }

  /** Connects as the user and waits for {@code hello}. */
  public static RtmClient connect(Vertx vertx, ApiClient api, String token, String... rtmConnectParams) {
    JsonObject connect = api.ok("rtm.connect", token, rtmConnectParams);
    RtmClient client = open(vertx, connect.getString("url"));
    client.await(e -> "hello".equals(e.getString("type")));
    return client;
  }

  /** Opens a websocket URL without waiting for anything. */
  public static RtmClient open(Vertx vertx, String url) {
    WebSocketClient ws = vertx.createWebSocketClient();
    // Handlers go on before connecting. Set in a callback of connect(), they could come too late: when the handshake
    // completes before the callback is attached, the callback runs on this thread while the event loop already
    // delivers the first frame (hello) to no handler, and the frame is gone.
    ClientWebSocket socket = ws.webSocket();
    RtmClient client = new RtmClient(ws, socket);
    HeraldFixture.await(socket.connect(new WebSocketConnectOptions().setAbsoluteURI(url)));
    return client;
  }

  public int send(JsonObject frame) {
    int id = nextId.getAndIncrement();
    socket.writeTextMessage(frame.copy().put("id", id).encode());
    return id;
  }

  /** Stops reading from the socket, like a client that hangs or a phone that sleeps. */
  public void pause() {
    socket.pause();
  }

  public void resume() {
    socket.resume();
  }

  public void sendRaw(String text) {
    socket.writeTextMessage(text);
  }

  /** A text frame with arbitrary bytes, so a test can send what no String encodes (invalid UTF-8). */
  public void sendTextBytes(byte[] payload) {
    socket.writeFrame(new io.vertx.core.http.impl.ws.WebSocketFrameImpl(
        io.vertx.core.http.WebSocketFrameType.TEXT, payload, true));
  }

  public void sendBinary(byte[] payload) {
    socket.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(payload));
  }

  /** Waits for the first received frame matching {@code match} and returns it. */
  public JsonObject await(Predicate<JsonObject> match) {
    long deadline = System.currentTimeMillis() + HeraldFixture.TIMEOUT_SECONDS * 1000;
    synchronized (received) {
      while (true) {
        for (JsonObject frame : received) {
          if (match.test(frame)) {
            return frame;
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new AssertionError("no matching frame within the deadline; received " + received);
        }
        try {
          received.wait(Math.min(left, 200));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  /** Waits for the reply to frame {@code id}. */
  public JsonObject awaitReply(int id) {
    return await(frame -> frame.getValue("reply_to") instanceof Number n && n.intValue() == id);
  }

  /** Waits until {@code count} frames match. */
  public List<JsonObject> awaitCount(Predicate<JsonObject> match, int count) {
    long deadline = System.currentTimeMillis() + HeraldFixture.TIMEOUT_SECONDS * 1000;
    synchronized (received) {
      while (true) {
        List<JsonObject> matching = matching(match);
        if (matching.size() >= count) {
          return matching;
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new AssertionError("expected " + count + " matching frames, got " + matching.size());
        }
        try {
          received.wait(Math.min(left, 200));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  /** Frames received so far that match. */
  public List<JsonObject> matching(Predicate<JsonObject> match) {
    synchronized (received) {
      List<JsonObject> out = new ArrayList<>();
      for (JsonObject frame : received) {
        if (match.test(frame)) {
          out.add(frame);
        }
      }
      return out;
    }
  }

  /** Waits for the server to close the socket; returns the close code. */
  public short awaitClose() {
    long deadline = System.currentTimeMillis() + HeraldFixture.TIMEOUT_SECONDS * 1000;
    synchronized (received) {
      while (closeCode == null) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new AssertionError("socket not closed within the deadline");
        }
        try {
          received.wait(Math.min(left, 200));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
      return closeCode;
    }
  }

  /** When the close arrived (wall clock), or 0 while open. */
  public long closedAtMillis() {
    return closedAtMillis;
  }

  public String closeReason() {
    return closeReason;
  }

  public boolean isClosed() {
    return closeCode != null;
  }

  /** Matches {@code message} events (no subtype) in a channel. */
  public static Predicate<JsonObject> messageIn(String channel) {
    return e -> "message".equals(e.getString("type")) && channel.equals(e.getString("channel"))
        && e.getString("subtype") == null;
  }

  @Override
  public void close() {
    socket.close().eventually(client::close);
  }
}
