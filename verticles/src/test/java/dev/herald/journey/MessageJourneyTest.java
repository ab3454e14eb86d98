package dev.herald.journey;

import static dev.herald.testing.RtmClient.messageIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.HeraldFixture;
import dev.herald.testing.RtmClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The message journey through all four roles, driven by real HTTP and websocket clients on loopback. */
class MessageJourneyTest {
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

  private static String channel(TestUser owner, TestUser... members) {
    String id = api.createChannel(owner, "room-" + names.incrementAndGet(), false);
    for (TestUser member : members) {
      api.ok("conversations.join", member.token(), "channel", id);
    }
    return id;
  }

  private static RtmClient connect(TestUser user) {
    return RtmClient.connect(herald.vertx(), api, user.token());
  }

  @Test
  @DisplayName("a message posted over HTTP reaches each member's socket exactly once and no non-member's")
  void httpPostReachesMembersOnly() {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser c = user("c");
    TestUser d = user("d");
    String room = channel(a, b, c);
    String elsewhere = channel(d);
    try (RtmClient sa = connect(a); RtmClient sb = connect(b); RtmClient sc = connect(c); RtmClient sd = connect(d)) {
      JsonObject posted = api.ok("chat.postMessage", a.token(), "channel", room, "text", "hello members");
      String ts = posted.getString("ts");

      for (RtmClient member : List.of(sa, sb, sc)) {
        JsonObject event = member.await(messageIn(room));
        assertEquals("hello members", event.getString("text"));
        assertEquals(a.id(), event.getString("user"));
        assertEquals(ts, event.getString("ts"));
        assertEquals("channel", event.getString("channel_type"));
      }
      // D's next event is a message in D's own channel, posted after the first: had D been sent the first, it
      // would have arrived before this one.
      api.ok("chat.postMessage", d.token(), "channel", elsewhere, "text", "sentinel");
      sd.await(messageIn(elsewhere));
      assertTrue(sd.matching(messageIn(room)).isEmpty(), "a non-member received a channel message");
      // Exactly once: a later message in the room arrives, and the first is still there only once.
      api.ok("chat.postMessage", a.token(), "channel", room, "text", "second");
      for (RtmClient member : List.of(sb, sc)) {
        member.await(e -> "second".equals(e.getString("text")));
        assertEquals(1, member.matching(e -> ts.equals(e.getString("ts"))).size());
      }
    }
  }

  @Test
  @DisplayName("a message sent over RTM is acknowledged with its ts and reaches the other members")
  void rtmPostIsAcknowledgedAndDelivered() {
    TestUser a = user("a");
    TestUser b = user("b");
    String room = channel(a, b);
    try (RtmClient sa = connect(a); RtmClient sb = connect(b)) {
      int id = sa.send(new JsonObject().put("type", "message").put("channel", room).put("text", "over rtm"));
      JsonObject reply = sa.awaitReply(id);
      assertEquals(true, reply.getBoolean("ok"), reply.encode());
      assertEquals("over rtm", reply.getString("text"));
      assertTrue(reply.getValue("reply_to") instanceof Number, "reply_to must be a JSON number");
      JsonObject event = sb.await(messageIn(room));
      assertEquals(reply.getString("ts"), event.getString("ts"));
      assertEquals("over rtm", event.getString("text"));
    }
  }

