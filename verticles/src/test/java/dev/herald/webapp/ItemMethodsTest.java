package dev.herald.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.OneHerald;
import dev.herald.testing.RtmClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What hangs off messages and channels: {@code reactions.*}, {@code pins.*} and {@code bookmarks.*}. */
class ItemMethodsTest extends OneHerald {

  @Test
  @DisplayName("reactions.add and remove send reaction_added and reaction_removed, and reactions.get counts them")
  void addGetRemove() {
    TestUser a = user("a");
    TestUser b = user("b");
    String room = channel(a, b);
    String ts = api.ok("chat.postMessage", a.token(), "channel", room, "text", "react to me").getString("ts");
    try (RtmClient sa = connect(a)) {
      api.ok("reactions.add", b.token(), "channel", room, "timestamp", ts, "name", ":thumbsup:");
      JsonObject added = sa.await(e -> "reaction_added".equals(e.getString("type")));
      assertEquals(b.id(), added.getString("user"));
      assertEquals("thumbsup", added.getString("reaction"));
      assertEquals(a.id(), added.getString("item_user"));
      assertEquals(new JsonObject().put("type", "message").put("channel", room).put("ts", ts),
          added.getJsonObject("item"));
      assertTrue(added.containsKey("event_ts"));
      api.ok("reactions.add", a.token(), "channel", room, "timestamp", ts, "name", "thumbsup");
      api.ok("reactions.add", a.token(), "channel", room, "timestamp", ts, "name", "thumbsup::skin-tone-2");
      JsonObject got = api.ok("reactions.get", a.token(), "channel", room, "timestamp", ts);
      assertEquals("message", got.getString("type"));
      assertEquals(room, got.getString("channel"));
      JsonArray reactions = got.getJsonObject("message").getJsonArray("reactions");
      assertEquals("thumbsup", reactions.getJsonObject(0).getString("name"));
      assertEquals(2, reactions.getJsonObject(0).getInteger("count"));
      assertEquals(new JsonArray().add(b.id()).add(a.id()), reactions.getJsonObject(0).getJsonArray("users"));
      assertEquals("thumbsup::skin-tone-2", reactions.getJsonObject(1).getString("name"));
      api.ok("reactions.remove", b.token(), "channel", room, "timestamp", ts, "name", "thumbsup");
      JsonObject removed = sa.await(e -> "reaction_removed".equals(e.getString("type")));
      assertEquals(b.id(), removed.getString("user"));
    }
    JsonArray after = api.ok("reactions.get", a.token(), "channel", room, "timestamp", ts).getJsonObject("message")
        .getJsonArray("reactions");
    assertEquals(1, after.getJsonObject(0).getInteger("count"));
    // The history shows reactions too.
    assertEquals(2, api.ok("conversations.history", a.token(), "channel", room).getJsonArray("messages")
        .getJsonObject(0).getJsonArray("reactions").size());
  }

  @Test
  @DisplayName("reactions refuse repeats, missing items, bad names and timestamps with Slack's codes")
  void reactionErrors() {
    TestUser a = user("a");
    TestUser outsider = user("out");
    String room = channel(a);
    String ts = api.ok("chat.postMessage", a.token(), "channel", room, "text", "m").getString("ts");
    api.ok("reactions.add", a.token(), "channel", room, "timestamp", ts, "name", "tada");
    assertEquals("already_reacted", error(api.call("reactions.add", a.token(), "channel", room,
        "timestamp", ts, "name", "tada")));
    assertEquals("no_reaction", error(api.call("reactions.remove", a.token(), "channel", room,
        "timestamp", ts, "name", "fire")));
    assertEquals("no_item_specified", error(api.call("reactions.add", a.token(), "name", "tada")));
    assertEquals("no_item_specified", error(api.call("reactions.add", a.token(), "channel", room, "name", "x")));
    assertEquals("bad_timestamp", error(api.call("reactions.add", a.token(), "channel", room,
        "timestamp", "noon", "name", "tada")));
    assertEquals("message_not_found", error(api.call("reactions.add", a.token(), "channel", room,
        "timestamp", "1.000001", "name", "tada")));
    assertEquals("invalid_name", error(api.call("reactions.add", a.token(), "channel", room,
        "timestamp", ts, "name", "not an emoji!")));
    assertEquals("invalid_name", error(api.call("reactions.add", a.token(), "channel", room, "timestamp", ts)));
    assertEquals("not_in_channel", error(api.call("reactions.add", outsider.token(), "channel", room,
        "timestamp", ts, "name", "tada")));
    assertEquals("no_item_specified", error(api.call("reactions.get", a.token(), "channel", room)));
    assertEquals("user_not_found", error(api.call("reactions.list", a.token(), "user", "U0NOBODY")));
    assertEquals("invalid_cursor", error(api.call("reactions.list", a.token(), "cursor", "zzz")));
  }

