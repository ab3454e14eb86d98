package dev.herald.journey;

import static dev.herald.testing.RtmClient.messageIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.HeraldFixture;
import dev.herald.testing.RtmClient;
import dev.herald.testing.TestPostgres;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The message journey with storage.kind=postgres, on a database made for the test. */
class PostgresJourneyTest {
  @Test
  @DisplayName("on PostgreSQL a post reaches a member's socket and history, and is still there after a restart")
  void messageJourneyOnPostgres() throws IOException {
    try (TestPostgres database = TestPostgres.create()) {
      JsonObject onPostgres = database.storageOverrides();
      Path firstDataDir = HeraldFixture.newDataDir();
      TestUser alice;
      String room;
      String ts;
      try (HeraldFixture first = HeraldFixture.start(firstDataDir, onPostgres)) {
        ApiClient api = first.api();
        alice = api.register("alice");
        TestUser bob = api.register("bob");
        room = api.createChannel(alice, "on-postgres", false);
        api.ok("conversations.join", bob.token(), "channel", room);
        try (RtmClient bobSocket = RtmClient.connect(first.vertx(), api, bob.token())) {
          ts = api.ok("chat.postMessage", alice.token(), "channel", room, "text", "stored in postgres").getString("ts");
          JsonObject event = bobSocket.await(messageIn(room));
          assertEquals(ts, event.getString("ts"));
          assertEquals("stored in postgres", event.getString("text"));
          assertEquals(alice.id(), event.getString("user"));
        }
        JsonArray history = api.ok("conversations.history", bob.token(), "channel", room).getJsonArray("messages");
        // The message, and before it bob's channel_join.
        assertEquals(2, history.size());
        assertEquals(ts, history.getJsonObject(0).getString("ts"));
        assertEquals("channel_join", history.getJsonObject(1).getString("subtype"));
      }
      try (Stream<Path> files = Files.list(firstDataDir)) {
        assertFalse(files.findAny().isPresent(), "the embedded database was written to with storage.kind=postgres");
      }

      // A new, empty data directory: whatever the restarted Herald knows, it can only have from PostgreSQL.
      try (HeraldFixture second = HeraldFixture.start(HeraldFixture.newDataDir(), onPostgres)) {
        ApiClient api = second.api();
        JsonArray history = api.ok("conversations.history", alice.token(), "channel", room).getJsonArray("messages");
        assertEquals(2, history.size());
        assertEquals("channel_join", history.getJsonObject(1).getString("subtype"));
        assertEquals(ts, history.getJsonObject(0).getString("ts"));
        assertEquals("stored in postgres", history.getJsonObject(0).getString("text"));
        String later = api.ok("chat.postMessage", alice.token(), "channel", room, "text", "again").getString("ts");
        assertTrue(ts.compareTo(later) < 0, "ts went back after a restart: " + ts + " then " + later);
      }
    }
  }
}
