package dev.herald.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.OneHerald;
import dev.herald.testing.RtmClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code chat.*}: parameters, responses, error codes and the events each change sends. */
class ChatMethodsTest extends OneHerald {

  /**
   * The history of a channel made by {@link #channel} without its {@code joins} members' channel_join notices, which
   * are its oldest messages (history is newest first): checks they are there, and returns the rest.
   */
  private static JsonArray posted(TestUser reader, String room, int joins) {
    JsonArray all = api.ok("conversations.history", reader.token(), "channel", room).getJsonArray("messages");
    assertTrue(all.size() >= joins, all.encode());
    JsonArray rest = new JsonArray();
    for (int i = 0; i < all.size(); i++) {
      if (i < all.size() - joins) {
        rest.add(all.getJsonObject(i));
      } else {
        assertEquals("channel_join", all.getJsonObject(i).getString("subtype"), all.encode());
      }
    }
    return rest;
  }

  @Test
  @DisplayName("chat.postMessage takes blocks and attachments as JSON strings in a form and returns them as objects")
  void postMessageWithBlocksInForm() {
    TestUser a = user("a");
    String room = channel(a);
    String blocks = "[{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\"*hi*\"}}]";
    String attachments = "[{\"fallback\":\"f\",\"text\":\"attached\"}]";
    JsonObject posted = api.ok("chat.postMessage", a.token(), "channel", room, "text", "hi", "blocks", blocks,
        "attachments", attachments);
    assertEquals(room, posted.getString("channel"));
    assertEquals(new JsonArray(blocks), posted.getJsonObject("message").getJsonArray("blocks"));
    assertEquals(new JsonArray(attachments), posted.getJsonObject("message").getJsonArray("attachments"));
    assertEquals(a.id(), posted.getJsonObject("message").getString("user"));
    // Blocks alone are content enough.
    api.ok("chat.postMessage", a.token(), "channel", room, "blocks", blocks);
    JsonObject history = api.ok("conversations.history", a.token(), "channel", room);
    assertEquals(new JsonArray(blocks), history.getJsonArray("messages").getJsonObject(1).getJsonArray("blocks"));
  }

  @Test
  @DisplayName("chat.postMessage refuses empty, oversized and malformed messages with Slack's codes")
  void postMessageErrors() {
    TestUser a = user("a");
    TestUser outsider = user("out");
    String room = channel(a);
    assertEquals("no_text", error(api.call("chat.postMessage", a.token(), "channel", room)));
    assertEquals("no_text", error(api.call("chat.postMessage", a.token(), "channel", room, "text", "   ")));
    assertEquals("msg_too_long", error(api.call("chat.postMessage", a.token(), "channel", room,
        "text", "x".repeat(Posting.MAX_TEXT + 1))));
    assertEquals("invalid_blocks", error(api.call("chat.postMessage", a.token(), "channel", room,
        "text", "t", "blocks", "{not json")));
    assertEquals("invalid_blocks", error(api.call("chat.postMessage", a.token(), "channel", room,
        "text", "t", "blocks", "{\"type\":\"section\"}")));
    assertEquals("invalid_attachments", error(api.call("chat.postMessage", a.token(), "channel", room,
        "text", "t", "attachments", "[oops")));
    JsonArray many = new JsonArray();
    for (int i = 0; i <= Posting.MAX_ATTACHMENTS; i++) {
      many.add(new JsonObject().put("text", "a" + i));
    }
    assertEquals("too_many_attachments", error(api.call("chat.postMessage", a.token(), "channel", room,
        "text", "t", "attachments", many.encode())));
    assertEquals("channel_not_found", error(api.call("chat.postMessage", a.token(), "text", "t")));
    assertEquals("channel_not_found", error(api.call("chat.postMessage", a.token(), "channel", "C0NOPE",
        "text", "t")));
    assertEquals("not_in_channel", error(api.call("chat.postMessage", outsider.token(), "channel", room,
        "text", "t")));
    assertEquals("invalid_thread_ts", error(api.call("chat.postMessage", a.token(), "channel", room,
        "text", "t", "thread_ts", "yesterday")));
    assertEquals("invalid_thread_ts", error(api.call("chat.postMessage", a.token(), "channel", room,
        "text", "t", "thread_ts", "1.000001")));
    assertEquals(0, api.ok("conversations.history", a.token(), "channel", room).getJsonArray("messages").size());
  }

