package dev.herald.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.HeraldFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DurabilityTest {
  @Test
  @DisplayName("a message acknowledged to its sender is in conversations.history after a restart, and tokens still work")
  void acknowledgedMessagesSurviveARestart() {
    Path data = HeraldFixture.newDataDir();
    TestUser alice;
    String room;
    String ts;
    try (HeraldFixture first = HeraldFixture.start(data, new JsonObject())) {
      ApiClient api = first.api();
      alice = api.register("alice");
      room = api.createChannel(alice, "durable", false);
      ts = api.ok("chat.postMessage", alice.token(), "channel", room, "text", "remember me").getString("ts");
    }
    try (HeraldFixture second = HeraldFixture.start(data, new JsonObject())) {
      ApiClient api = second.api();
      JsonArray messages = api.ok("conversations.history", alice.token(), "channel", room)
          .getJsonArray("messages");
      assertEquals(1, messages.size());
      assertEquals(ts, messages.getJsonObject(0).getString("ts"));
      assertEquals("remember me", messages.getJsonObject(0).getString("text"));
      // New posts after the restart keep ts increasing in the channel.
      String later = api.ok("chat.postMessage", alice.token(), "channel", room, "text", "again").getString("ts");
      assertEquals(-1, Integer.signum(ts.compareTo(later)));
    }
  }
}
