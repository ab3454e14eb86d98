package dev.herald.resume;

import static dev.herald.testing.RtmClient.messageIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.HeraldFixture;
import dev.herald.testing.RtmClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A client reconnecting with what it last saw gets exactly what it missed, or is told to reload. */
class ResumeTest {
  private static final JsonObject SMALL_WINDOW =
      new JsonObject().put("channel", new JsonObject().put("window_size", 5));

  private static String resumeFrom(String channel, JsonObject lastSeen) {
    return new JsonObject().put(channel, new JsonObject()
        .put("seq", lastSeen.getLong("seq")).put("epoch", lastSeen.getString("epoch"))).encode();
  }

  private static void post(ApiClient api, TestUser user, String channel, String... texts) {
    for (String text : texts) {
      api.ok("chat.postMessage", user.token(), "channel", channel, "text", text);
    }
  }

  private static List<String> texts(List<JsonObject> events) {
    return events.stream().map(e -> e.getString("text")).toList();
  }

  @Test
  @DisplayName("a gap inside the window is replayed exactly, in order, before new events")
  void gapInsideTheWindow() {
    try (HeraldFixture herald = HeraldFixture.start()) {
      ApiClient api = herald.api();
      TestUser alice = api.register("alice");
      TestUser bob = api.register("bob");
      String room = api.createChannel(alice, "resume", false);
      api.ok("conversations.join", bob.token(), "channel", room);
      JsonObject lastSeen;
      try (RtmClient first = RtmClient.connect(herald.vertx(), api, bob.token())) {
        post(api, alice, room, "seen");
        lastSeen = first.await(messageIn(room));
        assertTrue(lastSeen.getLong("seq") > 0, "events carry their channel position: " + lastSeen);
      }
      post(api, alice, room, "missed 1", "missed 2", "missed 3");
      try (RtmClient again = RtmClient.connect(herald.vertx(), api, bob.token(),
          "resume", resumeFrom(room, lastSeen))) {
        post(api, alice, room, "new");
        List<JsonObject> received = again.awaitCount(messageIn(room), 4);
        assertEquals(List.of("missed 1", "missed 2", "missed 3", "new"), texts(received));
        for (int i = 1; i < received.size(); i++) {
          assertEquals(received.get(i - 1).getLong("seq") + 1, received.get(i).getLong("seq"));
        }
        assertTrue(again.matching(e -> "channel_history_changed".equals(e.getString("type"))).isEmpty());
      }
    }
  }

  @Test
  @DisplayName("a gap beyond the window is announced as channel_history_changed, never left silent")
  void gapBeyondTheWindow() {
    try (HeraldFixture herald = HeraldFixture.start(HeraldFixture.newDataDir(), SMALL_WINDOW)) {
      ApiClient api = herald.api();
      TestUser alice = api.register("alice");
      TestUser bob = api.register("bob");
      String room = api.createChannel(alice, "resume", false);
      api.ok("conversations.join", bob.token(), "channel", room);
      JsonObject lastSeen;
      try (RtmClient first = RtmClient.connect(herald.vertx(), api, bob.token())) {
        post(api, alice, room, "seen");
        lastSeen = first.await(messageIn(room));
      }
      for (int i = 0; i < 10; i++) {
        post(api, alice, room, "missed " + i);
      }
      try (RtmClient again = RtmClient.connect(herald.vertx(), api, bob.token(),
          "resume", resumeFrom(room, lastSeen))) {
        JsonObject reload = again.await(e -> "channel_history_changed".equals(e.getString("type")));
        assertEquals(room, reload.getString("channel"));
        assertEquals("gap", reload.getString("reason"));
        assertTrue(again.matching(messageIn(room)).isEmpty(), "a partial replay was sent");
        post(api, alice, room, "after");
        assertEquals("after", again.await(messageIn(room)).getString("text"));
        // History has everything the client must reload: the one seen, the ten missed, the one after, and before
        // them bob's channel_join.
        JsonArray history = api.ok("conversations.history", bob.token(), "channel", room)
            .getJsonArray("messages");
        assertEquals(13, history.size());
        assertEquals("channel_join", history.getJsonObject(12).getString("subtype"));
      }
    }
  }

  @Test
  @DisplayName("after a restart the epoch has changed, and the client is told to reload")
  void epochChange() {
    Path data = HeraldFixture.newDataDir();
    TestUser alice;
    TestUser bob;
    String room;
    JsonObject lastSeen;
    try (HeraldFixture herald = HeraldFixture.start(data, new JsonObject())) {
      ApiClient api = herald.api();
      alice = api.register("alice");
      bob = api.register("bob");
      room = api.createChannel(alice, "resume", false);
      api.ok("conversations.join", bob.token(), "channel", room);
      try (RtmClient first = RtmClient.connect(herald.vertx(), api, bob.token())) {
        post(api, alice, room, "before restart");
        lastSeen = first.await(messageIn(room));
      }
    }
    try (HeraldFixture herald = HeraldFixture.start(data, new JsonObject())) {
      ApiClient api = herald.api();
      post(api, alice, room, "after restart");
      try (RtmClient again = RtmClient.connect(herald.vertx(), api, bob.token(),
          "resume", resumeFrom(room, lastSeen))) {
        JsonObject reload = again.await(e -> "channel_history_changed".equals(e.getString("type")));
        assertEquals("epoch_changed", reload.getString("reason"));
        assertTrue(reload.getLong("seq") >= 0);
      }
    }
  }

  @Test
  @DisplayName("resume positions for a channel the user is not in replay nothing")
  void resumeRespectsMembership() {
    try (HeraldFixture herald = HeraldFixture.start()) {
      ApiClient api = herald.api();
      TestUser alice = api.register("alice");
      TestUser mallory = api.register("mallory");
      String secret = api.createChannel(alice, "secret", true);
      JsonObject lastSeen;
      try (RtmClient own = RtmClient.connect(herald.vertx(), api, alice.token())) {
        post(api, alice, secret, "first");
        lastSeen = own.await(messageIn(secret));
      }
      post(api, alice, secret, "private");
      String elsewhere = api.createChannel(mallory, "elsewhere", false);
      try (RtmClient snoop = RtmClient.connect(herald.vertx(), api, mallory.token(),
          "resume", resumeFrom(secret, lastSeen))) {
        post(api, mallory, elsewhere, "sentinel");
        snoop.await(messageIn(elsewhere));
        assertTrue(snoop.matching(e -> secret.equals(e.getString("channel"))).isEmpty(),
            "a non-member was replayed a private channel");
      }
    }
  }
}