  @Test
  @DisplayName("a thread reply carries thread_ts and parent_user_id, updates the parent and stays out of history")
  void threadReplies() {
    TestUser a = user("a");
    TestUser b = user("b");
    String room = channel(a, b);
    String parent = api.ok("chat.postMessage", a.token(), "channel", room, "text", "parent").getString("ts");
    try (RtmClient sa = connect(a)) {
      JsonObject reply = api.ok("chat.postMessage", b.token(), "channel", room, "text", "reply",
          "thread_ts", parent);
      assertEquals(parent, reply.getJsonObject("message").getString("thread_ts"));
      assertEquals(a.id(), reply.getJsonObject("message").getString("parent_user_id"));
      JsonObject event = sa.await(e -> "reply".equals(e.getString("text")));
      assertEquals(parent, event.getString("thread_ts"));
      assertEquals(a.id(), event.getString("parent_user_id"));
      JsonObject replied = sa.await(e -> "message_replied".equals(e.getString("subtype")));
      assertEquals(true, replied.getBoolean("hidden"));
      assertEquals(parent, replied.getJsonObject("message").getString("ts"));
      assertEquals(1, replied.getJsonObject("message").getInteger("reply_count"));
      assertEquals(new JsonArray().add(b.id()), replied.getJsonObject("message").getJsonArray("reply_users"));
    }
    // A reply's own ts stands for its parent's.
    String replyTs = api.ok("conversations.replies", a.token(), "channel", room, "ts", parent)
        .getJsonArray("messages").getJsonObject(1).getString("ts");
    api.ok("chat.postMessage", a.token(), "channel", room, "text", "second reply", "thread_ts", replyTs);
    JsonArray history = posted(a, room, 1);
    assertEquals(1, history.size(), "replies are not in the channel's history: " + history.encode());
    JsonObject top = history.getJsonObject(0);
    assertEquals(parent, top.getString("thread_ts"));
    assertEquals(2, top.getInteger("reply_count"));
    assertEquals(2, top.getInteger("reply_users_count"));
    assertEquals(new JsonArray().add(b.id()).add(a.id()), top.getJsonArray("reply_users"));
  }

  @Test
  @DisplayName("reply_broadcast shows a thread reply in the channel too, as a thread_broadcast")
  void replyBroadcast() {
    TestUser a = user("a");
    String room = channel(a);
    String parent = api.ok("chat.postMessage", a.token(), "channel", room, "text", "parent").getString("ts");
    JsonObject reply = api.ok("chat.postMessage", a.token(), "channel", room, "text", "for all",
        "thread_ts", parent, "reply_broadcast", "true");
    assertEquals("thread_broadcast", reply.getJsonObject("message").getString("subtype"));
    JsonArray history = api.ok("conversations.history", a.token(), "channel", room).getJsonArray("messages");
    assertEquals(2, history.size());
    assertEquals("thread_broadcast", history.getJsonObject(0).getString("subtype"));
    assertEquals(parent, history.getJsonObject(0).getString("thread_ts"));
    JsonArray thread = api.ok("conversations.replies", a.token(), "channel", room, "ts", parent)
        .getJsonArray("messages");
    assertEquals(2, thread.size());
  }

