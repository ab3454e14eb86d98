package dev.herald.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ApiRequestTest {
  @Test
  @DisplayName("the bearer header wins over a token parameter")
  void tokenSources() {
    MultiMap query = MultiMap.caseInsensitiveMultiMap().add("token", "from-param");
    assertEquals("from-header", ApiRequest.of("m", query, null, null, "Bearer from-header").token());
    assertEquals("from-param", ApiRequest.of("m", query, null, null, null).token());
    assertEquals(null, ApiRequest.of("m", MultiMap.caseInsensitiveMultiMap(), null, null, "Basic x").token());
  }

  @Test
  @DisplayName("blocks sent as a JSON string in a form field and natively in a JSON body read the same")
  void jsonFields() {
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("blocks", "[{\"type\":\"divider\"}]");
    ApiRequest fromForm = ApiRequest.of("m", MultiMap.caseInsensitiveMultiMap(), form, null, null);
    JsonObject body = new JsonObject().put("blocks", new JsonArray().add(new JsonObject().put("type", "divider")));
    ApiRequest fromJson = ApiRequest.of("m", MultiMap.caseInsensitiveMultiMap(), null, body, null);
    assertEquals(fromJson.json("blocks"), fromForm.json("blocks"));
    assertTrue(fromForm.json("blocks") instanceof JsonArray);
  }

  @Test
  @DisplayName("typed getters accept Slack's spellings and refuse the rest with invalid_arguments")
  void typedGetters() {
    JsonObject body = new JsonObject().put("a", "1").put("b", false).put("n", "25").put("big", 5000)
        .put("bad", "x").put("obj", new JsonObject());
    ApiRequest request = ApiRequest.of("m", MultiMap.caseInsensitiveMultiMap(), null, body, null);
    assertEquals(true, request.bool("a", false));
    assertEquals(false, request.bool("b", true));
    assertEquals(true, request.bool("missing", true));
    assertEquals(25, request.integer("n", 100, 1, 1000));
    assertEquals(1000, request.integer("big", 100, 1, 1000));
    HeraldException bad = assertThrows(HeraldException.class, () -> request.integer("bad", 1, 1, 10));
    assertEquals(ErrorCode.INVALID_ARGUMENTS, bad.code());
    assertThrows(HeraldException.class, () -> request.string("obj"));
    assertThrows(HeraldException.class, () -> request.bool("bad", false));
  }
}
