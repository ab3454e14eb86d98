package dev.herald.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.HeraldFixture;
import dev.herald.testing.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Web API's storage paths with storage.kind=postgres: the V2 migration and every query the issue-3 methods
 * added (threads, edits, deletes, reactions, pins, bookmarks, DMs, kinds, profiles, read markers) run there too.
 */
class PostgresWebApiTest {
  @Test
  @DisplayName("on PostgreSQL the whole Web API surface stores and reads back what it does on the embedded database")
  void webApiOnPostgres() {
    try (TestPostgres database = TestPostgres.create();
        HeraldFixture herald = HeraldFixture.start(HeraldFixture.newDataDir(), database.storageOverrides())) {
      ApiClient api = herald.api();
      TestUser a = api.register("pg-alice");
      TestUser b = api.register("pg-bob");
      TestUser c = api.register("pg-carol");
      String room = api.createChannel(a, "pg-room", false);
      String secret = api.createChannel(a, "pg-secret", true);
      api.ok("conversations.join", b.token(), "channel", room);

      // threads: reply counts and users, history without replies, replies paged
      String parent = api.ok("chat.postMessage", a.token(), "channel", room, "text", "parent",
          "blocks", "[{\"type\":\"divider\"}]").getString("ts");
      List<String> replies = new ArrayList<>();
      for (TestUser u : List.of(b, a, b)) {
        replies.add(api.ok("chat.postMessage", u.token(), "channel", room, "text", "reply", "thread_ts", parent)
            .getString("ts"));
      }
      JsonObject top = api.ok("conversations.history", a.token(), "channel", room).getJsonArray("messages")
          .getJsonObject(0);
      assertEquals(3, top.getInteger("reply_count"));
      assertEquals(2, top.getInteger("reply_users_count"));
      assertEquals(new JsonArray().add(b.id()).add(a.id()), top.getJsonArray("reply_users"));
      JsonObject page = api.ok("conversations.replies", a.token(), "channel", room, "ts", parent, "limit", "2");
      assertEquals(3, page.getJsonArray("messages").size());
      // The two oldest, newest first: the parent, then b's channel_join from joining.
      JsonArray oldest = api.ok("conversations.history", a.token(), "channel", room, "oldest", "0", "limit", "2")
          .getJsonArray("messages");
      assertEquals(parent, oldest.getJsonObject(0).getString("ts"));
      assertEquals("channel_join", oldest.getJsonObject(1).getString("subtype"));
      assertEquals(b.id(), oldest.getJsonObject(1).getString("user"));

      // edit and delete; a deleted reply lowers its parent's count
      api.ok("chat.update", a.token(), "channel", room, "ts", parent, "text", "edited");
      api.ok("chat.delete", b.token(), "channel", room, "ts", replies.get(2));
      top = api.ok("conversations.history", a.token(), "channel", room).getJsonArray("messages").getJsonObject(0);
      assertEquals("edited", top.getString("text"));
      assertEquals(2, top.getInteger("reply_count"));
      assertEquals(replies.get(1), top.getString("latest_reply"));

      // reactions, their list and cursor; pins; bookmarks
      api.ok("reactions.add", b.token(), "channel", room, "timestamp", parent, "name", "tada");
      api.ok("reactions.add", b.token(), "channel", room, "timestamp", replies.get(0), "name", "eyes");
      JsonObject first = api.ok("reactions.list", b.token(), "limit", "1");
      JsonObject second = api.ok("reactions.list", b.token(), "limit", "1",
          "cursor", first.getJsonObject("response_metadata").getString("next_cursor"));
      assertEquals(replies.get(0), first.getJsonArray("items").getJsonObject(0).getJsonObject("message")
          .getString("ts"));
      assertEquals(parent, second.getJsonArray("items").getJsonObject(0).getJsonObject("message").getString("ts"));
      assertEquals(1, api.ok("reactions.get", a.token(), "channel", room, "timestamp", parent)
          .getJsonObject("message").getJsonArray("reactions").size());
      api.ok("pins.add", a.token(), "channel", room, "timestamp", parent);
      assertEquals(1, api.ok("pins.list", a.token(), "channel", room).getJsonArray("items").size());
      String bookmark = api.ok("bookmarks.add", a.token(), "channel_id", room, "title", "t", "type", "link",
          "link", "https://example.org").getJsonObject("bookmark").getString("id");
      api.ok("bookmarks.edit", a.token(), "channel_id", room, "bookmark_id", bookmark, "title", "t2");
      assertEquals("t2", api.ok("bookmarks.list", a.token(), "channel_id", room).getJsonArray("bookmarks")
          .getJsonObject(0).getString("title"));
      api.ok("bookmarks.remove", a.token(), "channel_id", room, "bookmark_id", bookmark);

      // DMs found again; kinds and membership in lists
      String dm = api.ok("conversations.open", a.token(), "users", b.id()).getJsonObject("channel").getString("id");
      assertEquals(dm, api.ok("conversations.open", b.token(), "users", a.id()).getJsonObject("channel")
          .getString("id"));
      String mpim = api.ok("conversations.open", a.token(), "users", b.id() + "," + c.id())
          .getJsonObject("channel").getString("id");
      JsonArray mine = api.ok("users.conversations", a.token(), "types", "public_channel,private_channel,im,mpim")
          .getJsonArray("channels");
      assertEquals(4, mine.size(), mine.encode());
      JsonArray visibleToC = api.ok("conversations.list", c.token(),
          "types", "public_channel,private_channel,im,mpim").getJsonArray("channels");
      assertTrue(visibleToC.stream().noneMatch(ch -> List.of(secret, dm).contains(((JsonObject) ch).getString("id"))));
      assertTrue(visibleToC.stream().anyMatch(ch -> mpim.equals(((JsonObject) ch).getString("id"))));

      // rename, archive, topic, read markers, profiles
      api.ok("conversations.rename", a.token(), "channel", room, "name", "pg-renamed");
      assertEquals("name_taken", api.call("conversations.rename", a.token(), "channel", secret,
          "name", "pg-renamed").getString("error"));
      api.ok("conversations.setTopic", a.token(), "channel", room, "topic", "on postgres");
      api.ok("conversations.archive", a.token(), "channel", secret);
      assertEquals("already_archived", api.call("conversations.archive", a.token(), "channel", secret)
          .getString("error"));
      api.ok("conversations.mark", b.token(), "channel", room, "ts", parent);
      JsonObject info = api.ok("conversations.info", b.token(), "channel", room).getJsonObject("channel");
      assertEquals(parent, info.getString("last_read"));
      assertEquals("pg-renamed", info.getString("name"));
      assertEquals("on postgres", info.getJsonObject("topic").getString("value"));
      api.ok("users.profile.set", a.token(), "profile", new JsonObject().put("title", "DBA").encode());
      assertEquals("DBA", api.ok("users.profile.get", b.token(), "user", a.id()).getJsonObject("profile")
          .getString("title"));
      assertEquals(3, api.ok("users.list", a.token()).getJsonArray("members").size());
    }
  }
}
