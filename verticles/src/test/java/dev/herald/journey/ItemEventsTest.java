package dev.herald.journey;

import static dev.herald.testing.Audience.type;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.OneHerald;
import dev.herald.testing.Audience;
import dev.herald.testing.RtmClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Reactions, pins and bookmarks: events on the conversation, to its members once, to nobody else. */
class ItemEventsTest extends OneHerald {

  @Test
  @DisplayName("reaction, pin and bookmark events reach the members of a private channel once and nobody else")
  void itemEvents() {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser o = user("o");
    String lobby = api.createChannel(a, "lobby-" + names.incrementAndGet(), false);
    api.ok("conversations.join", b.token(), "channel", lobby);
    api.ok("conversations.join", o.token(), "channel", lobby);
    String room = api.createChannel(a, "room-" + names.incrementAndGet(), true);
    api.ok("conversations.invite", a.token(), "channel", room, "users", b.id());
    try (RtmClient sa = connect(a); RtmClient sb = connect(b); RtmClient so = connect(o)) {
      String ts = api.ok("chat.postMessage", a.token(), "channel", room, "text", "pin me").getString("ts");
      List<RtmClient> members = List.of(sa, sb);
      List<RtmClient> outsider = List.of(so);

      api.ok("reactions.add", b.token(), "channel", room, "timestamp", ts, "name", "tada");
      JsonObject added = Audience.check(type("reaction_added"), members, outsider, sentinel(a, lobby));
      assertEquals(b.id(), added.getString("user"));
      assertEquals("tada", added.getString("reaction"));
      assertEquals(a.id(), added.getString("item_user"));
      assertEquals(new JsonObject().put("type", "message").put("channel", room).put("ts", ts),
          added.getJsonObject("item"));
      api.ok("reactions.remove", b.token(), "channel", room, "timestamp", ts, "name", "tada");
      Audience.check(type("reaction_removed"), members, outsider, sentinel(a, lobby));

      api.ok("pins.add", a.token(), "channel", room, "timestamp", ts);
      JsonObject pinned = Audience.check(type("pin_added"), members, outsider, sentinel(a, lobby));
      assertEquals(room, pinned.getString("channel_id"));
      assertEquals(1, pinned.getInteger("pin_count"));
      assertEquals(ts, pinned.getJsonObject("item").getJsonObject("message").getString("ts"));
      api.ok("pins.remove", a.token(), "channel", room, "timestamp", ts);
      JsonObject unpinned = Audience.check(type("pin_removed"), members, outsider, sentinel(a, lobby));
      assertEquals(false, unpinned.getBoolean("has_pins"));

      String id = api.ok("bookmarks.add", a.token(), "channel_id", room, "title", "Docs", "type", "link",
          "link", "https://example.com/docs").getJsonObject("bookmark").getString("id");
      JsonObject bookmark = Audience.check(type("bookmark_added"), members, outsider, sentinel(a, lobby));
      assertEquals(id, bookmark.getJsonObject("bookmark").getString("id"));
      assertEquals(a.id(), bookmark.getString("user"));
      api.ok("bookmarks.edit", b.token(), "channel_id", room, "bookmark_id", id, "title", "Manual");
      JsonObject edited = Audience.check(type("bookmark_updated"), members, outsider, sentinel(a, lobby));
      assertEquals("Manual", edited.getJsonObject("bookmark").getString("title"));
      api.ok("bookmarks.remove", a.token(), "channel_id", room, "bookmark_id", id);
      JsonObject removed = Audience.check(type("bookmark_removed"), members, outsider, sentinel(a, lobby));
      assertEquals(new JsonObject().put("id", id).put("channel_id", room), removed.getJsonObject("bookmark"));
    }
  }
}
