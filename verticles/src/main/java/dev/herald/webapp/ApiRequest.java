package dev.herald.webapp;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The parameters of one Web API call, however they came: GET query, POST form (where Slack's SDKs put objects and
 * arrays as JSON strings) or POST JSON. Typed getters turn bad values into {@code invalid_arguments}.
 */
public final class ApiRequest {
  private final String method;
  private final Map<String, Object> params;
  private final String token;
  private String tokenHash;

  public ApiRequest(String method, Map<String, Object> params, String token) {
    this.method = method;
    this.params = params;
    this.token = token;
  }

  /** Merges query, form and JSON parameters (JSON body wins, then form, then query). */
  public static ApiRequest of(String method, MultiMap query, MultiMap form, JsonObject json, String authorization) {
    Map<String, Object> params = new HashMap<>();
    query.forEach(e -> params.put(e.getKey(), e.getValue()));
    if (form != null) {
      form.forEach(e -> params.put(e.getKey(), e.getValue()));
    }
    if (json != null) {
      json.forEach(e -> params.put(e.getKey(), e.getValue()));
    }
    String token = null;
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      token = authorization.substring(7).trim();
    }
    if (token == null || token.isEmpty()) {
      Object param = params.get("token");
      token = param instanceof String s && !s.isEmpty() ? s : null;
    }
    return new ApiRequest(method, params, token);
  }

  public String method() {
    return method;
  }

  /** The caller's token, or null if none was given. */
  public String token() {
    return token;
  }

  /** The token's hash, as stored and as the rate limiter counts callers (computed once per call). */
  public String tokenHash() {
    if (tokenHash == null && token != null) {
      tokenHash = Tokens.hash(token);
    }
    return tokenHash;
  }

  /** A string parameter; numbers and booleans sent in JSON are accepted as their text. Null or empty: absent. */
  public String string(String name) {
    Object value = params.get(name);
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return s.isEmpty() ? null : s;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    throw new HeraldException(ErrorCode.INVALID_ARGUMENTS, name + " must be a string");
  }

  public String requiredString(String name, ErrorCode ifMissing) {
    String value = string(name);
    if (value == null) {
      throw new HeraldException(ifMissing, name + " is required");
    }
    return value;
  }

  /** Slack booleans: true/false, 1/0. */
  public boolean bool(String name, boolean fallback) {
    Object value = params.get(name);
    if (value == null || "".equals(value)) {
      return fallback;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    String text = value.toString().trim().toLowerCase(java.util.Locale.ROOT);
    switch (text) {
      case "true", "1" -> {
        return true;
      }
      case "false", "0" -> {
        return false;
      }
      default -> throw new HeraldException(ErrorCode.INVALID_ARGUMENTS, name + " must be a boolean");
    }
  }

  public int integer(String name, int fallback, int min, int max) {
    Object value = params.get(name);
    if (value == null || "".equals(value)) {
      return fallback;
    }
    long parsed;
    try {
      parsed = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new HeraldException(ErrorCode.INVALID_ARGUMENTS, name + " must be an integer");
    }
    return (int) Math.max(min, Math.min(max, parsed));
  }

  /** An object or array parameter: native in a JSON body, a JSON string in a form. Null if absent. */
  public Object json(String name) {
    Object value = params.get(name);
    if (value == null || value instanceof JsonObject || value instanceof JsonArray) {
      return value;
    }
    String text = value.toString().trim();
    if (text.isEmpty()) {
      return null;
    }
    try {
      return text.startsWith("[") ? new JsonArray(text) : new JsonObject(text);
    } catch (RuntimeException e) {
      throw new HeraldException(ErrorCode.INVALID_ARGUMENTS, name + " must be JSON");
    }
  }

  /** The names and values given, the token excepted (for {@code api.test}, which echoes them). */
  public Map<String, Object> arguments() {
    Map<String, Object> args = new java.util.TreeMap<>(params);
    args.remove("token");
    return args;
  }

  /** A {@code ts} parameter; null if absent, {@code ifInvalid} if it is not a ts. */
  public Long ts(String name, ErrorCode ifInvalid) {
    String value = string(name);
    if (value == null) {
      return null;
    }
    try {
      return dev.herald.shared.protocol.SlackTs.parse(value);
    } catch (IllegalArgumentException e) {
      throw new HeraldException(ifInvalid, name + " is not a ts");
    }
  }

  public long requiredTs(String name, ErrorCode ifMissing, ErrorCode ifInvalid) {
    Long value = ts(name, ifInvalid);
    if (value == null) {
      throw new HeraldException(ifMissing, name + " is required");
    }
    return value;
  }

  /** A comma-separated list (Slack's form for {@code users}, {@code types}); empty if absent. */
  public java.util.List<String> csv(String name) {
    Object value = params.get(name);
    java.util.List<String> out = new java.util.ArrayList<>();
    if (value instanceof JsonArray array) {
      array.forEach(v -> out.add(String.valueOf(v).trim()));
    } else if (value != null) {
      for (String part : value.toString().split(",")) {
        out.add(part.trim());
      }
    }
    out.removeIf(String::isEmpty);
    return out;
  }

  /** An integer parameter that must lie in range: {@code invalid_arguments} (or {@code ifBad}) otherwise. */
  public int strictInteger(String name, int fallback, int min, int max, ErrorCode ifBad) {
    Object value = params.get(name);
    if (value == null || "".equals(value)) {
      return fallback;
    }
    long parsed;
    try {
      parsed = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new HeraldException(ifBad, name + " must be an integer");
    }
    if (parsed < min || parsed > max) {
      throw new HeraldException(ifBad, name + " must be between " + min + " and " + max);
    }
    return (int) parsed;
  }
}
