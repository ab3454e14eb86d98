package dev.herald.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.Exchange;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.HeraldFixture;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Web API over HTTP as Slack's SDKs expect it, and its rate limits. */
class WebApiBehaviourTest {
  private static HeraldFixture herald;
  private static ApiClient api;
  private static final AtomicInteger names = new AtomicInteger();

  @BeforeAll
  static void start() {
    // Rate limits on, Slack's tiers but a 2 s window with tier 1 = 1 (min_burst 1) and chat.postMessage at 5 per
    // channel: easy to exceed, quick to refill.
    herald = HeraldFixture.start(HeraldFixture.newDataDir(), new JsonObject().put("webapp", new JsonObject()
        .put("rate_limits", new JsonObject().put("enabled", true).put("window_seconds", 2).put("min_burst", 1)
            .put("special", 5))));
    api = herald.api();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static TestUser user(String name) {
    return api.register(name + "-" + names.incrementAndGet());
  }

  private static Exchange exchange(HttpMethod method, String uri, Map<String, String> headers, String body) {
    return api.exchange(method, uri, headers, body);
  }

  @Test
  @DisplayName("GET query, POST form and POST JSON reach the same method with the same parameters")
  void threeWaysIn() {
    TestUser a = user("a");
    String room = api.createChannel(a, "ways-" + names.incrementAndGet(), false);
    JsonObject viaGet = api.get("conversations.info", a.token(), Map.of("channel", room));
    JsonObject viaForm = api.call("conversations.info", a.token(), "channel", room);
    JsonObject viaJson = api.callJson("conversations.info", a.token(), new JsonObject().put("channel", room));
    assertEquals(viaForm, viaGet);
    assertEquals(viaForm, viaJson);
    assertTrue(viaForm.getBoolean("ok"));
    // Blocks as a native array in JSON, as a JSON string in a form: the same message either way.
    String blocks = "[{\"type\":\"divider\"}]";
    JsonObject jsonPost = api.callJson("chat.postMessage", a.token(), new JsonObject().put("channel", room)
        .put("text", "j").put("blocks", new io.vertx.core.json.JsonArray(blocks)));
    JsonObject formPost = api.call("chat.postMessage", a.token(), "channel", room, "text", "f", "blocks", blocks);
    assertEquals(jsonPost.getJsonObject("message").getJsonArray("blocks"),
        formPost.getJsonObject("message").getJsonArray("blocks"));
  }

  @Test
  @DisplayName("the token is taken from Authorization: Bearer or from a token parameter")
  void tokenEitherWay() {
    TestUser a = user("a");
    Exchange bearer = exchange(HttpMethod.POST, "/api/auth.test", Map.of("authorization", "Bearer " + a.token(),
        "content-type", "application/x-www-form-urlencoded"), "");
    Exchange param = exchange(HttpMethod.POST, "/api/auth.test",
        Map.of("content-type", "application/x-www-form-urlencoded"), "token=" + a.token());
    Exchange query = exchange(HttpMethod.GET, "/api/auth.test?token=" + a.token(), Map.of(), null);
    for (Exchange e : List.of(bearer, param, query)) {
      assertEquals(200, e.status());
      assertEquals(a.id(), e.json().getString("user_id"), e.body());
    }
  }

  @Test
  @DisplayName("every error is HTTP 200 with ok false and a Slack code, never a redirect or another status")
  void errorsAreTwoHundred() {
    TestUser a = user("a");
    Map<String, String> form = Map.of("content-type", "application/x-www-form-urlencoded");
    Map<String, Exchange> cases = new LinkedHashMap<>();
    cases.put("unknown_method", exchange(HttpMethod.POST, "/api/chat.teleport", form, ""));
    cases.put("not_authed", exchange(HttpMethod.POST, "/api/chat.postMessage", form, "channel=C1&text=x"));
    cases.put("invalid_auth", exchange(HttpMethod.POST, "/api/auth.test",
        Map.of("authorization", "Bearer xoxp-wrong"), null));
    cases.put("invalid_json", exchange(HttpMethod.POST, "/api/auth.test",
        Map.of("content-type", "application/json", "authorization", "Bearer " + a.token()), "{oops"));
    cases.put("channel_not_found", exchange(HttpMethod.GET, "/api/conversations.info?channel=C0NOPE",
        Map.of("authorization", "Bearer " + a.token()), null));
    cases.put("request_too_large", exchange(HttpMethod.POST, "/api/chat.postMessage", Map.of(
        "content-type", "application/x-www-form-urlencoded", "authorization", "Bearer " + a.token()),
        "text=" + "x".repeat(1_100_000)));
    cases.forEach((code, e) -> {
      assertEquals(200, e.status(), code + ": " + e.body());
      assertFalse(e.json().getBoolean("ok"), code);
      assertEquals(code, e.json().getString("error"));
      assertTrue(e.headers().get("content-type").startsWith("application/json"), code);
      assertFalse(e.headers().containsKey("location"), code);
    });
  }

  @Test
  @DisplayName("rate-limited calls get HTTP 429 with an integer Retry-After, per token and method, and pass again after it")
  void rateLimits() throws InterruptedException {
    TestUser a = user("a");
    TestUser b = user("b");
    Map<String, String> auth = Map.of("authorization", "Bearer " + a.token(),
        "content-type", "application/x-www-form-urlencoded");
    // rtm.connect is tier 1: one call per (test) window.
    assertEquals(200, exchange(HttpMethod.POST, "/api/rtm.connect", auth, "").status());
    Exchange limited = exchange(HttpMethod.POST, "/api/rtm.connect", auth, "");
    assertEquals(429, limited.status());
    String retryAfter = limited.headers().get("retry-after");
    assertNotNull(retryAfter);
    long seconds = Long.parseLong(retryAfter);
    assertTrue(seconds >= 1 && seconds <= 2, retryAfter);
    assertEquals("ratelimited", limited.json().getString("error"));
    // Another token, or another method, is not affected.
    assertEquals(200, exchange(HttpMethod.POST, "/api/rtm.connect",
        Map.of("authorization", "Bearer " + b.token()), "").status());
    assertEquals(200, exchange(HttpMethod.POST, "/api/auth.test", auth, "").status());
    // After Retry-After, the call passes. Polled with a deadline, not slept.
    long deadline = System.currentTimeMillis() + seconds * 1000 + 5_000;
    int status;
    do {
      Thread.sleep(100);
      status = exchange(HttpMethod.POST, "/api/rtm.connect", auth, "").status();
    } while (status == 429 && System.currentTimeMillis() < deadline);
    assertEquals(200, status);
    // An unknown method is answered, never rate limited.
    for (int i = 0; i < 5; i++) {
      assertEquals(200, exchange(HttpMethod.POST, "/api/chat.teleport", auth, "").status());
    }
  }

  @Test
  @DisplayName("chat.postMessage is limited per channel: a busy channel does not slow another")
  void postMessagePerChannel() {
    TestUser a = user("a");
    String busy = api.createChannel(a, "busy-" + names.incrementAndGet(), false);
    String quiet = api.createChannel(a, "quiet-" + names.incrementAndGet(), false);
    Map<String, String> headers = Map.of("authorization", "Bearer " + a.token(),
        "content-type", "application/x-www-form-urlencoded");
    int limited = 0;
    for (int i = 0; i < 50 && limited == 0; i++) {
      if (exchange(HttpMethod.POST, "/api/chat.postMessage", headers, "channel=" + busy + "&text=" + i).status()
          == 429) {
        limited++;
      }
    }
    assertEquals(1, limited, "5 posts per window to one channel, then 429");
    assertEquals(200, exchange(HttpMethod.POST, "/api/chat.postMessage", headers,
        "channel=" + quiet + "&text=fine").status());
  }

  @Test
  @DisplayName("every method the issue names is served, and next_cursor is present and empty on a last page")
  void methodsAndCursors() {
    TestUser a = user("a");
    String room = api.createChannel(a, "cursor-" + names.incrementAndGet(), false);
    for (String method : List.of("conversations.list", "conversations.history", "conversations.members",
        "users.list", "users.conversations", "reactions.list")) {
      JsonObject page = api.call(method, a.token(), "channel", room, "limit", "1000");
      assertTrue(page.getBoolean("ok"), method + ": " + page.encode());
      assertEquals("", page.getJsonObject("response_metadata").getString("next_cursor"), method);
      assertEquals("invalid_cursor", api.call(method, a.token(), "channel", room, "cursor", "%%%")
          .getString("error"), method);
    }
    for (String method : List.of("api.test", "auth.test", "team.info", "rtm.connect", "chat.postMessage",
        "chat.update", "chat.delete", "chat.postEphemeral", "chat.meMessage", "chat.getPermalink",
        "conversations.create", "conversations.join", "conversations.leave", "conversations.invite",
        "conversations.kick", "conversations.list", "conversations.history", "conversations.replies",
        "conversations.members", "conversations.info", "conversations.rename", "conversations.archive",
        "conversations.unarchive", "conversations.setTopic", "conversations.setPurpose", "conversations.mark",
        "conversations.open", "reactions.add", "reactions.remove", "reactions.get", "reactions.list", "pins.add",
        "pins.remove", "pins.list", "bookmarks.add", "bookmarks.edit", "bookmarks.remove", "bookmarks.list",
        "users.list", "users.info", "users.conversations", "users.getPresence", "users.setPresence",
        "users.profile.get", "users.profile.set")) {
      JsonObject response = api.call(method, null);
      assertTrue(!"unknown_method".equals(response.getString("error")), method);
    }
  }
}
