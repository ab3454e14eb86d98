package dev.herald.journey;

import static dev.herald.testing.Audience.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.shared.bus.ChannelEvent;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.OneHerald;
import dev.herald.testing.Audience;
import dev.herald.testing.RtmClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Who receives joins, leaves, kicks and channel lifecycle events, over real sockets. */
class MembershipEventsTest extends OneHerald {
  /** A user whose channel_left the bus holds back, so that only member_left_channel can stop the deliveries. */
  private static volatile String holdChannelLeftOf;
  private static final List<io.vertx.core.eventbus.DeliveryContext<Object>> held = new CopyOnWriteArrayList<>();

  /** Runs after {@link OneHerald} has started the class's Herald. */
  @BeforeAll
  static void holdBackChannelLeft() {
    herald.vertx().eventBus().addOutboundInterceptor(ctx -> {
      if (ctx.message().body() instanceof ChannelEvent e && "channel_left".equals(e.type())
          && e.channelId().equals(holdChannelLeftOf)) {
        held.add(ctx);
        return;
      }
      ctx.next();
    });
  }

  @Test
  @DisplayName("A join tells the members with member_joined_channel and only the joiner's sockets with channel_joined")
  void join() {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser o = user("o");
    String lobby = channel(a, b, o);
    String room = api.createChannel(a, "room-" + names.incrementAndGet(), false);
    try (RtmClient sa = connect(a); RtmClient sb = connect(b); RtmClient sb2 = connect(b); RtmClient so = connect(o)) {
      api.ok("conversations.join", b.token(), "channel", room);
      JsonObject joined = Audience.check(type("member_joined_channel", room), List.of(sa), List.of(so),
          sentinel(a, lobby));
      assertEquals(b.id(), joined.getString("user"));
      assertEquals("C", joined.getString("channel_type"));
      assertTrue(joined.containsKey("team"));
      JsonObject own = Audience.check(type("channel_joined", room), List.of(sb, sb2), List.of(sa, so),
          sentinel(a, lobby));
      assertEquals(room, own.getJsonObject("channel").getString("id"));
      // Both of b's sockets receive the channel at once; the outsider still does not.
      api.ok("chat.postMessage", a.token(), "channel", room, "text", "welcome");
      Audience.check(RtmClient.messageIn(room), List.of(sa, sb, sb2), List.of(so), sentinel(a, lobby));
    }
  }

  @Test
  @DisplayName("A leave tells the remaining members, channel_left goes to the leaver only, and nothing follows it")
  void leave() {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser o = user("o");
    String lobby = channel(a, b, o);
    String room = api.createChannel(a, "room-" + names.incrementAndGet(), false);
    api.ok("conversations.join", b.token(), "channel", room);
    try (RtmClient sa = connect(a); RtmClient sb = connect(b); RtmClient so = connect(o)) {
      api.ok("conversations.leave", b.token(), "channel", room);
      JsonObject left = Audience.check(type("member_left_channel", room), List.of(sa), List.of(sb, so),
          sentinel(a, lobby));
      assertEquals(b.id(), left.getString("user"));
      JsonObject own = Audience.check(type("channel_left", room), List.of(sb), List.of(sa, so), sentinel(a, lobby));
      assertEquals(b.id(), own.getString("actor_id"));
      api.ok("chat.postMessage", a.token(), "channel", room, "text", "after leaving");
      Audience.check(RtmClient.messageIn(room), List.of(sa), List.of(sb, so), sentinel(a, lobby));
    }
  }

