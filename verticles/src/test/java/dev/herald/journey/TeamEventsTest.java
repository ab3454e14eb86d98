package dev.herald.journey;

import static dev.herald.testing.Audience.type;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.Audience;
import dev.herald.testing.HeraldFixture;
import dev.herald.testing.RtmClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Events on the team's channel reach every socket of the team once; events on a user's channel, theirs only. */
class TeamEventsTest {
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
    return api.register(name + "-t" + names.incrementAndGet());
  }

  private static RtmClient connect(TestUser user) {
    return RtmClient.connect(herald.vertx(), api, user.token());
  }

  private static Supplier<Predicate<JsonObject>> sentinel(TestUser poster, String lobby) {
    return () -> {
      String text = "sentinel " + names.incrementAndGet();
      api.ok("chat.postMessage", poster.token(), "channel", lobby, "text", text);
      return e -> text.equals(e.getString("text"));
    };
  }

  @Test
  @DisplayName("user_change and team_join reach every socket of the team exactly once")
  void teamWide() {
    TestUser a = user("a");
    TestUser b = user("b");
    String lobby = api.createChannel(a, "lobby-" + names.incrementAndGet(), false);
    api.ok("conversations.join", b.token(), "channel", lobby);
    try (RtmClient sa = connect(a); RtmClient sb = connect(b); RtmClient sb2 = connect(b)) {
      api.ok("users.profile.set", a.token(), "profile", new JsonObject().put("status_text", "lunch").encode());
      JsonObject change = Audience.check(
          e -> "user_change".equals(e.getString("type")) && a.id().equals(e.getJsonObject("user").getString("id")),
          List.of(sa, sb, sb2), List.of(), sentinel(a, lobby));
      assertEquals("lunch", change.getJsonObject("user").getJsonObject("profile").getString("status_text"));
      TestUser newcomer = user("new");
      JsonObject joined = Audience.check(
          e -> "team_join".equals(e.getString("type")) && newcomer.id().equals(e.getJsonObject("user").getString("id")),
          List.of(sa, sb, sb2), List.of(), sentinel(a, lobby));
      assertEquals(newcomer.name(), joined.getJsonObject("user").getString("name"));
    }
  }

  @Test
  @DisplayName("A user's own events (im_created, manual_presence_change) reach only that user's sockets")
  void ownChannel() {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser o = user("o");
    String lobby = api.createChannel(a, "lobby-" + names.incrementAndGet(), false);
    api.ok("conversations.join", b.token(), "channel", lobby);
    api.ok("conversations.join", o.token(), "channel", lobby);
    try (RtmClient sa = connect(a); RtmClient sa2 = connect(a); RtmClient sb = connect(b); RtmClient so = connect(o)) {
      String dm = api.ok("conversations.open", a.token(), "users", b.id()).getJsonObject("channel").getString("id");
      JsonObject created = Audience.check(type("im_created", dm), List.of(sa, sa2, sb), List.of(so),
          sentinel(a, lobby));
      assertEquals(a.id(), created.getString("user"));
      api.ok("users.setPresence", a.token(), "presence", "away");
      JsonObject away = Audience.check(type("manual_presence_change"), List.of(sa, sa2), List.of(sb, so),
          sentinel(a, lobby));
      assertEquals("away", away.getString("presence"));
    }
  }
}
