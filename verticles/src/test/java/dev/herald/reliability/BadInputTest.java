package dev.herald.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.HeraldFixture;
import dev.herald.testing.RtmClient;
import dev.herald.webapp.WebApi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Malformed and hostile input against every Web API method and every RTM frame type, on one shared Herald. Each
 * input must get a Slack-shaped answer (HTTP 200 with {@code ok} and a Slack error code, an RTM error, or a close
 * with a reason); afterwards a probe client still posts and receives, and a private channel the attacker is not in
 * is exactly as it was. Tries are bounded so the suite runs in about a minute. (jqwik labels play the part of
 * JUnit's {@code @DisplayName}.)
 */
@Label("Bad input")
class BadInputTest {
  private static final Pattern SLACK_ERROR = Pattern.compile("[a-z_]{3,64}");
  private static final Set<String> SERVER_FAULTS = Set.of("internal_error", "service_unavailable", "fatal_error");
  private static final Set<String> FRAME_TYPES = Set.of("ping", "message", "typing", "presence_sub");
  private static final AtomicInteger names = new AtomicInteger();

  private static HeraldFixture herald;
  private static ApiClient api;
  private static List<String> methods;
  /** The attacker: a member of {@code room} only. */
  private static TestUser mallory;
  private static TestUser alice;
  private static String room;
  /** Alice's private channel with history, a pin and a bookmark; mallory must change none of it. */
  private static String sentinel;
  private static String sentinelTs;
  private static JsonObject sentinelBefore;
  private static TestUser probe;
  private static String probeRoom;
  private static RtmClient probeSocket;

  @BeforeContainer
  static void start() {
    herald = HeraldFixture.start();
    api = herald.api();
    methods = List.copyOf(new WebApi(null, null, null, null, () -> "", null, null).methods());
    mallory = api.register("mallory");
    alice = api.register("alice");
    TestUser carol = api.register("carol");
    room = api.createChannel(alice, "room", false);
    api.ok("conversations.join", mallory.token(), "channel", room);
    sentinel = api.createChannel(alice, "sentinel", true);
    api.ok("conversations.invite", alice.token(), "channel", sentinel, "users", carol.id());
    for (int i = 0; i < 3; i++) {
      sentinelTs = api.ok("chat.postMessage", alice.token(), "channel", sentinel, "text", "secret " + i)
          .getString("ts");
    }
    api.ok("pins.add", alice.token(), "channel", sentinel, "timestamp", sentinelTs);
    api.ok("reactions.add", alice.token(), "channel", sentinel, "timestamp", sentinelTs, "name", "eyes");
    api.ok("bookmarks.add", alice.token(), "channel_id", sentinel, "title", "plans", "type", "link",
        "link", "https://example.com/plans");
    sentinelBefore = sentinelState();
    probe = api.register("probe");
    probeRoom = api.createChannel(probe, "probe", false);
    probeSocket = RtmClient.connect(herald.vertx(), api, probe.token());
  }

  @AfterContainer
  static void stop() {
    if (probeSocket != null) {
      probeSocket.close();
    }
    if (herald != null) {
      herald.close();
    }
  }

  /** Everyone else is still served, and nothing the attacker could not touch has changed. */
  @AfterProperty
  void othersUnaffected() {
    String text = "probe " + names.incrementAndGet();
    api.ok("chat.postMessage", probe.token(), "channel", probeRoom, "text", text);
    probeSocket.await(e -> text.equals(e.getString("text")));
    assertFalse(probeSocket.isClosed(), "the probe's socket stays open");
    assertEquals(sentinelBefore, sentinelState(), "the private channel is unchanged");
  }

  private static JsonObject sentinelState() {
    JsonObject info = api.ok("conversations.info", alice.token(), "channel", sentinel).getJsonObject("channel");
    return new JsonObject()
        .put("name", info.getString("name"))
        .put("archived", info.getBoolean("is_archived"))
        .put("topic", info.getJsonObject("topic").getString("value"))
        .put("purpose", info.getJsonObject("purpose").getString("value"))
        .put("history", api.ok("conversations.history", alice.token(), "channel", sentinel).getJsonArray("messages"))
        .put("members", api.ok("conversations.members", alice.token(), "channel", sentinel).getJsonArray("members"))
        .put("pins", api.ok("pins.list", alice.token(), "channel", sentinel).getJsonArray("items"))
        .put("bookmarks", api.ok("bookmarks.list", alice.token(), "channel_id", sentinel).getJsonArray("bookmarks"));
  }

  // ---- Web API ----

  private static final List<String> PARAMS = List.of("channel", "channel_id", "text", "ts", "timestamp", "thread_ts",
      "user", "users", "name", "limit", "cursor", "oldest", "latest", "inclusive", "types", "blocks", "attachments",
      "profile", "resume", "title", "link", "type", "bookmark_id", "emoji", "topic", "purpose", "is_private",
      "presence", "team", "exclude_archived", "message_ts", "full", "return_im", "error", "real_name", "is_bot",
      "presence_sub", "batch_presence_aware", "include_num_members", "test", "value", "team_id", "team_domain",
      "team_name");

  private static String deep(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }

  /** Strings that are wrong for nearly every parameter, and the ids an attacker would aim at. */
  @Provide
  Arbitrary<String> hostile() {
    return Arbitraries.oneOf(
        Arbitraries.of("", " ", "\u0000", "\uD800", "\uFFFF", "-1", "0", "1e309", "NaN", "true", "null",
            "99999999999999999999999999", "-9223372036854775809", "1.5", "[1,2]", "{\"a\":", "{}", "[]",
            "' OR 1=1 --", "../../../etc/passwd", "%00", "<script>", "\u202Eevil", "C", "U", "T00000000",
            "CZZZZZZZZZZ", "1733328000.000001", "9999999999.999999", "0.0", "not-a-ts", "a,b,,c", ",,,"),
        Arbitraries.of(deep(3000), "x".repeat(200_000), "\uD83D\uDE00".repeat(5_000)),
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().all().ofMaxLength(40),
        Arbitraries.of("sentinel", "room", "sentinelTs", "alice").map(BadInputTest::target));
  }

  private static String target(String which) {
    return switch (which) {
      case "sentinel" -> sentinel;
      case "room" -> room;
      case "sentinelTs" -> sentinelTs;
      default -> alice.id();
    };
  }

  /** JSON values of every type, for JSON bodies. */
  @Provide
  Arbitrary<Object> hostileJson() {
    return Arbitraries.oneOf(
        hostile().map(s -> (Object) s),
        Arbitraries.of(0, -1, Integer.MAX_VALUE, Long.MIN_VALUE, 1.5e308, -0.0, true, false)
            .map(v -> (Object) v),
        Arbitraries.of(new JsonArray().add(1).add("x"), new JsonObject().put("a", new JsonArray()),
            new JsonArray(), new JsonObject(), new java.math.BigInteger("123456789012345678901234567890"))
            .map(v -> (Object) v),
        Arbitraries.of("sentinel", "room").map(w -> (Object) new JsonArray().add(target(w))));
  }

  @Provide
  Arbitrary<String> method() {
    return Arbitraries.oneOf(Arbitraries.of(methods), Arbitraries.of("nope", "chat.", "", "a/b", "a".repeat(2000),
        "chat.postMessage%00", "%2e%2e"));
  }

  @Provide
  Arbitrary<String> token() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.just("mallory")),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("", "xoxp-nope", "x".repeat(5000), "Bearer", "\u00e9\u00e9")),
        net.jqwik.api.Tuple.of(1, Arbitraries.just("<none>")));
  }

  private static String tokenOf(String which) {
    return switch (which) {
      case "mallory" -> mallory.token();
      case "<none>" -> null;
      default -> which;
    };
  }

  @Provide
  Arbitrary<Map<String, Object>> params() {
    return Arbitraries.maps(Arbitraries.of(PARAMS), hostileJson()).ofMaxSize(5);
  }

  @Property(tries = 250, shrinking = net.jqwik.api.ShrinkingMode.OFF)
  @Label("every Web API method answers hostile parameters with ok and a Slack error, never a server fault")
  void webApiMethods(@ForAll("method") String method, @ForAll("token") String token,
      @ForAll("params") Map<String, Object> params, @ForAll @net.jqwik.api.constraints.IntRange(max = 2) int encoding) {
    JsonObject body = new JsonObject();
    StringBuilder form = new StringBuilder();
    params.forEach((k, v) -> {
      body.put(k, v);
      if (form.length() > 0) {
        form.append('&');
      }
      form.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(String.valueOf(v instanceof JsonArray a ? a.encode() : v), StandardCharsets.UTF_8));
    });
    String uri = "/api/" + URLEncoder.encode(method, StandardCharsets.UTF_8).replace("%2F", "/");
    if ("auth.revoke".equals(method) && "mallory".equals(token)) {
      // Revoking is allowed and would lock the attacker out of the later tries: revoke a stand-in's token instead.
      token = api.register("standin-" + names.incrementAndGet()).token();
    }
    ApiClient client = api;
    JsonObject response = switch (encoding) {
      case 0 -> client.raw(HttpMethod.POST, uri, tokenOf(token), "application/x-www-form-urlencoded",
        Buffer.buffer(form.toString()));
      case 1 -> client.raw(HttpMethod.POST, uri, tokenOf(token), "application/json", body.toBuffer());
      // Past the HTTP line limit (4 KB) a GET is not a Web API call at all: send such parameters in the body.
      default -> uri.length() + form.length() > 4_000
        ? client.raw(HttpMethod.POST, uri, tokenOf(token), "application/json", body.toBuffer())
        : client.raw(HttpMethod.GET, uri + "?" + form, tokenOf(token), null, null);
    };
    assertSlackShaped(method + " " + params.keySet(), response);
  }

  private static void assertSlackShaped(String what, JsonObject response) {
    assertTrue(response.getValue("ok") instanceof Boolean, what + ": ok is a boolean in " + response);
    if (!response.getBoolean("ok")) {
      String error = response.getString("error");
      assertNotNull(error, what + ": an error code");
      assertTrue(SLACK_ERROR.matcher(error).matches(), what + ": a Slack error code, got " + error);
      assertFalse(SERVER_FAULTS.contains(error), what + ": a client error, not a server fault: " + error);
    }
  }

  @Provide
  Arbitrary<byte[]> rawBody() {
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
        Arbitraries.of(
            new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0xC0, (byte) 0x80},
            ("channel=" + "%FF%FE%C0%80" + "&text=%ED%A0%80").getBytes(StandardCharsets.US_ASCII),
            new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
            ("{\"channel\":" + deep(100_000) + "}").getBytes(StandardCharsets.US_ASCII),
            ("{\"a\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_001)).getBytes(StandardCharsets.US_ASCII),
            "[1,2,3]".getBytes(StandardCharsets.US_ASCII), "null".getBytes(StandardCharsets.US_ASCII),
            "\"text\"".getBytes(StandardCharsets.US_ASCII), "{\"channel\":1e999999}".getBytes(StandardCharsets.US_ASCII),
            "a=1&a=2&a=3&&&==&%".getBytes(StandardCharsets.US_ASCII)));
  }

  @Property(tries = 60)
  @Label("bodies that are not what their content type says get a Slack error")
  void rawBodies(@ForAll("method") String method, @ForAll("rawBody") byte[] bytes,
      @ForAll("contentType") String contentType) {
    String token = "auth.revoke".equals(method) ? api.register("standin-" + names.incrementAndGet()).token()
        : mallory.token();
    JsonObject response = api.raw(HttpMethod.POST, "/api/" + URLEncoder.encode(method, StandardCharsets.UTF_8)
        .replace("%2F", "/"), token, contentType.isEmpty() ? null : contentType, Buffer.buffer(bytes));
    assertSlackShaped(method, response);
  }

  @Provide
  Arbitrary<String> contentType() {
    return Arbitraries.of("application/json", "application/x-www-form-urlencoded", "text/plain",
        "multipart/form-data; boundary=xyz", "application/json; charset=latin1", "", "application/json; x=\u00ff");
  }

  @Example
  @Label("a 10 MB body is refused with request_too_large and the server keeps serving")
  void tenMegabytes() {
    byte[] big = new byte[10 * 1024 * 1024];
    java.util.Arrays.fill(big, (byte) 'a');
    System.arraycopy("text=".getBytes(StandardCharsets.US_ASCII), 0, big, 0, 5);
    JsonObject response = api.raw(HttpMethod.POST, "/api/chat.postMessage?channel=" + room, mallory.token(),
        "application/x-www-form-urlencoded", Buffer.buffer(big));
    assertEquals(new JsonObject().put("ok", false).put("error", "request_too_large"), response);
  }

  @Example
  @Label("a flood of concurrent requests all get Slack answers")
  void httpFlood() {
    List<java.util.concurrent.CompletableFuture<ApiClient.Exchange>> calls = new ArrayList<>();
    String token = api.register("flooder").token();
    for (int i = 0; i < 200; i++) {
      calls.add(api.send(HttpMethod.POST, "/api/" + methods.get(i % methods.size()),
          Map.of("authorization", "Bearer " + token, "content-type", "application/json"),
          "{\"channel\":\"" + sentinel + "\",\"text\":[1]}"));
    }
    for (int i = 0; i < calls.size(); i++) {
      ApiClient.Exchange answer = calls.get(i).join();
      String method = methods.get(i % methods.size());
      assertEquals(200, answer.status(), method);
      assertSlackShaped(method, answer.json());
    }
  }

  // ---- RTM ----

  /** One hostile frame: a JSON text, raw text, invalid UTF-8 or binary. */
  record Frame(String text, byte[] bytes, boolean binary) {
    boolean isJsonObject() {
      if (text == null) {
        return false;
      }
      try {
        new JsonObject(text);
        return true;
      } catch (RuntimeException e) {
        return false;
      }
    }

    @Override
    public String toString() {
      String shown = text != null ? text : "bytes[" + bytes.length + "]";
      return (binary ? "binary " : "") + (shown.length() > 200 ? shown.substring(0, 200) + "..." : shown);
    }
  }

  @Provide
  Arbitrary<Frame> frame() {
    Arbitrary<Object> type = Arbitraries.oneOf(Arbitraries.of(FRAME_TYPES).map(t -> (Object) t),
        Arbitraries.of("hello", "goodbye", "pong", "", "MESSAGE", "im_open", "channel_history_changed")
            .map(t -> (Object) t),
        hostileJson());
    Arbitrary<Object> id = Arbitraries.oneOf(Arbitraries.of(1, 0, -5, Long.MAX_VALUE, 1.5).map(v -> (Object) v),
        hostileJson());
    Arbitrary<Frame> objects = Combinators.combine(type, id, params(), Arbitraries.integers().between(0, 3))
        .as((t, i, fields, shape) -> {
          JsonObject f = new JsonObject();
          fields.forEach(f::put);
          if (shape != 1) {
            f.put("type", t);
          }
          if (shape != 2) {
            f.put("id", i);
          }
          if (shape == 3) {
            f.put("ids", new JsonArray().add(alice.id()).add(3));
          }
          return new Frame(f.encode(), null, false);
        });
    Arbitrary<Frame> texts = Arbitraries.oneOf(
        Arbitraries.of("", "null", "42", "\"ping\"", "[]", "[{\"type\":\"ping\"}]", "{", "{\"type\":\"ping\",}",
                deep(5_000), "{\"type\":" + deep(2_000) + "}", "{\"type\":\"message\",\"text\":\""
                    + "x".repeat(17_000) + "\",\"channel\":\"" + room + "\",\"id\":1}", "y".repeat(70_000))
            .map(t -> new Frame(t, null, false)),
        Arbitraries.strings().ofMaxLength(50).map(t -> new Frame(t, null, false)));
    Arbitrary<Frame> bytes = Arbitraries.of(
            new byte[] {(byte) 0xFF, (byte) 0xFE}, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'},
            "{\"type\":\"ping\",\"id\":7,\"x\":\"\u00ff".getBytes(StandardCharsets.ISO_8859_1))
        .map(b -> new Frame(null, b, false));
    Arbitrary<Frame> binary = Arbitraries.bytes().array(byte[].class).ofMaxSize(64)
        .map(b -> new Frame(null, b, true));
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, objects), net.jqwik.api.Tuple.of(2, texts),
        net.jqwik.api.Tuple.of(1, bytes), net.jqwik.api.Tuple.of(1, binary));
  }

  @Property(tries = 120)
  @Label("every RTM frame type answers malformed frames with an error reply or a close with a reason")
  void rtmFrames(@ForAll("frame") Frame frame) {
    try (RtmClient socket = RtmClient.connect(herald.vertx(), api, mallory.token())) {
      if (frame.binary()) {
        socket.sendBinary(frame.bytes());
      } else if (frame.bytes() != null) {
        socket.sendTextBytes(frame.bytes());
      } else {
        socket.sendRaw(frame.text());
      }
      assertAnsweredAndAlive(socket, frame.toString(), expectsError(frame) ? 1 : 0);
    }
  }

  /** Frames that are not a well-formed request of a known type must be answered with an error (or a close). */
  private static boolean expectsError(Frame frame) {
    if (!frame.isJsonObject()) {
      return true;
    }
    JsonObject f = new JsonObject(frame.text());
    Object type = f.getValue("type");
    Object id = f.getValue("id");
    return !(type instanceof String t) || !FRAME_TYPES.contains(t) || (id != null && !(id instanceof Number))
        || ("message".equals(t) && id == null);
  }

  /**
   * Sends a ping after the hostile input and waits for its pong or a close: either way every frame received must be
   * an RTM frame, error replies must carry a code and a message, and a close must carry a reason.
   */
  private static void assertAnsweredAndAlive(RtmClient socket, String what, int minErrors) {
    long pingId = 900_000_000L + names.incrementAndGet();
    if (!socket.isClosed()) {
      socket.sendRaw(new JsonObject().put("type", "ping").put("id", pingId).encode());
    }
    socket.await(e -> socket.isClosed() || ("pong".equals(e.getString("type"))
        && e.getValue("reply_to") instanceof Number n && n.longValue() == pingId));
    int errors = 0;
    for (JsonObject e : socket.matching(x -> true)) {
      JsonObject error = e.getValue("error") instanceof JsonObject o ? o : null;
      if ("error".equals(e.getString("type")) || Boolean.FALSE.equals(e.getValue("ok"))) {
        assertNotNull(error, what + ": an error object in " + e);
        assertTrue(error.getValue("code") instanceof Number, what + ": a numeric code in " + e);
        assertTrue(error.getValue("msg") instanceof String, what + ": a message in " + e);
        errors++;
      } else if (e.containsKey("reply_to") && !"pong".equals(e.getString("type"))) {
        assertEquals(Boolean.TRUE, e.getValue("ok"), what + ": a reply says ok or error: " + e);
      }
    }
    if (socket.isClosed()) {
      String reason = socket.closeReason();
      assertTrue(reason != null && !reason.isEmpty(), what + ": the close carries a reason");
    } else {
      assertTrue(errors >= minErrors, what + ": answered with an error, got " + socket.matching(x -> true));
    }
  }

  @Property(tries = 5)
  @Label("a flood of hostile frames on one socket is answered and the socket still pongs")
  void rtmFlood(@ForAll @net.jqwik.api.constraints.IntRange(min = 200, max = 500)
      int count) {
    try (RtmClient socket = RtmClient.connect(herald.vertx(), api, mallory.token())) {
      for (int i = 0; i < count; i++) {
        socket.sendRaw(i % 3 == 0 ? "{\"type\":\"nope\",\"id\":" + i + "}"
            : i % 3 == 1 ? "not json " + i : new JsonObject().put("type", "typing").put("channel", sentinel).encode());
      }
      assertAnsweredAndAlive(socket, "flood of " + count, 1);
    }
  }
}
