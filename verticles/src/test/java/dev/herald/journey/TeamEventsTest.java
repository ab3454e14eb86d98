package dev.herald.journey;

import static dev.herald.testing.Audience.type;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.OneHerald;
import dev.herald.testing.Audience;
import dev.herald.testing.RtmClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Events on the team's channel reach every socket of the team once; events on a user's channel, theirs only. */
class TeamEventsTest extends OneHerald {

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
  @DisplayName("users.registerBatch: every newcomer's team_join reaches every socket of the team once, in order")
  void bulkTeamJoin() {
    TestUser a = user("a");
    String lobby = api.createChannel(a, "lobby-" + names.incrementAndGet(), false);
    try (RtmClient sa = connect(a); RtmClient sa2 = connect(a)) {
      int n = names.incrementAndGet();
      JsonArray registered = api.ok("users.registerBatch", null, "names", "bulk-a-" + n + ",bulk-b-" + n + ",bulk-c-" + n)
          .getJsonArray("registered");
      assertEquals(3, registered.size());
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        JsonObject one = registered.getJsonObject(i);
        ids.add(one.getJsonObject("user").getString("id"));
        assertEquals(ids.get(i), api.ok("auth.test", one.getString("token")).getString("user_id"));
      }
      List<Long> seqs = new ArrayList<>();
      for (String id : ids) {
        JsonObject joined = Audience.check(
            e -> "team_join".equals(e.getString("type")) && id.equals(e.getJsonObject("user").getString("id")),
            List.of(sa, sa2), List.of(), sentinel(a, lobby));
        seqs.add(joined.getLong("seq"));
      }
      assertEquals(List.of(seqs.get(0), seqs.get(0) + 1, seqs.get(0) + 2), seqs, "team_join seqs " + seqs);
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