  @Test
  @DisplayName("A kicked user receives nothing from the channel sequenced after the kick, even events already in flight")
  void kickWhileConnected() throws Exception {
    TestUser a = user("a");
    TestUser b = user("b");
    String lobby = channel(a, b);
    String room = api.createChannel(a, "room-" + names.incrementAndGet(), false);
    api.ok("conversations.join", b.token(), "channel", room);
    try (RtmClient sa = connect(a); RtmClient sb = connect(b)) {
      api.ok("chat.postMessage", a.token(), "channel", room, "text", "before kick");
      sb.await(RtmClient.messageIn(room).and(e -> "before kick".equals(e.getString("text"))));
      // Messages posted while the kick happens, from another thread: some are sequenced before it, some after.
      CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> {
        for (int i = 0; i < 30; i++) {
          api.ok("chat.postMessage", a.token(), "channel", room, "text", "burst " + i);
        }
      });
      // b's channel_left is held on the bus until the end: only member_left_channel, in order with the channel's
      // own events, can stop what follows the kick from reaching b.
      holdChannelLeftOf = b.id();
      api.ok("conversations.kick", a.token(), "channel", room, "user", b.id());
      for (int i = 0; i < 5; i++) {
        api.ok("chat.postMessage", a.token(), "channel", room, "text", "after kick " + i);
      }
      burst.get();
      sa.awaitCount(RtmClient.messageIn(room).and(e -> e.getString("text", "").startsWith("after kick")), 5);
      sa.awaitCount(RtmClient.messageIn(room).and(e -> e.getString("text", "").startsWith("burst")), 30);
      long kickSeq = sa.await(type("member_left_channel", room)).getLong("seq");
      Predicate<JsonObject> after = sentinel(a, lobby).get();
      sb.await(after);
      assertEquals(1, held.size(), "channel_left was held");
      List<JsonObject> fromRoom = sb.matching(e -> room.equals(e.getString("channel")));
      for (JsonObject f : fromRoom) {
        assertTrue(f.getLong("seq") < kickSeq, "only events sequenced before the kick: " + f);
      }
    } finally {
      holdChannelLeftOf = null;
      held.clear();
    }
  }

  /** The channel's history entry for a membership notice: a real message with its subtype, ts, user and text. */
  private static JsonObject inHistory(TestUser reader, String channel, String subtype, String ts) {
    for (Object o : api.ok("conversations.history", reader.token(), "channel", channel).getJsonArray("messages")) {
      JsonObject m = (JsonObject) o;
      if (ts.equals(m.getString("ts"))) {
        assertEquals(subtype, m.getString("subtype"), m.encode());
        return m;
      }
    }
    throw new AssertionError("no " + subtype + " at " + ts + " in the history of " + channel);
  }

  @Test
  @DisplayName("A join posts channel_join into the channel: to every member's socket once, the joiner's too, not others")
  void channelJoinMessage() {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser o = user("o");
    String lobby = channel(a, b, o);
    String room = api.createChannel(a, "room-" + names.incrementAndGet(), false);
    try (RtmClient sa = connect(a); RtmClient sb = connect(b); RtmClient sb2 = connect(b); RtmClient so = connect(o)) {
      api.ok("conversations.join", b.token(), "channel", room);
      JsonObject join = Audience.check(Audience.subtype("channel_join", room), List.of(sa, sb, sb2), List.of(so),
          sentinel(a, lobby));
      assertEquals(b.id(), join.getString("user"));
      assertEquals("<@" + b.id() + "> has joined the channel", join.getString("text"));
      assertEquals("channel", join.getString("channel_type"));
      assertEquals(join.getString("ts"), join.getString("event_ts"));
      assertEquals(null, join.getString("inviter"));
      JsonObject stored = inHistory(a, room, "channel_join", join.getString("ts"));
      assertEquals(b.id(), stored.getString("user"));
      assertEquals(join.getString("text"), stored.getString("text"));
      // Slack posts none for the creator: the only notice in the room's history is b's.
      assertEquals(1, api.ok("conversations.history", a.token(), "channel", room).getJsonArray("messages").size());
    }
  }

  @Test
  @DisplayName("An invite posts channel_join with the inviter, to the members of the private channel only")
  void channelJoinByInvite() {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser c = user("c");
    TestUser o = user("o");
    String lobby = channel(a, b, c, o);
    String group = api.createChannel(a, "secret-" + names.incrementAndGet(), true);
    api.ok("conversations.invite", a.token(), "channel", group, "users", c.id());
    try (RtmClient sa = connect(a); RtmClient sb = connect(b); RtmClient sc = connect(c); RtmClient so = connect(o)) {
      api.ok("conversations.invite", a.token(), "channel", group, "users", b.id());
      Predicate<JsonObject> bJoined = Audience.subtype("channel_join", group).and(e -> b.id().equals(e.getString("user")));
      JsonObject join = Audience.check(bJoined, List.of(sa, sb, sc), List.of(so), sentinel(a, lobby));
      assertEquals(a.id(), join.getString("inviter"));
      assertEquals("group", join.getString("channel_type"));
      assertEquals(a.id(), inHistory(c, group, "channel_join", join.getString("ts")).getString("inviter"));
    }
  }

  @Test
  @DisplayName("A leave or a kick posts channel_leave to the remaining members, never to the leaver or outsiders")
  void channelLeaveMessage() {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser c = user("c");
    TestUser o = user("o");
    String lobby = channel(a, b, c, o);
    String room = api.createChannel(a, "room-" + names.incrementAndGet(), false);
    api.ok("conversations.join", b.token(), "channel", room);
    api.ok("conversations.join", c.token(), "channel", room);
    try (RtmClient sa = connect(a); RtmClient sb = connect(b); RtmClient sc = connect(c); RtmClient so = connect(o)) {
      api.ok("conversations.leave", b.token(), "channel", room);
      Predicate<JsonObject> bLeft = Audience.subtype("channel_leave", room).and(e -> b.id().equals(e.getString("user")));
      JsonObject leave = Audience.check(bLeft, List.of(sa, sc), List.of(sb, so), sentinel(a, lobby));
      assertEquals("<@" + b.id() + "> has left the channel", leave.getString("text"));
      assertEquals(b.id(), inHistory(a, room, "channel_leave", leave.getString("ts")).getString("user"));
      api.ok("conversations.kick", a.token(), "channel", room, "user", c.id());
      Predicate<JsonObject> cLeft = Audience.subtype("channel_leave", room).and(e -> c.id().equals(e.getString("user")));
      JsonObject kicked = Audience.check(cLeft, List.of(sa), List.of(sb, sc, so), sentinel(a, lobby));
      assertEquals("<@" + c.id() + "> has left the channel", kicked.getString("text"));
      api.ok("chat.postMessage", a.token(), "channel", room, "text", "alone now");
      Audience.check(RtmClient.messageIn(room), List.of(sa), List.of(sb, sc, so), sentinel(a, lobby));
    }
  }

  @Test
  @DisplayName("Private channels: group_joined to the invitee only, membership events to members, nothing to the team")
  void privateChannel() {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser o = user("o");
    String lobby = channel(a, b, o);
    try (RtmClient sa = connect(a); RtmClient sb = connect(b); RtmClient so = connect(o)) {
      String group = api.createChannel(a, "secret-" + names.incrementAndGet(), true);
      Audience.check(type("group_joined", group), List.of(sa), List.of(sb, so), sentinel(a, lobby));
      assertEquals(List.of(), so.matching(type("channel_created", group)));
      api.ok("conversations.invite", a.token(), "channel", group, "users", b.id());
      JsonObject joined = Audience.check(type("member_joined_channel", group), List.of(sa), List.of(so),
          sentinel(a, lobby));
      assertEquals("G", joined.getString("channel_type"));
      assertEquals(a.id(), joined.getString("inviter"));
      // a already has the one from creating it.
      Audience.check(type("group_joined", group), List.of(sb), List.of(so), sentinel(a, lobby));
      api.ok("conversations.rename", a.token(), "channel", group, "name", "renamed-" + names.incrementAndGet());
      Audience.check(type("group_rename", group), List.of(sa, sb), List.of(so), sentinel(a, lobby));
      Audience.check(Audience.subtype("channel_name", group), List.of(sa, sb), List.of(so), sentinel(a, lobby));
      api.ok("conversations.archive", a.token(), "channel", group);
      Audience.check(type("group_archive", group), List.of(sa, sb), List.of(so), sentinel(a, lobby));
      api.ok("conversations.unarchive", a.token(), "channel", group);
      Audience.check(type("group_unarchive", group), List.of(sa, sb), List.of(so), sentinel(a, lobby));
    }
  }

  @Test
  @DisplayName("Public channel lifecycle events go to the whole team, members or not, once each")
  void publicLifecycle() {
    TestUser a = user("a");
    TestUser o = user("o");
    String lobby = channel(a, o);
    try (RtmClient sa = connect(a); RtmClient so = connect(o)) {
      String room = api.createChannel(a, "room-" + names.incrementAndGet(), false);
      JsonObject created = Audience.check(type("channel_created", room), List.of(sa, so), List.of(),
          sentinel(a, lobby));
      assertEquals(a.id(), created.getJsonObject("channel").getString("creator"));
      Audience.check(type("channel_joined", room), List.of(sa), List.of(so), sentinel(a, lobby));
      String name = "renamed-" + names.incrementAndGet();
      api.ok("conversations.rename", a.token(), "channel", room, "name", name);
      JsonObject renamed = Audience.check(type("channel_rename", room), List.of(sa, so), List.of(),
          sentinel(a, lobby));
      assertEquals(name, renamed.getJsonObject("channel").getString("name"));
      // The channel_name message is a message of the channel: members only.
      Audience.check(Audience.subtype("channel_name", room), List.of(sa), List.of(so), sentinel(a, lobby));
      api.ok("conversations.archive", a.token(), "channel", room);
      JsonObject archived = Audience.check(type("channel_archive", room), List.of(sa, so), List.of(),
          sentinel(a, lobby));
      assertEquals(a.id(), archived.getString("user"));
      api.ok("conversations.unarchive", a.token(), "channel", room);
      Audience.check(type("channel_unarchive", room), List.of(sa, so), List.of(), sentinel(a, lobby));
    }
  }
}
