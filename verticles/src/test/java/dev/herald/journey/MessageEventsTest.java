package dev.herald.journey;

import static dev.herald.testing.Audience.subtype;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.OneHerald;
import dev.herald.testing.Audience;
import dev.herald.testing.RtmClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Who receives each kind of message event, over real sockets: the channel's members, once; nobody else. */
class MessageEventsTest extends OneHerald {

  /** a and b in {@code room}; everyone, the outsider o included, in the lobby. */
  private record Room(TestUser a, TestUser b, TestUser o, String room, String lobby) {}

  private static Room room(boolean isPrivate) {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser o = user("o");
    String lobby = api.createChannel(a, "lobby-" + names.incrementAndGet(), false);
    api.ok("conversations.join", b.token(), "channel", lobby);
    api.ok("conversations.join", o.token(), "channel", lobby);
    String room = api.createChannel(a, "room-" + names.incrementAndGet(), isPrivate);
    if (isPrivate) {
      api.ok("conversations.invite", a.token(), "channel", room, "users", b.id());
    } else {
      api.ok("conversations.join", b.token(), "channel", room);
    }
    return new Room(a, b, o, room, lobby);
  }

  @Test
  @DisplayName("Edits and deletions reach the members once as hidden message_changed and message_deleted")
  void changedAndDeleted() {
    Room r = room(false);
    try (RtmClient sa = connect(r.a()); RtmClient sb = connect(r.b()); RtmClient so = connect(r.o())) {
      String ts = api.ok("chat.postMessage", r.a().token(), "channel", r.room(), "text", "draft").getString("ts");
      api.ok("chat.update", r.a().token(), "channel", r.room(), "ts", ts, "text", "final");
      JsonObject changed = Audience.check(subtype("message_changed", r.room()), List.of(sa, sb), List.of(so),
          sentinel(r.a(), r.lobby()));
      assertEquals(true, changed.getBoolean("hidden"));
      assertEquals("final", changed.getJsonObject("message").getString("text"));
      assertEquals(r.a().id(), changed.getJsonObject("message").getJsonObject("edited").getString("user"));
      assertEquals("draft", changed.getJsonObject("previous_message").getString("text"));
      api.ok("chat.delete", r.a().token(), "channel", r.room(), "ts", ts);
      JsonObject deleted = Audience.check(subtype("message_deleted", r.room()), List.of(sa, sb), List.of(so),
          sentinel(r.a(), r.lobby()));
      assertEquals(ts, deleted.getString("deleted_ts"));
      assertEquals("final", deleted.getJsonObject("previous_message").getString("text"));
    }
  }

  @Test
  @DisplayName("A thread reply reaches the members once with thread_ts, followed by message_replied with the summary")
  void threadReplies() {
    Room r = room(false);
    try (RtmClient sa = connect(r.a()); RtmClient sb = connect(r.b()); RtmClient so = connect(r.o())) {
      String parent = api.ok("chat.postMessage", r.a().token(), "channel", r.room(), "text", "parent")
          .getString("ts");
      api.ok("chat.postMessage", r.b().token(), "channel", r.room(), "text", "reply", "thread_ts", parent);
      JsonObject reply = Audience.check(e -> "reply".equals(e.getString("text")), List.of(sa, sb), List.of(so),
          sentinel(r.a(), r.lobby()));
      assertEquals(parent, reply.getString("thread_ts"));
      assertEquals(r.a().id(), reply.getString("parent_user_id"));
      assertNull(reply.getString("subtype"));
      JsonObject replied = Audience.check(subtype("message_replied", r.room()), List.of(sa, sb), List.of(so),
          sentinel(r.a(), r.lobby()));
      assertEquals(1, replied.getJsonObject("message").getInteger("reply_count"));
      assertEquals(parent, replied.getJsonObject("message").getString("ts"));
      api.ok("chat.postMessage", r.b().token(), "channel", r.room(), "text", "loud", "thread_ts", parent,
          "reply_broadcast", "true");
      JsonObject broadcast = Audience.check(subtype("thread_broadcast", r.room()), List.of(sa, sb), List.of(so),
          sentinel(r.a(), r.lobby()));
      assertEquals("parent", broadcast.getJsonObject("root").getString("text"));
    }
  }

  @Test
  @DisplayName("me_message, channel_topic and channel_purpose messages reach the members once")
  void subtypedMessages() {
    Room r = room(false);
    try (RtmClient sa = connect(r.a()); RtmClient sb = connect(r.b()); RtmClient so = connect(r.o())) {
      api.ok("chat.meMessage", r.a().token(), "channel", r.room(), "text", "waves");
      JsonObject me = Audience.check(subtype("me_message", r.room()), List.of(sa, sb), List.of(so),
          sentinel(r.a(), r.lobby()));
      assertEquals("waves", me.getString("text"));
      api.ok("conversations.setTopic", r.a().token(), "channel", r.room(), "topic", "plans");
      JsonObject topic = Audience.check(subtype("channel_topic", r.room()), List.of(sa, sb), List.of(so),
          sentinel(r.a(), r.lobby()));
      assertEquals("plans", topic.getString("topic"));
      api.ok("conversations.setPurpose", r.a().token(), "channel", r.room(), "purpose", "why");
      JsonObject purpose = Audience.check(subtype("channel_purpose", r.room()), List.of(sa, sb), List.of(so),
          sentinel(r.a(), r.lobby()));
      assertEquals("why", purpose.getString("purpose"));
    }
  }

  @Test
  @DisplayName("A bot user's message carries bot_id and reaches the members once")
  void botMessage() {
    Room r = room(false);
    JsonObject registered = api.ok("users.register", null, "name", "bot-x" + names.incrementAndGet(),
        "is_bot", "true");
    TestUser bot = new TestUser(registered.getJsonObject("user").getString("id"), "bot", registered.getString("token"));
    api.ok("conversations.join", bot.token(), "channel", r.room());
    try (RtmClient sa = connect(r.a()); RtmClient sb = connect(r.b()); RtmClient so = connect(r.o())) {
      api.ok("chat.postMessage", bot.token(), "channel", r.room(), "text", "beep");
      JsonObject m = Audience.check(e -> "beep".equals(e.getString("text")), List.of(sa, sb), List.of(so),
          sentinel(r.a(), r.lobby()));
      assertEquals(bot.id(), m.getString("user"));
      assertTrue(m.getString("bot_id", "").startsWith("B"), "bot_id: " + m);
    }
  }

  @Test
  @DisplayName("Messages of a private channel and of a DM reach their members only")
  void privateAndDirect() {
    Room r = room(true);
    try (RtmClient sa = connect(r.a()); RtmClient sb = connect(r.b()); RtmClient so = connect(r.o())) {
      api.ok("chat.postMessage", r.a().token(), "channel", r.room(), "text", "secret");
      JsonObject m = Audience.check(e -> "secret".equals(e.getString("text")), List.of(sa, sb), List.of(so),
          sentinel(r.a(), r.lobby()));
      assertEquals("group", m.getString("channel_type"));
      String dm = api.ok("conversations.open", r.a().token(), "users", r.b().id())
          .getJsonObject("channel").getString("id");
      Audience.check(Audience.type("im_created", dm), List.of(sa, sb), List.of(so), sentinel(r.a(), r.lobby()));
      api.ok("chat.postMessage", r.b().token(), "channel", dm, "text", "psst");
      JsonObject direct = Audience.check(e -> "psst".equals(e.getString("text")), List.of(sa, sb), List.of(so),
          sentinel(r.a(), r.lobby()));
      assertEquals("im", direct.getString("channel_type"));
    }
  }
}
