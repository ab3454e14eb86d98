package dev.herald.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.HeraldFixture;
import dev.herald.testing.RtmClient;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code users.*}, {@code team.info}, {@code auth.test} and {@code api.test}. */
class UserMethodsTest {
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

  private static String error(JsonObject response) {
    assertFalse(response.getBoolean("ok"), response.encode());
    return response.getString("error");
  }

  /** Polls until {@code presence} is what users.getPresence answers for {@code target}, or fails at the deadline. */
  private static JsonObject awaitPresence(TestUser asker, TestUser target, String presence)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + HeraldFixture.TIMEOUT_SECONDS * 1000;
    while (true) {
      JsonObject answer = api.ok("users.getPresence", asker.token(), "user", target.id());
      if (presence.equals(answer.getString("presence"))) {
        return answer;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("presence stayed " + answer.encode() + ", expected " + presence);
      }
      Thread.sleep(20);
    }
  }

  @Test
  @DisplayName("users.registerBatch refuses bad batches whole: bad, taken or repeated names, too many, none")
  void registerBatchErrors() {
    TestUser existing = user("taken");
    int n = names.incrementAndGet();
    assertEquals("name_taken", error(api.call("users.registerBatch", null, "names", "fresh-" + n + "," + existing.name())));
    assertEquals("name_taken", error(api.call("users.registerBatch", null, "names", "twice-" + n + ",twice-" + n)));
    assertEquals("invalid_name", error(api.call("users.registerBatch", null, "names", "ok-" + n + ",Not Valid")));
    assertEquals("invalid_name", error(api.call("users.registerBatch", null)));
    assertEquals("too_many_users", error(api.call("users.registerBatch", null, "names",
        String.join(",", java.util.stream.IntStream.range(0, 1001).mapToObj(i -> "m" + i + "-" + n).toList()))));
    // None of the refused batches left a user behind: the fresh names are all still free.
    api.ok("users.registerBatch", null, "names", "fresh-" + n + ",twice-" + n + ",ok-" + n);
  }

  @Test
  @DisplayName("users.list pages through the whole team and users.info shows one user with their profile")
  void listAndInfo() {
    TestUser a = user("a");
    for (int i = 0; i < 4; i++) {
      user("member");
    }
    Set<String> ids = new HashSet<>();
    String cursor = "";
    do {
      JsonObject page = cursor.isEmpty()
          ? api.ok("users.list", a.token(), "limit", "2")
          : api.ok("users.list", a.token(), "limit", "2", "cursor", cursor);
      assertTrue(page.getJsonArray("members").size() <= 2);
      page.getJsonArray("members").forEach(m -> assertTrue(ids.add(((JsonObject) m).getString("id"))));
      assertTrue(page.containsKey("cache_ts"));
      cursor = page.getJsonObject("response_metadata").getString("next_cursor");
    } while (!cursor.isEmpty());
    assertTrue(ids.contains(a.id()));
    assertTrue(ids.size() >= 5);

    JsonObject info = api.ok("users.info", a.token(), "user", a.id(), "include_locale", "true")
        .getJsonObject("user");
    assertEquals(a.name(), info.getString("name"));
    assertEquals(false, info.getBoolean("is_bot"));
    assertEquals("en-US", info.getString("locale"));
    assertTrue(info.getJsonObject("profile").containsKey("display_name"));
    assertEquals("user_not_found", error(api.call("users.info", a.token(), "user", "U0NOBODY")));
    assertEquals("user_not_found", error(api.call("users.info", a.token())));
    assertEquals("invalid_cursor", error(api.call("users.list", a.token(), "cursor", "nope")));
  }

  @Test
  @DisplayName("users.conversations lists a user's conversations, hiding private ones from other callers")
  void conversations() {
    TestUser a = user("a");
    TestUser b = user("b");
    String open = api.createChannel(a, "uc-open-" + names.incrementAndGet(), false);
    String secret = api.createChannel(a, "uc-secret-" + names.incrementAndGet(), true);
    api.createChannel(b, "uc-other-" + names.incrementAndGet(), false);
    Set<String> mine = ids(api.ok("users.conversations", a.token(), "types", "public_channel,private_channel"));
    assertEquals(Set.of(open, secret), mine);
    Set<String> seenByB = ids(api.ok("users.conversations", b.token(), "user", a.id(),
        "types", "public_channel,private_channel"));
    assertEquals(Set.of(open), seenByB);
    assertEquals("user_not_found", error(api.call("users.conversations", a.token(), "user", "U0NOBODY")));
  }

  private static Set<String> ids(JsonObject response) {
    Set<String> ids = new HashSet<>();
    response.getJsonArray("channels").forEach(c -> ids.add(((JsonObject) c).getString("id")));
    assertEquals("", response.getJsonObject("response_metadata").getString("next_cursor"));
    return ids;
  }

  @Test
  @DisplayName("users.getPresence is active while a socket is open unless the user set away with users.setPresence")
  void presence() throws InterruptedException {
    TestUser a = user("a");
    TestUser b = user("b");
    JsonObject self = api.ok("users.getPresence", a.token());
    assertEquals("away", self.getString("presence"));
    assertEquals(false, self.getBoolean("online"));
    assertEquals(0, self.getInteger("connection_count"));
    try (RtmClient sa = RtmClient.connect(herald.vertx(), api, a.token())) {
      JsonObject seen = awaitPresence(b, a, "active");
      assertNull(seen.getValue("online"), "details are for the user themselves");
      // Every read agrees, whichever pooled connection serves it.
      for (int i = 0; i < 8; i++) {
        assertEquals("active", api.ok("users.getPresence", b.token(), "user", a.id()).getString("presence"));
      }
      api.ok("users.setPresence", a.token(), "presence", "away");
      JsonObject manual = sa.await(e -> "manual_presence_change".equals(e.getString("type")));
      assertEquals("away", manual.getString("presence"));
      JsonObject away = api.ok("users.getPresence", a.token());
      assertEquals("away", away.getString("presence"));
      assertEquals(true, away.getBoolean("manual_away"));
      assertEquals(true, away.getBoolean("online"), away.encode());
      api.ok("users.setPresence", a.token(), "presence", "auto");
      awaitPresence(b, a, "active");
    }
    awaitPresence(b, a, "away");
    assertEquals("invalid_presence", error(api.call("users.setPresence", a.token(), "presence", "busy")));
    assertEquals("invalid_presence", error(api.call("users.setPresence", a.token())));
    assertEquals("user_not_found", error(api.call("users.getPresence", a.token(), "user", "U0NOBODY")));
  }

  @Test
  @DisplayName("users.profile.set changes one's own profile, tells the team with user_change, and validates fields")
  void profile() {
    TestUser a = user("a");
    TestUser b = user("b");
    try (RtmClient sb = RtmClient.connect(herald.vertx(), api, b.token())) {
      JsonObject set = api.ok("users.profile.set", a.token(), "profile",
          new JsonObject().put("display_name", "Ada").put("status_text", "shipping")
              .put("status_emoji", ":rocket:").put("title", "Engineer").encode());
      assertEquals("Ada", set.getJsonObject("profile").getString("display_name"));
      assertEquals(a.name(), set.getString("username"));
      JsonObject change = sb.await(e -> "user_change".equals(e.getString("type")));
      assertEquals(a.id(), change.getJsonObject("user").getString("id"));
      assertEquals("shipping", change.getJsonObject("user").getJsonObject("profile").getString("status_text"));
    }
    api.ok("users.profile.set", a.token(), "name", "real_name", "value", "Ada Lovelace");
    JsonObject profile = api.ok("users.profile.get", b.token(), "user", a.id()).getJsonObject("profile");
    assertEquals("Ada Lovelace", profile.getString("real_name"));
    assertEquals("Ada", profile.getString("display_name"));
    assertEquals(":rocket:", profile.getString("status_emoji"));
    assertEquals("Engineer", profile.getString("title"));
    assertEquals("Ada Lovelace", api.ok("users.info", b.token(), "user", a.id()).getJsonObject("user")
        .getString("real_name"));
    // Also as the renamed user sees themself: whose their token is was remembered before the change.
    assertEquals("Ada Lovelace", api.ok("users.info", a.token(), "user", a.id()).getJsonObject("user")
        .getString("real_name"));
    assertEquals("invalid_profile", error(api.call("users.profile.set", a.token(), "profile", "{broken")));
    assertEquals("invalid_profile", error(api.call("users.profile.set", a.token())));
    assertEquals("invalid_profile", error(api.call("users.profile.set", a.token(), "profile",
        new JsonObject().put("status_emoji", "rocket").encode())));
    assertEquals("invalid_profile", error(api.call("users.profile.set", a.token(), "profile",
        new JsonObject().put("status_text", "x".repeat(101)).encode())));
    assertEquals("not_authorized", error(api.call("users.profile.set", a.token(), "user", b.id(),
        "name", "title", "value", "boss")));
    assertEquals("user_not_found", error(api.call("users.profile.get", a.token(), "user", "U0NOBODY")));
  }

  @Test
  @DisplayName("team.info, auth.test and api.test answer in Slack's shapes")
  void teamAuthAndApiTest() {
    TestUser a = user("a");
    JsonObject auth = api.ok("auth.test", a.token());
    JsonObject team = api.ok("team.info", a.token()).getJsonObject("team");
    assertEquals(auth.getString("team_id"), team.getString("id"));
    assertEquals(auth.getString("team"), team.getString("name"));
    assertTrue(team.containsKey("domain") && team.containsKey("icon"));
    assertEquals("http://127.0.0.1:" + api.port() + "/", auth.getString("url"));
    assertEquals("team_not_found", error(api.call("team.info", a.token(), "team", "T0OTHER")));
    assertEquals(new JsonObject().put("foo", "bar").put("n", "1"),
        api.ok("api.test", null, "foo", "bar", "n", "1").getJsonObject("args"));
    JsonObject failing = api.call("api.test", null, "error", "my_error");
    assertEquals("my_error", error(failing));
    assertEquals("my_error", failing.getJsonObject("args").getString("error"));
    assertEquals("invalid_arguments", error(api.call("api.test", null, "error", "Free text, not a code!")));
    assertFalse(api.ok("api.test", a.token(), "x", "y").getJsonObject("args").containsKey("token"));
    JsonObject connect = api.ok("rtm.connect", a.token());
    assertTrue(connect.getString("url").startsWith("ws://"));
    assertEquals(a.id(), connect.getJsonObject("self").getString("id"));
    assertEquals(a.name(), connect.getJsonObject("self").getString("name"));
    assertEquals(team.getString("id"), connect.getJsonObject("team").getString("id"));
    assertEquals(team.getString("domain"), connect.getJsonObject("team").getString("domain"));
    assertEquals("not_authed", error(api.call("rtm.connect", null)));
  }
}