  @Test
  @DisplayName("reactions.list pages through what a user reacted to, newest first, hiding what the caller cannot see")
  void reactionsList() {
    TestUser a = user("a");
    TestUser b = user("b");
    String room = channel(a, b);
    String secret = api.createChannel(a, "items-secret-" + names.incrementAndGet(), true);
    List<String> ts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ts.add(api.ok("chat.postMessage", a.token(), "channel", room, "text", "m" + i).getString("ts"));
      api.ok("reactions.add", a.token(), "channel", room, "timestamp", ts.get(i), "name", "eyes");
    }
    String hidden = api.ok("chat.postMessage", a.token(), "channel", secret, "text", "hidden").getString("ts");
    api.ok("reactions.add", a.token(), "channel", secret, "timestamp", hidden, "name", "eyes");

    List<String> seen = new ArrayList<>();
    String cursor = "";
    do {
      JsonObject page = cursor.isEmpty()
          ? api.ok("reactions.list", a.token(), "limit", "2")
          : api.ok("reactions.list", a.token(), "limit", "2", "cursor", cursor);
      page.getJsonArray("items").forEach(i -> seen.add(((JsonObject) i).getJsonObject("message").getString("ts")));
      cursor = page.getJsonObject("response_metadata").getString("next_cursor");
    } while (!cursor.isEmpty());
    assertEquals(List.of(hidden, ts.get(2), ts.get(1), ts.get(0)), seen);
    JsonArray asSeenByB = api.ok("reactions.list", b.token(), "user", a.id()).getJsonArray("items");
    assertEquals(3, asSeenByB.size(), "b cannot see the private channel's item");
    assertEquals(room, asSeenByB.getJsonObject(0).getString("channel"));
  }

  @Test
  @DisplayName("pins.add, list and remove keep a channel's pins with pin_added and pin_removed events")
  void pins() {
    TestUser a = user("a");
    TestUser b = user("b");
    String room = channel(a, b);
    String first = api.ok("chat.postMessage", a.token(), "channel", room, "text", "first").getString("ts");
    String second = api.ok("chat.postMessage", a.token(), "channel", room, "text", "second").getString("ts");
    try (RtmClient sa = connect(a)) {
      api.ok("pins.add", b.token(), "channel", room, "timestamp", first);
      JsonObject added = sa.await(e -> "pin_added".equals(e.getString("type")));
      assertEquals(b.id(), added.getString("user"));
      assertEquals(room, added.getString("channel_id"));
      assertEquals(1, added.getInteger("pin_count"));
      assertEquals(first, added.getJsonObject("item").getJsonObject("message").getString("ts"));
      assertEquals(a.id(), added.getString("item_user"));
      api.ok("pins.add", b.token(), "channel", room, "timestamp", second);
      JsonArray items = api.ok("pins.list", a.token(), "channel", room).getJsonArray("items");
      assertEquals(2, items.size());
      assertEquals(second, items.getJsonObject(0).getJsonObject("message").getString("ts"));
      assertEquals(b.id(), items.getJsonObject(0).getString("created_by"));
      assertTrue(items.getJsonObject(0).getJsonObject("message").getString("permalink").contains("/archives/"));
      assertEquals(2, api.ok("conversations.history", a.token(), "channel", room).getInteger("pin_count"));
      api.ok("pins.remove", a.token(), "channel", room, "timestamp", first);
      JsonObject removed = sa.await(e -> "pin_removed".equals(e.getString("type")));
      assertEquals(1, removed.getInteger("pin_count"));
      assertEquals(true, removed.getBoolean("has_pins"));
    }
    assertEquals("already_pinned", error(api.call("pins.add", a.token(), "channel", room, "timestamp", second)));
    assertEquals("no_pin", error(api.call("pins.remove", a.token(), "channel", room, "timestamp", first)));
    assertEquals("message_not_found", error(api.call("pins.add", a.token(), "channel", room,
        "timestamp", "1.000001")));
    assertEquals("no_item_specified", error(api.call("pins.add", a.token(), "channel", room)));
    assertEquals("bad_timestamp", error(api.call("pins.add", a.token(), "channel", room, "timestamp", "x")));
    TestUser outsider = user("out");
    assertEquals("not_in_channel", error(api.call("pins.list", outsider.token(), "channel", room)));
    assertEquals("channel_not_found", error(api.call("pins.list", a.token(), "channel", "C0NOPE")));
  }

  @Test
  @DisplayName("bookmarks.add, edit, list and remove keep a channel's links with bookmark events")
  void bookmarks() {
    TestUser a = user("a");
    TestUser b = user("b");
    String room = channel(a, b);
    String id;
    try (RtmClient sb = connect(b)) {
      JsonObject added = api.ok("bookmarks.add", a.token(), "channel_id", room, "title", "Runbook",
          "type", "link", "link", "https://example.org/runbook", "emoji", ":book:").getJsonObject("bookmark");
      id = added.getString("id");
      assertTrue(id.startsWith("Bk"), id);
      assertEquals(room, added.getString("channel_id"));
      assertEquals("Runbook", added.getString("title"));
      assertEquals(":book:", added.getString("emoji"));
      JsonObject event = sb.await(e -> "bookmark_added".equals(e.getString("type")));
      assertEquals(id, event.getJsonObject("bookmark").getString("id"));
      assertEquals(a.id(), event.getString("user"));

      JsonObject edited = api.ok("bookmarks.edit", b.token(), "channel_id", room, "bookmark_id", id,
          "title", "Runbook v2").getJsonObject("bookmark");
      assertEquals("Runbook v2", edited.getString("title"));
      assertEquals("https://example.org/runbook", edited.getString("link"));
      assertEquals(b.id(), edited.getString("last_updated_by_user_id"));
      sb.await(e -> "bookmark_updated".equals(e.getString("type")));

      JsonArray listed = api.ok("bookmarks.list", a.token(), "channel_id", room).getJsonArray("bookmarks");
      assertEquals(1, listed.size());
      assertEquals("Runbook v2", listed.getJsonObject(0).getString("title"));

      api.ok("bookmarks.remove", a.token(), "channel_id", room, "bookmark_id", id);
      JsonObject removed = sb.await(e -> "bookmark_removed".equals(e.getString("type")));
      assertEquals(id, removed.getJsonObject("bookmark").getString("id"));
    }
    assertEquals(0, api.ok("bookmarks.list", a.token(), "channel_id", room).getJsonArray("bookmarks").size());
    assertEquals("not_found", error(api.call("bookmarks.remove", a.token(), "channel_id", room,
        "bookmark_id", id)));
    assertEquals("not_found", error(api.call("bookmarks.edit", a.token(), "channel_id", room,
        "bookmark_id", id, "title", "t")));
    assertEquals("invalid_bookmark_type", error(api.call("bookmarks.add", a.token(), "channel_id", room,
        "title", "t", "type", "folder", "link", "https://example.org")));
    assertEquals("invalid_link", error(api.call("bookmarks.add", a.token(), "channel_id", room,
        "title", "t", "type", "link", "link", "ftp://example.org")));
    assertEquals("invalid_emoji", error(api.call("bookmarks.add", a.token(), "channel_id", room,
        "title", "t", "type", "link", "link", "https://example.org", "emoji", "book")));
    assertEquals("invalid_arguments", error(api.call("bookmarks.add", a.token(), "channel_id", room,
        "type", "link", "link", "https://example.org")));
    assertEquals("channel_not_found", error(api.call("bookmarks.list", a.token())));
    TestUser outsider = user("out");
    assertEquals("not_in_channel", error(api.call("bookmarks.list", outsider.token(), "channel_id", room)));
  }
}
