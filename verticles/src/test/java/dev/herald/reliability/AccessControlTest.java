package dev.herald.reliability;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A private channel and a DM do not exist for anyone outside them: not in lists, not in reads, not in writes. */
class AccessControlTest {
  private static HeraldFixture herald;
  private static ApiClient api;
  private static TestUser alice;
  private static TestUser bob;
  private static TestUser outsider;
  private static String secret;
  private static String secretTs;
  private static String dm;
  private static String dmTs;

  @BeforeAll
  static void start() {
    herald = HeraldFixture.start();
    api = herald.api();
    alice = api.register("alice");
    bob = api.register("bob");
    outsider = api.register("outsider");
    secret = api.createChannel(alice, "secret", true);
    api.ok("conversations.invite", alice.token(), "channel", secret, "users", bob.id());
    secretTs = api.ok("chat.postMessage", alice.token(), "channel", secret, "text", "hush").getString("ts");
    api.ok("chat.postMessage", bob.token(), "channel", secret, "text", "reply", "thread_ts", secretTs);
    api.ok("pins.add", alice.token(), "channel", secret, "timestamp", secretTs);
    api.ok("reactions.add", alice.token(), "channel", secret, "timestamp", secretTs, "name", "eyes");
    dm = api.ok("conversations.open", alice.token(), "users", bob.id()).getJsonObject("channel").getString("id");
    dmTs = api.ok("chat.postMessage", alice.token(), "channel", dm, "text", "just us").getString("ts");
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @Test
  @DisplayName("lists never show a private channel or DM to someone outside it")
  void lists() {
    String types = "public_channel,private_channel,mpim,im";
    for (String method : List.of("conversations.list", "users.conversations")) {
      String listed = api.ok(method, outsider.token(), "types", types, "limit", "1000").encode();
      assertFalse(listed.contains(secret), method + " shows the private channel");
      assertFalse(listed.contains(dm), method + " shows the DM");
    }
    String asOther = api.ok("users.conversations", outsider.token(), "user", alice.id(), "types", types).encode();
    assertFalse(asOther.contains(secret) || asOther.contains(dm), "another user's private conversations leak");
    String reactions = api.ok("reactions.list", outsider.token(), "user", alice.id()).encode();
    assertFalse(reactions.contains(secret) || reactions.contains("hush"), "reactions.list leaks");
  }

  @Test
  @DisplayName("every read and write on a private channel or DM answers channel_not_found to an outsider")
  void readsAndWrites() {
    List<String> leaks = new ArrayList<>();
    String before = visibleState();
    for (String[] target : new String[][] {{secret, secretTs}, {dm, dmTs}}) {
      String c = target[0];
      String ts = target[1];
      String[][] calls = {
          {"conversations.info", "channel", c}, {"conversations.history", "channel", c},
          {"conversations.replies", "channel", c, "ts", ts}, {"conversations.members", "channel", c},
          {"conversations.join", "channel", c}, {"conversations.leave", "channel", c},
          {"conversations.invite", "channel", c, "users", alice.id()},
          {"conversations.kick", "channel", c, "user", bob.id()}, {"conversations.rename", "channel", c, "name", "x"},
          {"conversations.archive", "channel", c}, {"conversations.unarchive", "channel", c},
          {"conversations.setTopic", "channel", c, "topic", "x"},
          {"conversations.setPurpose", "channel", c, "purpose", "x"}, {"conversations.mark", "channel", c, "ts", ts},
          {"chat.postMessage", "channel", c, "text", "in"}, {"chat.meMessage", "channel", c, "text", "in"},
          {"chat.postEphemeral", "channel", c, "text", "in", "user", alice.id()},
          {"chat.update", "channel", c, "ts", ts, "text", "x"}, {"chat.delete", "channel", c, "ts", ts},
          {"chat.getPermalink", "channel", c, "message_ts", ts},
          {"reactions.add", "channel", c, "timestamp", ts, "name", "fire"},
          {"reactions.remove", "channel", c, "timestamp", ts, "name", "eyes"},
          {"reactions.get", "channel", c, "timestamp", ts}, {"pins.add", "channel", c, "timestamp", ts},
          {"pins.remove", "channel", c, "timestamp", ts}, {"pins.list", "channel", c},
          {"bookmarks.add", "channel_id", c, "title", "t", "type", "link", "link", "https://example.com/"},
          {"bookmarks.list", "channel_id", c}};
      for (String[] call : calls) {
        String[] params = java.util.Arrays.copyOfRange(call, 1, call.length);
        JsonObject response = api.call(call[0], outsider.token(), params);
        if (response.getBoolean("ok") || !"channel_not_found".equals(response.getString("error"))) {
          leaks.add(call[0] + " on " + c + " -> " + response.encode());
        }
      }
    }
    assertEquals(List.of(), leaks);
    assertEquals(before, visibleState(), "nothing changed");
  }

  /** What the members see of both conversations; test methods that post do not run concurrently with this one. */
  private static String visibleState() {
    StringBuilder state = new StringBuilder();
    for (String c : List.of(secret, dm)) {
      state.append(api.ok("conversations.history", alice.token(), "channel", c).getJsonArray("messages").encode())
          .append(api.ok("conversations.members", alice.token(), "channel", c).getJsonArray("members").encode())
          .append(api.ok("conversations.info", alice.token(), "channel", c).getJsonObject("channel").encode())
          .append(api.ok("pins.list", alice.token(), "channel", c).getJsonArray("items").encode())
          .append(api.ok("bookmarks.list", alice.token(), "channel_id", c).getJsonArray("bookmarks").encode());
    }
    return state.toString();
  }

  @Test
  @DisplayName("an outsider's socket gets no events of a private channel, cannot type there, and resumes nothing of it")
  void events() {
    String resume = new JsonObject().put(secret, new JsonObject().put("seq", 0).put("epoch", "0000000000000001"))
        .put(dm, new JsonObject().put("seq", 0).put("epoch", "0000000000000001")).encode();
    try (RtmClient socket = RtmClient.connect(herald.vertx(), api, outsider.token(), "resume", resume)) {
      int id = socket.send(new JsonObject().put("type", "typing").put("channel", secret));
      assertEquals(false, socket.awaitReply(id).getBoolean("ok"));
      api.ok("chat.postMessage", alice.token(), "channel", secret, "text", "later");
      api.ok("chat.postMessage", alice.token(), "channel", dm, "text", "later");
      String own = api.createChannel(outsider, "own", false);
      api.ok("chat.postMessage", outsider.token(), "channel", own, "text", "sentinel");
      socket.await(e -> "sentinel".equals(e.getString("text")));
      for (JsonObject frame : socket.matching(e -> true)) {
        assertFalse(frame.encode().contains(secret) || frame.encode().contains(dm), "leaked: " + frame);
      }
      assertTrue(socket.matching(e -> "channel_history_changed".equals(e.getString("type"))).isEmpty());
    }
  }
}