  @Test
  @DisplayName("chat.update edits one's own message, keeps blocks unless replaced, and sends message_changed")
  void update() {
    TestUser a = user("a");
    TestUser b = user("b");
    String room = channel(a, b);
    String blocks = "[{\"type\":\"divider\"}]";
    String ts = api.ok("chat.postMessage", a.token(), "channel", room, "text", "first", "blocks", blocks)
        .getString("ts");
    try (RtmClient sb = connect(b)) {
      JsonObject updated = api.ok("chat.update", a.token(), "channel", room, "ts", ts, "text", "second");
      assertEquals(ts, updated.getString("ts"));
      assertEquals("second", updated.getString("text"));
      assertEquals("second", updated.getJsonObject("message").getString("text"));
      assertEquals(a.id(), updated.getJsonObject("message").getJsonObject("edited").getString("user"));
      JsonObject changed = sb.await(e -> "message_changed".equals(e.getString("subtype")));
      assertEquals(true, changed.getBoolean("hidden"));
      assertEquals(room, changed.getString("channel"));
      assertEquals(ts, changed.getJsonObject("message").getString("ts"));
      assertEquals("second", changed.getJsonObject("message").getString("text"));
      assertEquals("first", changed.getJsonObject("previous_message").getString("text"));
      assertTrue(changed.getString("ts").compareTo(ts) > 0, "the change has its own, later ts");
    }
    JsonObject stored = api.ok("conversations.history", a.token(), "channel", room).getJsonArray("messages")
        .getJsonObject(0);
    assertEquals("second", stored.getString("text"));
    assertEquals(new JsonArray(blocks), stored.getJsonArray("blocks"));
    api.ok("chat.update", a.token(), "channel", room, "ts", ts, "text", "third", "blocks", "[]");
    stored = api.ok("conversations.history", a.token(), "channel", room).getJsonArray("messages").getJsonObject(0);
    assertNull(stored.getValue("blocks"), "an empty array removes the blocks");
  }

  @Test
  @DisplayName("chat.update and chat.delete refuse others' messages, missing ones and bad arguments")
  void updateAndDeleteErrors() {
    TestUser a = user("a");
    TestUser b = user("b");
    String room = channel(a, b);
    String ts = api.ok("chat.postMessage", a.token(), "channel", room, "text", "mine").getString("ts");
    assertEquals("cant_update_message", error(api.call("chat.update", b.token(), "channel", room, "ts", ts,
        "text", "hijack")));
    assertEquals("cant_delete_message", error(api.call("chat.delete", b.token(), "channel", room, "ts", ts)));
    assertEquals("message_not_found", error(api.call("chat.update", a.token(), "channel", room,
        "ts", "1.000001", "text", "x")));
    assertEquals("message_not_found", error(api.call("chat.delete", a.token(), "channel", room,
        "ts", "1.000001")));
    assertEquals("message_not_found", error(api.call("chat.delete", a.token(), "channel", room)));
    assertEquals("no_text", error(api.call("chat.update", a.token(), "channel", room, "ts", ts)));
    assertEquals("channel_not_found", error(api.call("chat.update", a.token(), "channel", "C0NOPE", "ts", ts,
        "text", "x")));
    assertEquals("mine", api.ok("conversations.history", a.token(), "channel", room).getJsonArray("messages")
        .getJsonObject(0).getString("text"));
  }

  @Test
  @DisplayName("chat.delete removes the message, its reactions and pin, and sends message_deleted")
  void delete() {
    TestUser a = user("a");
    TestUser b = user("b");
    String room = channel(a, b);
    String ts = api.ok("chat.postMessage", a.token(), "channel", room, "text", "doomed").getString("ts");
    api.ok("reactions.add", b.token(), "channel", room, "timestamp", ts, "name", "wave");
    api.ok("pins.add", b.token(), "channel", room, "timestamp", ts);
    try (RtmClient sb = connect(b)) {
      JsonObject deleted = api.ok("chat.delete", a.token(), "channel", room, "ts", ts);
      assertEquals(ts, deleted.getString("ts"));
      assertEquals(room, deleted.getString("channel"));
      JsonObject event = sb.await(e -> "message_deleted".equals(e.getString("subtype")));
      assertEquals(ts, event.getString("deleted_ts"));
      assertEquals(true, event.getBoolean("hidden"));
      assertEquals("doomed", event.getJsonObject("previous_message").getString("text"));
    }
    assertEquals(0, posted(a, room, 1).size());
    assertEquals(0, api.ok("pins.list", a.token(), "channel", room).getJsonArray("items").size());
    assertEquals(0, api.ok("reactions.list", b.token()).getJsonArray("items").size());
  }

