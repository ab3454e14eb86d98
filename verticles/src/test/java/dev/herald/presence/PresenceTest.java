package dev.herald.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.HeraldFixture;
import dev.herald.testing.RtmClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Presence through real sockets: presence servers, Gateways reporting sockets, presence_sub filtering, batching. */
class PresenceTest {
  /** Long enough that a reconnect on a starved 2-core box (rtm.connect, websocket, hello) still counts as quick. */
  private static final long GRACE_MS = 3_000;
  private static HeraldFixture herald;
  private static ApiClient api;
  private static int names;

  @BeforeAll
  static void start() {
    herald = HeraldFixture.start(HeraldFixture.newDataDir(), new JsonObject()
        .put("presence", new JsonObject().put("away_grace_ms", GRACE_MS).put("batch_ms", 50)));
    api = herald.api();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static TestUser user(String name) {
    return api.register(name + "-" + (++names));
  }

  private static RtmClient connect(TestUser user, String... params) {
    return RtmClient.connect(herald.vertx(), api, user.token(), params);
  }

  private static RtmClient watching(TestUser observer, TestUser... watched) {
    RtmClient socket = connect(observer);
    JsonArray ids = new JsonArray();
    for (TestUser u : watched) {
      ids.add(u.id());
    }
    socket.awaitReply(socket.send(new JsonObject().put("type", "presence_sub").put("ids", ids)));
    return socket;
  }

  private static Predicate<JsonObject> presence(TestUser user, String presence) {
    return e -> "presence_change".equals(e.getString("type")) && user.id().equals(e.getString("user"))
        && presence.equals(e.getString("presence"));
  }

  private static String presenceOf(TestUser asker, TestUser user) {
    return api.ok("users.getPresence", asker.token(), "user", user.id()).getString("presence");
  }

  @Test
  @DisplayName("a user with two sockets stays active until both close, then goes away once, after the grace period")
  void twoSocketsOneUser() {
    TestUser alice = user("alice");
    TestUser observer = user("observer");
    try (RtmClient watch = watching(observer, alice)) {
      RtmClient first = connect(alice);
      watch.await(presence(alice, "active"));
      RtmClient second = connect(alice);
      JsonObject self = api.ok("users.getPresence", alice.token());
      assertEquals("active", self.getString("presence"));
      assertEquals(true, self.getBoolean("online"));
      first.close();
      // Still active through its second socket: the count drops to one, presence does not change.
      awaitConnections(alice, 1);
      assertEquals("active", presenceOf(observer, alice));
      second.close();
      watch.await(presence(alice, "away"));
      assertEquals("away", presenceOf(observer, alice));
      assertEquals(1, watch.matching(presence(alice, "away")).size());
      assertEquals(1, watch.matching(presence(alice, "active")).size(), "presence flapped");
    }
  }

  private static void awaitConnections(TestUser user, int count) {
    long deadline = System.currentTimeMillis() + HeraldFixture.TIMEOUT_SECONDS * 1000;
    while (api.ok("users.getPresence", user.token()).getInteger("connection_count") != count) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("connection_count never reached " + count);
      }
      Thread.onSpinWait();
    }
  }

  @Test
  @DisplayName("a quick reconnect never flaps presence")
  void quickReconnectDoesNotFlap() {
    TestUser bob = user("bob");
    TestUser carol = user("carol");
    TestUser observer = user("observer");
    try (RtmClient watch = watching(observer, bob, carol)) {
      RtmClient first = connect(bob);
      watch.await(presence(bob, "active"));
      long closed = System.currentTimeMillis();
      first.close();
      try (RtmClient again = connect(bob)) {
        // Carol's arrival after the grace period is the sentinel: had bob flapped, it would show before it.
        long graceOver = closed + GRACE_MS + 300;
        while (System.currentTimeMillis() < graceOver) {
          awaitConnections(bob, 1);
        }
        try (RtmClient c = connect(carol)) {
          watch.await(presence(carol, "active"));
          assertTrue(watch.matching(presence(bob, "away")).isEmpty(), "bob flapped to away on a quick reconnect");
        }
      }
    }
  }

  @Test
  @DisplayName("only the users a socket subscribed to with presence_sub reach it")
  void presenceSubFilters() {
    TestUser dan = user("dan");
    TestUser erin = user("erin");
    TestUser observer = user("observer");
    try (RtmClient watch = watching(observer, erin); RtmClient d = connect(dan); RtmClient e = connect(erin)) {
      watch.await(presence(erin, "active"));
      assertTrue(watch.matching(e2 -> "presence_change".equals(e2.getString("type"))
          && dan.id().equals(e2.getString("user"))).isEmpty(), "an unsubscribed user's presence was delivered");
    }
  }

  @Test
  @DisplayName("setPresence away is announced to subscribers and as manual_presence_change to the user's own sockets")
  void manualAway() {
    TestUser fay = user("fay");
    TestUser observer = user("observer");
    try (RtmClient watch = watching(observer, fay); RtmClient own = connect(fay)) {
      watch.await(presence(fay, "active"));
      api.ok("users.setPresence", fay.token(), "presence", "away");
      watch.await(presence(fay, "away"));
      JsonObject manual = own.await(e -> "manual_presence_change".equals(e.getString("type")));
      assertEquals("away", manual.getString("presence"));
      assertEquals("away", presenceOf(observer, fay));
      api.ok("users.setPresence", fay.token(), "presence", "auto");
      watch.await(presence(fay, "active"));
      assertEquals("invalid_presence",
          api.call("users.setPresence", fay.token(), "presence", "busy").getString("error"));
    }
  }

  @Test
  @DisplayName("a batch_presence_aware socket gets presence changes as one event with a users list")
  void batchPresenceAware() {
    TestUser gil = user("gil");
    TestUser hal = user("hal");
    TestUser observer = user("observer");
    try (RtmClient watch = connect(observer, "batch_presence_aware", "1")) {
      watch.awaitReply(watch.send(new JsonObject().put("type", "presence_sub")
          .put("ids", new JsonArray().add(gil.id()).add(hal.id()))));
      try (RtmClient g = connect(gil); RtmClient h = connect(hal)) {
        List<JsonObject> batches = watch.awaitCount(e -> "presence_change".equals(e.getString("type")), 1);
        long deadline = System.currentTimeMillis() + HeraldFixture.TIMEOUT_SECONDS * 1000;
        while (usersAnnounced(watch) < 2 && System.currentTimeMillis() < deadline) {
          Thread.onSpinWait();
        }
        assertEquals(2, usersAnnounced(watch));
        for (JsonObject batch : watch.matching(e -> "presence_change".equals(e.getString("type")))) {
          assertTrue(batch.getValue("users") instanceof JsonArray, "not batched: " + batch);
          assertEquals(null, batch.getValue("user"));
        }
        assertTrue(batches.size() >= 1);
      }
    }
  }

  private static int usersAnnounced(RtmClient socket) {
    return socket.matching(e -> "presence_change".equals(e.getString("type"))).stream()
        .mapToInt(e -> e.getJsonArray("users").size()).sum();
  }

  @Test
  @DisplayName("users.getPresence of an unknown user is user_not_found")
  void unknownUser() {
    TestUser ivy = user("ivy");
    assertEquals("user_not_found", api.call("users.getPresence", ivy.token(), "user", "UNOBODY").getString("error"));
  }
}
