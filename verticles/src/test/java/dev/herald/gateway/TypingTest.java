package dev.herald.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.shared.Addresses;
import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.HeraldFixture;
import dev.herald.testing.RtmClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Typing: throttled by the Gateway, delivered to the other members only, never stored, never through Webapp or Admin. */
class TypingTest {
  private static HeraldFixture herald;
  private static ApiClient api;
  private static final AtomicInteger names = new AtomicInteger();
  /** Addresses of bus messages sent while {@link #recording}. */
  private static final List<String> sent = new CopyOnWriteArrayList<>();
  private static final AtomicBoolean recording = new AtomicBoolean();

  @BeforeAll
  static void start() {
    // A long interval, so that a slow machine cannot let a second typing through by taking 3 s between frames.
    herald = HeraldFixture.start(HeraldFixture.newDataDir(),
        new JsonObject().put("gateway", new JsonObject().put("typing_interval_ms", 60_000)));
    api = herald.api();
    herald.vertx().eventBus().addOutboundInterceptor(ctx -> {
      if (recording.get()) {
        sent.add(ctx.message().address());
      }
      ctx.next();
    });
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static TestUser user(String name) {
    return api.register(name + "-y" + names.incrementAndGet());
  }

  private static RtmClient connect(TestUser user) {
    return RtmClient.connect(herald.vertx(), api, user.token());
  }

  private static final Predicate<JsonObject> TYPING = e -> "user_typing".equals(e.getString("type"));

  @Test
  @DisplayName("A burst of typing frames reaches the other members as one user_typing and is never stored")
  void throttledAndTransient() {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser c = user("c");
    String room = api.createChannel(a, "typing-" + names.incrementAndGet(), false);
    api.ok("conversations.join", b.token(), "channel", room);
    api.ok("conversations.join", c.token(), "channel", room);
    try (RtmClient sa = connect(a); RtmClient sb = connect(b); RtmClient sc = connect(c)) {
      for (int i = 0; i < 5; i++) {
        sa.send(new JsonObject().put("type", "typing").put("channel", room));
      }
      JsonObject typing = sb.await(TYPING);
      assertEquals(new JsonObject().put("type", "user_typing").put("channel", room).put("user", a.id()), typing,
          "no seq, no epoch: transient");
      // Another user's typing is not held back by a's; it also marks the end of a's burst for everyone.
      sc.send(new JsonObject().put("type", "typing").put("channel", room));
      Predicate<JsonObject> byC = TYPING.and(e -> c.id().equals(e.getString("user")));
      sb.await(byC);
      sa.await(byC);
      api.ok("chat.postMessage", b.token(), "channel", room, "text", "sentinel");
      for (RtmClient s : List.of(sa, sb, sc)) {
        s.await(e -> "sentinel".equals(e.getString("text")));
      }
      Predicate<JsonObject> byA = TYPING.and(e -> a.id().equals(e.getString("user")));
      assertEquals(1, sb.matching(byA).size(), "one user_typing for the burst");
      assertEquals(1, sc.matching(byA).size());
      assertEquals(List.of(), sa.matching(byA), "never to the typer");
      JsonObject history = api.ok("conversations.history", a.token(), "channel", room);
      history.getJsonArray("messages").forEach(m ->
          assertEquals("message", ((JsonObject) m).getString("type"), "nothing but messages is stored"));
      // The sentinel, and before it c's and b's channel_join from joining: no trace of the typing.
      List<String> stored = history.getJsonArray("messages").stream()
          .map(m -> ((JsonObject) m).getString("subtype", "-") + " " + ((JsonObject) m).getString("user"))
          .toList();
      assertEquals(List.of("- " + b.id(), "channel_join " + c.id(), "channel_join " + b.id()), stored);
    }
  }

  @Test
  @DisplayName("A non-member's typing gets an error reply and reaches nobody")
  void nonMember() {
    TestUser a = user("a");
    TestUser o = user("o");
    String room = api.createChannel(a, "typing-" + names.incrementAndGet(), false);
    try (RtmClient sa = connect(a); RtmClient so = connect(o)) {
      int id = so.send(new JsonObject().put("type", "typing").put("channel", room));
      JsonObject refused = so.awaitReply(id);
      assertEquals(false, refused.getBoolean("ok"));
      assertTrue(refused.getJsonObject("error").getInteger("code") > 0);
      api.ok("chat.postMessage", a.token(), "channel", room, "text", "sentinel");
      sa.await(e -> "sentinel".equals(e.getString("text")));
      assertEquals(List.of(), sa.matching(TYPING));
    }
  }

  @Test
  @DisplayName("Typing goes from the Gateway straight to the Channel server: no bus message to Admin or Webapp")
  void skipsWebappAndAdmin() {
    TestUser a = user("a");
    TestUser b = user("b");
    String room = api.createChannel(a, "typing-" + names.incrementAndGet(), false);
    api.ok("conversations.join", b.token(), "channel", room);
    try (RtmClient sa = connect(a); RtmClient sb = connect(b)) {
      sent.clear();
      recording.set(true);
      sa.send(new JsonObject().put("type", "typing").put("channel", room));
      sb.await(TYPING);
      recording.set(false);
      List<String> during = List.copyOf(sent);
      String probe = Addresses.channelEvents("X");
      String prefix = probe.substring(0, probe.indexOf('X'));
      String suffix = probe.substring(probe.indexOf('X') + 1);
      assertTrue(during.stream().anyMatch(address -> address.startsWith(prefix) && address.endsWith(suffix)),
          "typing went to a Channel server: " + during);
      assertFalse(during.contains(Addresses.ADMIN_ROUTE), "nothing to Admin: " + during);
      assertFalse(during.contains(Addresses.WEBAPP_RTM_POST) || during.contains(Addresses.WEBAPP_SESSION),
          "nothing to the Webapp: " + during);
      // The recorder does see the Admin hop when there is one: a posted message takes it.
      sent.clear();
      recording.set(true);
      api.ok("chat.postMessage", a.token(), "channel", room, "text", "via admin");
      sb.await(e -> "via admin".equals(e.getString("text")));
      recording.set(false);
      assertTrue(sent.contains(Addresses.ADMIN_ROUTE), "a message goes through Admin: " + sent);
    }
  }
}
