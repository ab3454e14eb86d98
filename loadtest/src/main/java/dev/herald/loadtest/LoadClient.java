package dev.herald.loadtest;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;

/**
 * One simulated user's websocket. Frames are read as bytes, never parsed as JSON: a message event is recognised by
 * its first bytes and our marker in its text ({@code lt-<id>-<sendNanos>}), so the load generator's own cost per
 * delivery stays small next to the server's.
 */
final class LoadClient {
  private static final byte[] MESSAGE = "{\"type\":\"message\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MARKER = "\"text\":\"lt-".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OK_TRUE = "{\"ok\":true".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OK_FALSE = "{\"ok\":false".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HELLO = "{\"type\":\"hello\"".getBytes(StandardCharsets.US_ASCII);

  final Population.Member member;
  private final LoadGenerator generator;
  /** Message ids this user has received, across reconnects: a second receipt is a duplicate. */
  private final BitSet seen = new BitSet();
  private volatile WebSocket socket;
  private volatile Promise<Void> hello;

  LoadClient(Population.Member member, LoadGenerator generator) {
    this.member = member;
    this.generator = generator;
  }

  /** Takes a freshly opened socket; the returned promise completes on {@code hello}. */
  Promise<Void> attach(WebSocket socket) {
    Promise<Void> hello = Promise.promise();
    this.hello = hello;
    this.socket = socket;
    socket.handler(this::onFrame);
    socket.closeHandler(v -> {
      if (this.socket == socket) {
        this.socket = null;
      }
      generator.onClosed(this);
      hello.tryFail("closed before hello");
    });
    socket.exceptionHandler(err -> { });
    return hello;
  }

  WebSocket socket() {
    return socket;
  }

  boolean isOpen() {
    return socket != null;
  }

  /** True the first time this user receives message {@code id}. */
  boolean firstReceipt(int id) {
    synchronized (seen) {
      if (seen.get(id)) {
        return false;
      }
      seen.set(id);
      return true;
    }
  }

  private void onFrame(Buffer frame) {
    if (startsWith(frame, MESSAGE)) {
      int at = indexOf(frame, MARKER);
      if (at < 0) {
        return;
      }
      int i = at + MARKER.length;
      long id = 0;
      byte b;
      while (i < frame.length() && (b = frame.getByte(i)) != '-') {
        id = id * 10 + (b - '0');
        i++;
      }
      i++;
      long sentNanos = 0;
      while (i < frame.length() && (b = frame.getByte(i)) != '"') {
        sentNanos = sentNanos * 10 + (b - '0');
        i++;
      }
      generator.onDelivery(this, (int) id, sentNanos);
    } else if (startsWith(frame, OK_TRUE)) {
      generator.onAck(true);
    } else if (startsWith(frame, OK_FALSE)) {
      generator.onAck(false);
    } else if (startsWith(frame, HELLO)) {
      Promise<Void> h = hello;
      if (h != null) {
        h.tryComplete();
      }
    }
  }

  private static boolean startsWith(Buffer frame, byte[] prefix) {
    if (frame.length() < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (frame.getByte(i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(Buffer frame, byte[] needle) {
    int last = frame.length() - needle.length;
    outer:
    for (int i = 0; i <= last; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (frame.getByte(i + j) != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
