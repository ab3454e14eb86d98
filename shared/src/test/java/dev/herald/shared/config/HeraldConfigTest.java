package dev.herald.shared.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HeraldConfigTest {
  @Test
  @DisplayName("with no file and no environment, the documented defaults apply")
  void defaults() {
    HeraldConfig config = HeraldConfig.defaults();
    assertEquals("127.0.0.1", config.webapp().host());
    assertEquals(8080, config.webapp().port());
    assertEquals(8081, config.gateway().port());
    assertEquals("embedded", config.storage().kind());
    assertEquals(16384, config.gateway().maxFrameBytes());
  }

  @Test
  @DisplayName("the environment overrides the file, which overrides the defaults")
  void layers() {
    JsonObject file = new JsonObject().put("webapp", new JsonObject().put("port", 9000).put("host", "0.0.0.0"));
    HeraldConfig config = HeraldConfig.load(file, Map.of("HERALD_WEBAPP_PORT", "9100",
        "HERALD_STORAGE_PG_HOST", "db1", "UNRELATED", "x"));
    assertEquals(9100, config.webapp().port());
    assertEquals("0.0.0.0", config.webapp().host());
    assertEquals("db1", config.storage().pg().host());
  }

  @Test
  @DisplayName("unknown keys, wrong types and invalid values are rejected with the key named")
  void rejectsMistakes() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> HeraldConfig.load(new JsonObject().put("webap", new JsonObject()), Map.of()));
    assertEquals("invalid configuration: unknown key webap", unknown.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> HeraldConfig.load(new JsonObject(), Map.of("HERALD_WEBAPP_PORT", "eighty")));
    assertThrows(IllegalArgumentException.class,
        () -> HeraldConfig.load(new JsonObject().put("storage", new JsonObject().put("kind", "oracle")), Map.of()));
  }
}
