package dev.herald.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.HeraldFixture;
import dev.herald.testing.RtmClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Bounded write queues: one client that stops reading never costs the others a message or the server its memory. */
class SlowConsumerTest {
  private static HeraldFixture herald;
  private static ApiClient api;
  private static int names;

  @BeforeAll
  static void start() {
    herald = HeraldFixture.start(HeraldFixture.newDataDir(), new JsonObject()
        .put("gateway", new JsonObject().put("max_queued_bytes", 65536)));
    api = herald.api();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static TestUser user(String name) {
    return api.register(name + "-" + (++names));
  }

  @Test
  @DisplayName("a client that stops reading is evicted with 1013 while the other members get every message")
  void slowConsumerIsEvicted() {
    TestUser poster = user("poster");
    TestUser sleepy = user("sleepy");
    TestUser healthy = user("healthy");
    String room = api.createChannel(poster, "firehose-" + names, false);
    api.ok("conversations.join", sleepy.token(), "channel", room);
    api.ok("conversations.join", healthy.token(), "channel", room);
    try (RtmClient slow = RtmClient.connect(herald.vertx(), api, sleepy.token());
        RtmClient fast = RtmClient.connect(herald.vertx(), api, healthy.token())) {
      slow.pause();
      String big = "x".repeat(30_000);
      int posted = 0;
      // Bounded: at most 1,000 posts (30 MB), far beyond loopback socket buffers and the 64 KB queue bound.
      while (posted < 1_000 && connections(sleepy) > 0) {
        api.ok("chat.postMessage", poster.token(), "channel", room, "text", big + posted);
        posted++;
      }
      assertEquals(0, connections(sleepy), "the slow consumer was never evicted");
      assertEquals(posted, fast.awaitCount(RtmClient.messageIn(room), posted).size());
      slow.resume();
      assertEquals(1013, slow.awaitClose());
      assertTrue(slow.closeReason().contains("reconnect"));
    }
  }

  private static int connections(TestUser user) {
    return api.ok("users.getPresence", user.token()).getInteger("connection_count");
  }
}