  @Test
  @DisplayName("every member sees concurrent posts from several senders in the same order, the order of their ts")
  void concurrentPostsKeepOneOrder() throws Exception {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser c = user("c");
    String room = channel(a, b, c);
    int perSender = 40;
    try (RtmClient sb = connect(b); RtmClient sc = connect(c)) {
      ExecutorService pool = Executors.newFixedThreadPool(3);
      List<Future<?>> senders = new ArrayList<>();
      for (TestUser sender : List.of(a, b, c)) {
        senders.add(pool.submit(() -> {
          for (int i = 0; i < perSender; i++) {
            api.ok("chat.postMessage", sender.token(), "channel", room, "text", sender.name() + " " + i);
          }
        }));
      }
      for (Future<?> sender : senders) {
        sender.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      int total = 3 * perSender;
      List<String> seenByB = tsOf(sb.awaitCount(messageIn(room), total));
      List<String> seenByC = tsOf(sc.awaitCount(messageIn(room), total));
      assertEquals(total, seenByB.size());
      assertEquals(seenByB, seenByC, "two members saw different orders");
      for (int i = 1; i < seenByB.size(); i++) {
        assertTrue(seenByB.get(i - 1).compareTo(seenByB.get(i)) < 0,
            "delivery order is not ts order at " + i + ": " + seenByB.get(i - 1) + " then " + seenByB.get(i));
      }
    }
  }

  private static List<String> tsOf(List<JsonObject> events) {
    List<String> ts = new ArrayList<>();
    for (JsonObject e : events) {
      ts.add(e.getString("ts"));
    }
    return ts;
  }

  @Test
  @DisplayName("a non-member gets not_in_channel on post and on history")
  void nonMemberIsRefused() {
    TestUser a = user("a");
    TestUser outsider = user("outsider");
    String room = channel(a);
    assertEquals("not_in_channel",
        api.call("chat.postMessage", outsider.token(), "channel", room, "text", "let me in").getString("error"));
    assertEquals("not_in_channel",
        api.call("conversations.history", outsider.token(), "channel", room).getString("error"));
    assertEquals(0, api.ok("conversations.history", a.token(), "channel", room)
        .getJsonArray("messages").size(), "the refused post was stored");
  }

  @Test
  @DisplayName("a private channel does not exist for a non-member")
  void privateChannelIsInvisible() {
    TestUser a = user("a");
    TestUser outsider = user("outsider");
    String secret = api.createChannel(a, "secret-" + names.incrementAndGet(), true);
    assertTrue(secret.startsWith("G"));
    for (String method : List.of("chat.postMessage", "conversations.history", "conversations.info",
        "conversations.members", "conversations.join")) {
      assertEquals("channel_not_found",
          api.call(method, outsider.token(), "channel", secret, "text", "x").getString("error"), method);
    }
    boolean listed = api.ok("conversations.list", outsider.token(), "types", "public_channel,private_channel")
        .getJsonArray("channels").stream().anyMatch(ch -> secret.equals(((JsonObject) ch).getString("id")));
    assertFalse(listed, "a private channel was listed to a non-member");
  }

  @Test
  @DisplayName("a bad token gets invalid_auth and no token gets not_authed")
  void badTokens() {
    assertEquals("invalid_auth", api.call("auth.test", "xoxp-not-a-real-token").getString("error"));
    assertEquals("not_authed", api.call("auth.test", null).getString("error"));
    assertEquals("invalid_auth",
        api.call("chat.postMessage", "xoxp-nope", "channel", "C123", "text", "x").getString("error"));
  }

  @Test
  @DisplayName("a revoked token stops working at once; test=true revokes nothing")
  void revokedTokens() {
    TestUser a = user("a");
    assertEquals(false, api.ok("auth.revoke", a.token(), "test", "true").getBoolean("revoked"));
    api.ok("auth.test", a.token());
    assertEquals(true, api.ok("auth.revoke", a.token()).getBoolean("revoked"));
    assertEquals("invalid_auth", api.call("auth.test", a.token()).getString("error"));
    assertEquals("invalid_auth", api.call("rtm.connect", a.token()).getString("error"));
  }

  @Test
  @DisplayName("a user who joins while connected receives the channel's next message on the same socket; after leaving, nothing")
  void joinAndLeaveWhileConnected() {
    TestUser a = user("a");
    TestUser b = user("b");
    String room = channel(a);
    String other = channel(a, b);
    try (RtmClient sb = connect(b)) {
      api.ok("conversations.join", b.token(), "channel", room);
      sb.await(e -> "channel_joined".equals(e.getString("type"))
          && room.equals(e.getJsonObject("channel").getString("id")));
      api.ok("chat.postMessage", a.token(), "channel", room, "text", "welcome");
      assertEquals("welcome", sb.await(messageIn(room)).getString("text"));

      api.ok("conversations.leave", b.token(), "channel", room);
      sb.await(e -> "channel_left".equals(e.getString("type")) && room.equals(e.getString("channel")));
      api.ok("chat.postMessage", a.token(), "channel", room, "text", "after you left");
      // A later message in a channel B is still in proves the earlier one had its chance to arrive.
      api.ok("chat.postMessage", a.token(), "channel", other, "text", "still here");
      sb.await(e -> "still here".equals(e.getString("text")));
      assertTrue(sb.matching(e -> "after you left".equals(e.getString("text"))).isEmpty(),
          "a user who left still received the channel's messages");
    }
  }

  @Test
  @DisplayName("an invited user's open socket starts receiving the channel")
  void inviteWhileConnected() {
    TestUser a = user("a");
    TestUser b = user("b");
    String room = channel(a);
    try (RtmClient sb = connect(b)) {
      api.ok("conversations.invite", a.token(), "channel", room, "users", b.id());
      sb.await(e -> "channel_joined".equals(e.getString("type")));
      api.ok("chat.postMessage", a.token(), "channel", room, "text", "you are in");
      assertEquals("you are in", sb.await(messageIn(room)).getString("text"));
    }
  }

  @Test
  @DisplayName("a socket URL works once: a reused ticket gets Slack's 'Socket URL has expired' and a close")
  void ticketsAreSingleUse() {
    TestUser a = user("a");
    String url = api.ok("rtm.connect", a.token()).getString("url");
    try (RtmClient first = RtmClient.open(herald.vertx(), url)) {
      first.await(e -> "hello".equals(e.getString("type")));
      try (RtmClient second = RtmClient.open(herald.vertx(), url)) {
        JsonObject error = second.await(e -> "error".equals(e.getString("type")));
        assertEquals(1, error.getJsonObject("error").getInteger("code"));
        assertEquals("Socket URL has expired", error.getJsonObject("error").getString("msg"));
        assertEquals(1008, second.awaitClose());
      }
    }
  }

  @Test
  @DisplayName("ping gets a pong with a numeric reply_to that echoes the ping's other fields")
  void pingPong() {
    TestUser a = user("a");
    try (RtmClient sa = connect(a)) {
      int id = sa.send(new JsonObject().put("type", "ping").put("time", 1234));
      JsonObject pong = sa.awaitReply(id);
      assertEquals("pong", pong.getString("type"));
      assertEquals(1234, pong.getInteger("time"));
    }
  }

  @Test
  @DisplayName("malformed frames get error replies and the socket keeps working")
  void malformedFramesAreAnswered() {
    TestUser a = user("a");
    String room = channel(a);
    try (RtmClient sa = connect(a)) {
      sa.sendRaw("{not json");
      sa.await(e -> "error".equals(e.getString("type")));
      int unknown = sa.send(new JsonObject().put("type", "teleport"));
      assertEquals(false, sa.awaitReply(unknown).getBoolean("ok"));
      int notMember = sa.send(new JsonObject().put("type", "message").put("channel", "CNOPE").put("text", "x"));
      JsonObject refused = sa.awaitReply(notMember);
      assertEquals(false, refused.getBoolean("ok"));
      assertTrue(refused.getJsonObject("error").getString("msg").length() > 0);
      int ping = sa.send(new JsonObject().put("type", "ping"));
      assertEquals("pong", sa.awaitReply(ping).getString("type"));
      int ok = sa.send(new JsonObject().put("type", "message").put("channel", room).put("text", "still fine"));
      assertEquals(true, sa.awaitReply(ok).getBoolean("ok"));
    }
  }

  @Test
  @DisplayName("frames over 16 KB get an error and a close with a reason")
  void oversizedFramesAreRefused() {
    TestUser a = user("a");
    try (RtmClient sa = connect(a)) {
      sa.sendRaw(new JsonObject().put("type", "message").put("text", "x".repeat(17_000)).encode());
      sa.await(e -> "error".equals(e.getString("type")));
      assertEquals(1009, sa.awaitClose());
      assertFalse(sa.closeReason().isEmpty());
    }
  }
}
