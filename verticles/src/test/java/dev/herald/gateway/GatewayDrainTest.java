package dev.herald.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.testing.ApiClient;
import dev.herald.testing.HeraldFixture;
import dev.herald.testing.RtmClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A stopping Gateway says goodbye to everyone at once but spreads the closes over gateway.drain_spread_ms. */
class GatewayDrainTest {
  @Test
  @DisplayName("a stopping Gateway sends goodbye first and spreads its clients' closes over the drain time")
  void spreadsCloses() {
    HeraldFixture herald = HeraldFixture.start(HeraldFixture.newDataDir(),
        new JsonObject().put("gateway", new JsonObject().put("drain_spread_ms", 2000)));
    Vertx clientSide = Vertx.vertx();
    List<RtmClient> sockets = new ArrayList<>();
    try {
      ApiClient api = herald.api();
      for (int i = 0; i < 4; i++) {
        sockets.add(RtmClient.connect(clientSide, api, api.register("drained-" + i).token()));
      }
      HeraldFixture.await(herald.herald().stop());
      long first = Long.MAX_VALUE;
      long last = 0;
      for (RtmClient socket : sockets) {
        socket.await(e -> "goodbye".equals(e.getString("type")));
        assertEquals(1001, socket.awaitClose());
        List<JsonObject> frames = socket.matching(e -> true);
        assertEquals("goodbye", frames.get(frames.size() - 1).getString("type"), "goodbye is the last frame");
        first = Math.min(first, socket.closedAtMillis());
        last = Math.max(last, socket.closedAtMillis());
      }
      // Four sockets over 2 s close at 0, 500, 1000 and 1500 ms: at least a second between first and last.
      assertTrue(last - first >= 1000, "closes spread over " + (last - first) + " ms");
    } finally {
      HeraldFixture.await(clientSide.close());
      HeraldFixture.await(herald.vertx().close());
    }
  }
}
