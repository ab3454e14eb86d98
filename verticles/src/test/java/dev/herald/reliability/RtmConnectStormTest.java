package dev.herald.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.Exchange;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.HeraldFixture;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A reconnect storm on rtm.connect (Tier 1) is slowed with 429 and an integer Retry-After, as the SDKs expect. */
class RtmConnectStormTest {
  @Test
  @DisplayName("a storm of rtm.connect calls gets HTTP 429 with an integer Retry-After after the burst")
  void storm() {
    try (HeraldFixture herald = HeraldFixture.start(HeraldFixture.newDataDir(), new JsonObject().put("webapp",
        new JsonObject().put("rate_limits", new JsonObject().put("enabled", true).put("min_burst", 3))))) {
      TestUser user = herald.api().register("stormy");
      ApiClient api = herald.api();
      List<Exchange> answers = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        answers.add(api.exchange(HttpMethod.POST, "/api/rtm.connect",
            Map.of("authorization", "Bearer " + user.token()), null));
      }
      long ok = answers.stream().filter(a -> a.status() == 200 && a.json().getBoolean("ok")).count();
      List<Exchange> limited = answers.stream().filter(a -> a.status() == 429).toList();
      assertEquals(20, ok + limited.size(), "every answer is 200 ok or 429: " + answers);
      assertTrue(ok >= 1 && ok <= 4, "the burst (min_burst 3, Tier 1) then no more: " + ok + " succeeded");
      for (Exchange a : limited) {
        assertTrue(a.headers().get("retry-after") != null && a.headers().get("retry-after").matches("[1-9][0-9]*"), "integer Retry-After: " + a);
        assertEquals(new JsonObject().put("ok", false).put("error", "ratelimited"), a.json());
      }
    }
  }
}
