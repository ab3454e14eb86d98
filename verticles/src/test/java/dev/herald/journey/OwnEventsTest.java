package dev.herald.journey;

import static dev.herald.testing.Audience.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.OneHerald;
import dev.herald.testing.Audience;
import dev.herald.testing.RtmClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Events published on users' own channels: a group DM's members hear of it, a reader's sockets of a read marker. */
class OwnEventsTest extends OneHerald {

  @Test
  @DisplayName("Opening a group DM sends mpim_joined to each of its members' sockets once, and to nobody else")
  void mpimJoined() {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser c = user("c");
    TestUser o = user("o");
    String lobby = channel(a, b, c, o);
    try (RtmClient sa = connect(a); RtmClient sb = connect(b); RtmClient sb2 = connect(b); RtmClient sc = connect(c);
        RtmClient so = connect(o)) {
      String mpim = api.ok("conversations.open", a.token(), "users", b.id() + "," + c.id())
          .getJsonObject("channel").getString("id");
      JsonObject joined = Audience.check(type("mpim_joined", mpim), List.of(sa, sb, sb2, sc), List.of(so),
          sentinel(a, lobby));
      JsonObject channel = joined.getJsonObject("channel");
      assertEquals(true, channel.getBoolean("is_mpim"), channel.encode());
      // The members' sockets receive the group DM at once; the outsider does not.
      api.ok("chat.postMessage", c.token(), "channel", mpim, "text", "all three");
      Audience.check(RtmClient.messageIn(mpim), List.of(sa, sb, sb2, sc), List.of(so), sentinel(a, lobby));
      // Opening it again announces nothing new.
      assertEquals(true, api.ok("conversations.open", b.token(), "users", a.id() + "," + c.id())
          .getBoolean("already_open"));
      Audience.check(type("mpim_joined", mpim), List.of(sa, sb, sb2, sc), List.of(so), sentinel(a, lobby));
      // Slack posts no channel_join into DMs: the only message is the one posted.
      JsonArray history = api.ok("conversations.history", a.token(), "channel", mpim).getJsonArray("messages");
      assertEquals(1, history.size(), history.encode());
      assertEquals("all three", history.getJsonObject(0).getString("text"));
    }
  }

  @Test
  @DisplayName("conversations.mark tells only the reader's own sockets, both of them: channel_, group_ and im_marked")
  void marked() {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser o = user("o");
    String lobby = channel(a, b, o);
    String room = api.createChannel(a, "room-" + names.incrementAndGet(), false);
    api.ok("conversations.join", b.token(), "channel", room);
    String group = api.createChannel(a, "secret-" + names.incrementAndGet(), true);
    api.ok("conversations.invite", a.token(), "channel", group, "users", b.id());
    String dm = api.ok("conversations.open", a.token(), "users", b.id()).getJsonObject("channel").getString("id");
    try (RtmClient sa = connect(a); RtmClient sa2 = connect(a); RtmClient sb = connect(b); RtmClient so = connect(o)) {
      for (String[] kind : List.of(new String[] {"channel_marked", room}, new String[] {"group_marked", group},
          new String[] {"im_marked", dm})) {
        String type = kind[0];
        String channel = kind[1];
        String ts = api.ok("chat.postMessage", b.token(), "channel", channel, "text", "read me").getString("ts");
        api.ok("conversations.mark", a.token(), "channel", channel, "ts", ts);
        JsonObject marked = Audience.check(type(type, channel), List.of(sa, sa2), List.of(sb, so),
            sentinel(a, lobby));
        assertEquals(ts, marked.getString("ts"), type);
        assertEquals(0, marked.getInteger("unread_count"), type);
        assertTrue(marked.containsKey("event_ts"), type);
        assertEquals(Set.of(), Set.copyOf(sb.matching(e -> e.getString("type", "").endsWith("_marked"))),
            "the other member hears of no read marker");
      }
    }
  }
}
