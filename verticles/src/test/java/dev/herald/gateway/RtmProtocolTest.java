package dev.herald.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.HeraldFixture;
import dev.herald.testing.RtmClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The RTM frames Slack's RTM clients rely on, beyond posting and presence: hello, typing, goodbye. */
class RtmProtocolTest {
  private static HeraldFixture herald;
  private static ApiClient api;
  private static final AtomicInteger names = new AtomicInteger();

  @BeforeAll
  static void start() {
    herald = HeraldFixture.start();
    api = herald.api();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static TestUser user(String name) {
    return api.register(name + "-" + names.incrementAndGet());
  }

  private static RtmClient connect(TestUser user) {
    return RtmClient.connect(herald.vertx(), api, user.token());
  }

  @Test
  @DisplayName("hello is the first frame a new socket receives")
  void helloFirst() {
    TestUser a = user("a");
    String room = api.createChannel(a, "hello-" + names.incrementAndGet(), false);
    api.ok("chat.postMessage", a.token(), "channel", room, "text", "before connecting");
    RtmClient socket = RtmClient.open(herald.vertx(), api.ok("rtm.connect", a.token()).getString("url"));
    try (socket) {
      socket.await(e -> "hello".equals(e.getString("type")));
      assertEquals("hello", socket.matching(e -> true).get(0).getString("type"));
    }
  }

  @Test
  @DisplayName("typing reaches the other members as user_typing, never the typer, and only in one's conversations")
  void typing() {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser outsider = user("out");
    String room = api.createChannel(a, "typing-" + names.incrementAndGet(), false);
    api.ok("conversations.join", b.token(), "channel", room);
    try (RtmClient sa = connect(a); RtmClient sb = connect(b); RtmClient so = connect(outsider)) {
      sa.send(new JsonObject().put("type", "typing").put("channel", room));
      JsonObject typing = sb.await(e -> "user_typing".equals(e.getString("type")));
      assertEquals(new JsonObject().put("type", "user_typing").put("channel", room).put("user", a.id()), typing);
      // The typer's next frame is a later message; their own typing would have come before it.
      api.ok("chat.postMessage", b.token(), "channel", room, "text", "after typing");
      sa.await(e -> "after typing".equals(e.getString("text")));
      assertTrue(sa.matching(e -> "user_typing".equals(e.getString("type"))).isEmpty());
      // Not a member: an error reply, and nothing reaches the members.
      int id = so.send(new JsonObject().put("type", "typing").put("channel", room));
      JsonObject refused = so.awaitReply(id);
      assertEquals(false, refused.getBoolean("ok"));
      assertTrue(refused.getJsonObject("error").getInteger("code") > 0);
      api.ok("chat.postMessage", a.token(), "channel", room, "text", "sentinel");
      sb.await(e -> "sentinel".equals(e.getString("text")));
      assertEquals(1, sb.matching(e -> "user_typing".equals(e.getString("type"))).size());
    }
  }

  @Test
  @DisplayName("a Gateway shutting down says goodbye to each socket before closing it")
  void goodbyeBeforeClose() {
    HeraldFixture own = HeraldFixture.start();
    Vertx clientSide = Vertx.vertx();
    try {
      ApiClient ownApi = own.api();
      TestUser a = ownApi.register("leaving-" + names.incrementAndGet());
      RtmClient socket = RtmClient.connect(clientSide, ownApi, a.token());
      HeraldFixture.await(own.herald().stop());
      socket.await(e -> "goodbye".equals(e.getString("type")));
      assertEquals(1001, socket.awaitClose());
      assertFalse(socket.closeReason() == null || socket.closeReason().isEmpty(), "the close carries a reason");
      List<JsonObject> frames = socket.matching(e -> true);
      assertEquals("goodbye", frames.get(frames.size() - 1).getString("type"), "goodbye is the last frame");
    } finally {
      HeraldFixture.await(clientSide.close());
      HeraldFixture.await(own.vertx().close());
    }
  }
}
