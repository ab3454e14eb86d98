package dev.herald.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A plain HTTP client for the Web API, the way Slack's SDKs call it (POST form, bearer token).
 *
 * <p>It runs on the JDK's HTTP client, not on the Vert.x instance under test. A Vert.x 5.0.7 HttpClient sharing the
 * server's Vert.x instance now and then never completed a request (about 1 in 500 with a fresh client per call,
 * on a quiet machine): no TCP connection was left open, so the server had nothing pending, and 5,000 raw-socket and
 * 5,000 JDK-client calls against the same server were all answered. A test client must not be the flaky part.
 */
public final class ApiClient {
  /** One for every test: thread-safe, keeps connections alive, and has no close() on Java 17. */
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(HeraldFixture.TIMEOUT_SECONDS);

  private final int port;

  public ApiClient(Vertx vertx, int port) {
    this.port = port;
  }

  /** Nothing to release: the JDK client is shared. Kept so callers can scope a client to a block. */
  public void close() {
  }

  public int port() {
    return port;
  }

  /** A raw exchange: status, headers (names lower-cased) and body, whatever they are. */
  public record Exchange(int status, Map<String, String> headers, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  /** Sends one request without waiting; {@code body} null sends none. */
  public CompletableFuture<Exchange> send(HttpMethod method, String uri, Map<String, String> headers, String body) {
    return send(method, uri, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  private CompletableFuture<Exchange> send(HttpMethod method, String uri, Map<String, String> headers, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + uri))
        .timeout(CALL_TIMEOUT)
        .method(method.name(), body == null
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(resp -> {
      Map<String, String> h = new LinkedHashMap<>();
      resp.headers().map().forEach((name, values) -> h.put(name.toLowerCase(), String.join(",", values)));
      return new Exchange(resp.statusCode(), h, resp.body());
    });
  }

  /** One exchange, waited for. */
  public Exchange exchange(HttpMethod method, String uri, Map<String, String> headers, String body) {
    return join(send(method, uri, headers, body));
  }

  private static Exchange join(CompletableFuture<Exchange> call) {
    try {
      return call.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw new AssertionError("HTTP exchange failed: " + io, io);
      }
      throw new AssertionError(e.getCause());
    }
  }

  /** POST form-encoded; {@code params} alternate names and values. */
  public JsonObject call(String method, String token, String... params) {
    StringBuilder form = new StringBuilder();
    for (int i = 0; i + 1 < params.length; i += 2) {
      if (form.length() > 0) {
        form.append('&');
      }
      form.append(URLEncoder.encode(params[i], StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
    }
    return raw(HttpMethod.POST, "/api/" + method, token, "application/x-www-form-urlencoded",
        Buffer.buffer(form.toString()));
  }

  /** POST with a JSON body. */
  public JsonObject callJson(String method, String token, JsonObject body) {
    return raw(HttpMethod.POST, "/api/" + method, token, "application/json", body.toBuffer());
  }

  /** GET with query parameters. */
  public JsonObject get(String method, String token, Map<String, String> query) {
    StringBuilder uri = new StringBuilder("/api/").append(method);
    char sep = '?';
    for (Map.Entry<String, String> e : query.entrySet()) {
      uri.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      sep = '&';
    }
    return raw(HttpMethod.GET, uri.toString(), token, null, null);
  }

  /** One call, answered with HTTP 200 and a JSON body (anything else fails the test). */
  public JsonObject raw(HttpMethod method, String uri, String token, String contentType, Buffer body) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (token != null) {
      headers.put("authorization", "Bearer " + token);
    }
    if (contentType != null) {
      headers.put("content-type", contentType);
    }
    Exchange exchange = join(send(method, uri, headers, body == null ? null : body.getBytes()));
    if (exchange.status() != 200) {
      throw new AssertionError("HTTP " + exchange.status() + " for " + uri + ": " + exchange.body());
    }
    return exchange.json();
  }

  /** Calls and insists on {@code ok:true}. */
  public JsonObject ok(String method, String token, String... params) {
    JsonObject response = call(method, token, params);
    if (!response.getBoolean("ok", false)) {
      throw new AssertionError(method + " failed: " + response.encode());
    }
    return response;
  }

  /** A registered user. */
  public record TestUser(String id, String name, String token) {}

  public TestUser register(String name) {
    JsonObject response = ok("users.register", null, "name", name);
    return new TestUser(response.getJsonObject("user").getString("id"), name, response.getString("token"));
  }

  /** Creates a public channel owned by {@code owner} and returns its id. */
  public String createChannel(TestUser owner, String name, boolean isPrivate) {
    return ok("conversations.create", owner.token(), "name", name, "is_private", Boolean.toString(isPrivate))
        .getJsonObject("channel").getString("id");
  }
}
