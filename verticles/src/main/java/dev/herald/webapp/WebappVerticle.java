package dev.herald.webapp;

import dev.herald.shared.Addresses;
import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.bus.AuthChange;
import dev.herald.shared.bus.PostResult;
import dev.herald.shared.bus.RtmPost;
import dev.herald.shared.bus.SessionChannels;
import dev.herald.shared.bus.SessionRequest;
import dev.herald.shared.config.HeraldConfig;
import dev.herald.shared.protocol.SlackTs;
import dev.herald.shared.ring.RingFollower;
import dev.herald.shared.ring.RingView;
import dev.herald.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The Webapp: Slack's Web API over HTTP at {@code /api/<method>}, plus the bus endpoints Gateways call (a user's
 * channels on connect, RTM posts). Stateless apart from the shared {@link Storage}; run as many as you like.
 */
public final class WebappVerticle extends VerticleBase {
  private static final String LIMITER_MAP = "herald.webapp.rate-limiter";
  private static final String TOKEN_CACHE_MAP = "herald.webapp.token-cache";
  private final HeraldConfig config;
  private final Storage storage;
  private HttpServer server;
  private WebApi api;
  private Posting posting;
  private RateLimiter limiter;
  /** Until the server is bound, the configured port stands in (it differs only when configured as 0). */
  private volatile String baseUrl;

  public WebappVerticle(HeraldConfig config, Storage storage) {
    this.config = config;
    this.storage = storage;
  }

  @Override
  public Future<?> start() {
    EventPublisher publisher = new EventPublisher(vertx.eventBus(), storage);
    baseUrl = "http://" + config.webapp().host() + ":" + config.webapp().port() + "/";
    RingView presenceRing = RingView.presence(config.ring().virtualNodes());
    // One token cache per JVM, like the limiter: a revoke answered by one instance holds for all of them at once.
    TokenCache tokens = (TokenCache) vertx.sharedData().<String, TokenCache>getLocalMap(TOKEN_CACHE_MAP)
        .computeIfAbsent("tokens", k -> new TokenCache(Duration.ofSeconds(config.webapp().tokenCacheSeconds())));
    Consumer<AuthChange> authChanged = change -> {
      tokens.forget(change);
      vertx.eventBus().publish(Addresses.WEBAPP_AUTH_CHANGES, change);
    };
    api = new WebApi(storage, vertx.eventBus(), publisher, presenceRing, () -> baseUrl, tokens, authChanged);
    posting = new Posting(storage, new Access(storage), publisher);
    // One limiter per JVM, whichever Webapp instance gets there first: instances share the listening port.
    limiter = (RateLimiter) vertx.sharedData().<String, RateLimiter>getLocalMap(LIMITER_MAP)
        .computeIfAbsent("limiter", k -> new RateLimiter(config.rateLimits()));
    vertx.setPeriodic(30_000, id -> limiter.purge(System.currentTimeMillis()));

    Router router = Router.router(vertx);
    router.route("/api/*")
        .handler(BodyHandler.create(false).setBodyLimit(config.webapp().maxBodyBytes()))
        .failureHandler(this::onFailure);
    router.route("/api/:method").method(HttpMethod.GET).method(HttpMethod.POST).handler(this::onApiCall);
    // Anything else under /api/ (no method, nested paths, other verbs) is still a Slack answer: the SDKs retry a 404.
    router.route("/api/*").handler(ctx -> respond(ctx,
        new JsonObject().put("ok", false).put("error", ErrorCode.UNKNOWN_METHOD.slack)));
    router.get("/health").handler(ctx -> ctx.response().end("ok"));

    var bus = vertx.eventBus();
    return RingFollower.follow(vertx, presenceRing, (before, after) -> { }).compose(f -> Future.all(
            bus.<SessionRequest>consumer(Addresses.WEBAPP_SESSION, this::onSessionRequest).completion(),
            bus.<RtmPost>consumer(Addresses.WEBAPP_RTM_POST, this::onRtmPost).completion(),
            bus.<AuthChange>consumer(Addresses.WEBAPP_AUTH_CHANGES, msg -> tokens.forget(msg.body())).completion()))
        .compose(v -> vertx.createHttpServer(new HttpServerOptions()
                .setHost(config.webapp().host())
                .setPort(HeraldConfig.listenPort(config.webapp().port(), HeraldConfig.WEBAPP_PORT_SLOT))
                // Slack's SDKs send 40,000-character texts and large blocks as single form fields.
                .setMaxFormAttributeSize(config.webapp().maxBodyBytes()))
            .requestHandler(router)
            .listen())
        .onSuccess(s -> {
          server = s;
          baseUrl = "http://" + config.webapp().host() + ":" + s.actualPort() + "/";
        });
  }

