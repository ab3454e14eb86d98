package dev.herald.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.HeraldFixture;
import dev.herald.testing.RtmClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Server-side keep-alive with real sockets: silent peers are closed, live ones stay. */
class KeepAliveTest {
  private static HeraldFixture herald;
  private static ApiClient api;
  private static int names;

  @BeforeAll
  static void start() {
    herald = HeraldFixture.start(HeraldFixture.newDataDir(), new JsonObject()
        .put("gateway", new JsonObject().put("ping_interval_ms", 200).put("idle_timeout_ms", 2000)
            ));
    api = herald.api();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static TestUser user(String name) {
    return api.register(name + "-" + (++names));
  }

  /** A websocket peer that completes the handshake and then never answers anything, like a vanished phone. */
  private static NetSocket deadPeer(String url, AtomicBoolean closed) {
    URI uri = URI.create(url);
    NetSocket socket = HeraldFixture.await(herald.vertx().createNetClient().connect(uri.getPort(), uri.getHost()));
    socket.closeHandler(v -> closed.set(true));
    socket.handler(bytes -> { });
    socket.write(Buffer.buffer("GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\n"
        + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
    return socket;
  }

  @Test
  @DisplayName("a peer that never answers pings is closed after the idle timeout; a live one stays")
  void deadPeersAreReaped() {
    TestUser ghost = user("ghost");
    TestUser alive = user("alive");
    String room = api.createChannel(alive, "keepalive-" + names, false);
    AtomicBoolean closed = new AtomicBoolean();
    deadPeer(api.ok("rtm.connect", ghost.token()).getString("url"), closed);
    try (RtmClient live = RtmClient.connect(herald.vertx(), api, alive.token())) {
      long deadline = System.currentTimeMillis() + HeraldFixture.TIMEOUT_SECONDS * 1000;
      while (!closed.get()) {
        assertTrue(System.currentTimeMillis() < deadline, "the silent peer was never closed");
        Thread.onSpinWait();
      }
      // Several ping intervals and more than one idle timeout have passed; the live client answered its pings.
      api.ok("chat.postMessage", alive.token(), "channel", room, "text", "still here");
      live.await(e -> "still here".equals(e.getString("text")));
      assertFalse(live.isClosed());
    }
  }

}
