package dev.herald.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Form POSTs to the server under test over a pool of keep-alive connections. */
public final class Api {
  private final HttpClient http;
  private final String host;
  private final int port;

  public Api(Vertx vertx, String baseUrl, int connections) {
    URI uri = URI.create(baseUrl);
    this.host = uri.getHost();
    this.port = uri.getPort();
    this.http = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setConnectTimeout(10_000).setLocalAddress("127.0.0.1"),
        new PoolOptions().setHttp1MaxSize(connections));
  }

  /** POSTs a form ({@code params}: name, value, name, value...) and returns the body; fails on a non-200. */
  public Future<Buffer> post(String path, String token, String... params) {
    return post(30_000, path, token, params);
  }

  /** As {@link #post(String, String, String...)}, failing if no byte comes back for {@code idleTimeoutMs}. */
  public Future<Buffer> post(long idleTimeoutMs, String path, String token, String... params) {
    StringBuilder form = new StringBuilder();
    for (int i = 0; i + 1 < params.length; i += 2) {
      if (form.length() > 0) {
        form.append('&');
      }
      form.append(params[i]).append('=').append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
    }
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
        .setURI(path).setIdleTimeout(idleTimeoutMs)
        .putHeader("content-type", "application/x-www-form-urlencoded");
    if (token != null && !token.isEmpty()) {
      options.putHeader("authorization", "Bearer " + token);
    }
    return http.request(options)
        .compose(req -> req.send(Buffer.buffer(form.toString())))
        .compose(resp -> resp.statusCode() == 200
            ? resp.body()
            : Future.failedFuture("HTTP " + resp.statusCode() + " from " + path));
  }

  /**
   * A Slack-style call that must answer {@code ok:true}. Set-up calls (a 1,000-user invite on a busy box) may take
   * minutes, so they get a longer idle timeout than posts.
   */
  public Future<JsonObject> ok(String path, String token, String... params) {
    return post(300_000, path, token, params).compose(body -> {
      JsonObject json = body.toJsonObject();
      return json.getBoolean("ok", false)
          ? Future.succeededFuture(json)
          : Future.failedFuture(path + " failed: " + json.encode());
    });
  }

  /** True if a response body says {@code "ok":true}, without parsing it (the hot path of posting). */
  public static boolean isOk(Buffer body) {
    return body.toString(StandardCharsets.UTF_8).contains("\"ok\":true");
  }

  public Future<Void> close() {
    return http.close();
  }
}