  /** The port actually bound (differs from the configured one when that is 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private void onApiCall(RoutingContext ctx) {
    String method = ctx.pathParam("method");
    JsonObject json = null;
    MultiMap form = ctx.request().formAttributes();
    String contentType = ctx.request().getHeader("content-type");
    if (contentType != null && contentType.startsWith("application/json") && ctx.body().length() > 0) {
      try {
        json = ctx.body().asJsonObject();
      } catch (DecodeException | ClassCastException e) {
        respond(ctx, new JsonObject().put("ok", false).put("error", ErrorCode.INVALID_JSON.slack));
        return;
      }
    }
    ApiRequest request = ApiRequest.of(method, ctx.queryParams(), form, json,
        ctx.request().getHeader("authorization"));
    long retryAfter = rateLimited(ctx, request);
    if (retryAfter > 0) {
      // Slack's SDKs pause and retry on 429 only with an integer Retry-After; without one they give up.
      ctx.response().setStatusCode(429)
          .putHeader("retry-after", Long.toString(retryAfter))
          .putHeader("content-type", "application/json; charset=utf-8")
          .end(new JsonObject().put("ok", false).put("error", ErrorCode.RATELIMITED.slack).toBuffer());
      return;
    }
    api.handle(request).onComplete(ar -> respond(ctx, ar.result()));
  }

  /** Seconds to wait, or 0. Callers are told apart by token, or by address when they have none. */
  private long rateLimited(RoutingContext ctx, ApiRequest request) {
    RateLimiter.Tier tier = api.tierOf(request.method());
    if (tier == null || !limiter.enabled()) {
      return 0;
    }
    String caller = request.token() != null
        ? request.tokenHash()
        : "addr:" + ctx.request().remoteAddress().hostAddress();
    String key = caller + "|" + request.method();
    if (tier == RateLimiter.Tier.SPECIAL) {
      String channel;
      try {
        channel = request.string("channel");
      } catch (HeraldException e) {
        channel = null;
      }
      key += "|" + channel;
    }
    return limiter.acquire(key, tier, System.currentTimeMillis());
  }

  /** Slack's SDKs retry anything but 200 and 429 for half an hour: errors are 200 with {@code ok:false}. */
  private void onFailure(RoutingContext ctx) {
    ErrorCode code = ctx.statusCode() == 413 ? ErrorCode.REQUEST_TOO_LARGE : ErrorCode.INVALID_ARGUMENTS;
    respond(ctx, new JsonObject().put("ok", false).put("error", code.slack));
  }

  private static void respond(RoutingContext ctx, JsonObject body) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    ctx.response().setStatusCode(200)
        .putHeader("content-type", "application/json; charset=utf-8")
        .end(body.toBuffer());
  }

  private void onSessionRequest(Message<SessionRequest> message) {
    String userId = message.body().userId();
    storage.user(userId)
        .compose(user -> user == null
            ? Future.failedFuture(new HeraldException(ErrorCode.USER_NOT_FOUND))
            : storage.conversationIdsOf(userId).map(ids -> new SessionChannels(userId, user.teamId(), ids)))
        .onSuccess(message::reply)
        .onFailure(err -> fail(message, err));
  }

  private void onRtmPost(Message<RtmPost> message) {
    RtmPost post = message.body();
    storage.user(post.userId())
        .compose(user -> user == null
            ? Future.failedFuture(new HeraldException(ErrorCode.INVALID_AUTH))
            : posting.post(user, post.channelId(), post.text(), null, null))
        .onSuccess(posted -> message.reply(
            new PostResult(posted.conversation().id(), SlackTs.format(posted.message().ts()), posted.message().text())))
        .onFailure(err -> fail(message, err));
  }

  private static void fail(Message<?> message, Throwable err) {
    ErrorCode code = HeraldException.codeOf(err);
    message.fail(code.wire, code.slack);
  }
}