  @Test
  @DisplayName("chat.postEphemeral reaches only the named member's sockets and is never stored")
  void postEphemeral() {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser c = user("c");
    TestUser outsider = user("out");
    String room = channel(a, b, c);
    try (RtmClient sb = connect(b); RtmClient sc = connect(c)) {
      JsonObject sent = api.ok("chat.postEphemeral", a.token(), "channel", room, "user", b.id(), "text", "psst");
      String ts = sent.getString("message_ts");
      JsonObject event = sb.await(e -> "psst".equals(e.getString("text")));
      assertEquals(true, event.getBoolean("is_ephemeral"));
      assertEquals(room, event.getString("channel"));
      assertEquals(a.id(), event.getString("user"));
      assertEquals(ts, event.getString("ts"));
      // c's next event proves the ephemeral one never came: it would have arrived first.
      api.ok("chat.postMessage", a.token(), "channel", room, "text", "public");
      sc.await(e -> "public".equals(e.getString("text")));
      assertTrue(sc.matching(e -> "psst".equals(e.getString("text"))).isEmpty());
    }
    assertEquals("user_not_in_channel", error(api.call("chat.postEphemeral", a.token(), "channel", room,
        "user", outsider.id(), "text", "x")));
    assertEquals("no_text", error(api.call("chat.postEphemeral", a.token(), "channel", room, "user", b.id())));
    assertEquals(1, posted(a, room, 2).size());
  }

  @Test
  @DisplayName("chat.meMessage posts a me_message that members receive and history keeps")
  void meMessage() {
    TestUser a = user("a");
    TestUser b = user("b");
    String room = channel(a, b);
    try (RtmClient sb = connect(b)) {
      JsonObject sent = api.ok("chat.meMessage", a.token(), "channel", room, "text", "waves");
      assertEquals(room, sent.getString("channel"));
      JsonObject event = sb.await(e -> "me_message".equals(e.getString("subtype")));
      assertEquals("waves", event.getString("text"));
      assertEquals(sent.getString("ts"), event.getString("ts"));
    }
    assertEquals("me_message", api.ok("conversations.history", a.token(), "channel", room)
        .getJsonArray("messages").getJsonObject(0).getString("subtype"));
    assertEquals("no_text", error(api.call("chat.meMessage", a.token(), "channel", room)));
  }

  @Test
  @DisplayName("chat.getPermalink answers Slack's archives/<channel>/p<ts> form, with thread_ts for replies")
  void permalink() {
    TestUser a = user("a");
    TestUser outsider = user("out");
    String room = channel(a);
    String secret = api.createChannel(a, "perm-secret-" + names.incrementAndGet(), true);
    String ts = api.ok("chat.postMessage", a.token(), "channel", room, "text", "link me").getString("ts");
    JsonObject link = api.ok("chat.getPermalink", a.token(), "channel", room, "message_ts", ts);
    assertEquals(room, link.getString("channel"));
    assertTrue(link.getString("permalink").endsWith("/archives/" + room + "/p" + ts.replace(".", "")),
        link.getString("permalink"));
    assertTrue(link.getString("permalink").startsWith("http://127.0.0.1:" + api.port() + "/"));
    String reply = api.ok("chat.postMessage", a.token(), "channel", room, "text", "r", "thread_ts", ts)
        .getString("ts");
    assertTrue(api.ok("chat.getPermalink", a.token(), "channel", room, "message_ts", reply)
        .getString("permalink").endsWith("?thread_ts=" + ts + "&cid=" + room));
    assertEquals("message_not_found", error(api.call("chat.getPermalink", a.token(), "channel", room,
        "message_ts", "1.000001")));
    assertEquals("channel_not_found", error(api.call("chat.getPermalink", outsider.token(), "channel", secret,
        "message_ts", ts)));
    for (String method : List.of("chat.postMessage", "chat.update", "chat.delete", "chat.postEphemeral",
        "chat.meMessage", "chat.getPermalink")) {
      assertEquals("not_authed", error(api.call(method, null, "channel", room)), method);
    }
  }
}
