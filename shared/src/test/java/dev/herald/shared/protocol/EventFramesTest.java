package dev.herald.shared.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EventFramesTest {
  @Test
  @DisplayName("stamping appends seq and epoch and keeps every other field as it was")
  void stampKeepsTheEvent() {
    JsonObject event = new JsonObject().put("type", "message").put("text", "a } brace \"quoted\"")
        .put("nested", new JsonObject().put("x", 1));
    JsonObject stamped = new JsonObject(EventFrames.stamp(event.toBuffer(), 42, -5L));
    assertEquals(42L, stamped.getLong("seq"));
    assertEquals(-5L, EventFrames.parseEpoch(stamped.getString("epoch")));
    stamped.remove("seq");
    stamped.remove("epoch");
    assertEquals(event, stamped);
  }

  @Test
  @DisplayName("an empty object and trailing whitespace are stamped into valid JSON")
  void edgeCases() {
    assertEquals(7L, new JsonObject(EventFrames.stamp(Buffer.buffer("{}"), 7, 1)).getLong("seq"));
    assertEquals(7L, new JsonObject(EventFrames.stamp(Buffer.buffer("{\"a\":1}\n "), 7, 1)).getLong("seq"));
  }
}
