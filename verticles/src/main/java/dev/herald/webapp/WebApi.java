package dev.herald.webapp;

import static dev.herald.webapp.RateLimiter.Tier.SPECIAL;
import static dev.herald.webapp.RateLimiter.Tier.TIER_1;
import static dev.herald.webapp.RateLimiter.Tier.TIER_2;
import static dev.herald.webapp.RateLimiter.Tier.TIER_3;
import static dev.herald.webapp.RateLimiter.Tier.TIER_4;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.bus.AuthChange;
import dev.herald.shared.ring.RingView;
import dev.herald.storage.Storage;
import dev.herald.storage.User;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Web API's route table: Slack method name → rate-limit tier and handler (tiers as Slack's reference gives
 * them). Authenticated methods get the caller resolved from the token first. Every outcome is a JSON body with
 * {@code ok}; errors carry a Slack error code.
 */
public final class WebApi {
  private static final System.Logger LOG = System.getLogger(WebApi.class.getName());

  private record Endpoint(RateLimiter.Tier tier, ApiMethod method, Function<ApiRequest, Future<JsonObject>> open) {}

  private final Map<String, Endpoint> endpoints = new TreeMap<>();
  private final Storage storage;
  private final TokenCache tokens;

  /**
   * {@code tokens} remembers whose each token is; {@code authChanged} makes every Webapp forget a revoked token or a
   * changed user (this JVM's cache at once, the others' over the bus).
   */
  public WebApi(Storage storage, EventBus bus, EventPublisher publisher, RingView presenceRing,
      Supplier<String> baseUrl, TokenCache tokens, Consumer<AuthChange> authChanged) {
    this.storage = storage;
    this.tokens = tokens;
    Access access = new Access(storage);
    Posting posting = new Posting(storage, access, publisher);
    AuthMethods auth = new AuthMethods(storage, baseUrl, publisher, authChanged);
    TeamMethods team = new TeamMethods(storage);
    RtmMethods rtm = new RtmMethods(storage, bus);
    ChatMethods chat = new ChatMethods(storage, access, posting, publisher, baseUrl);
    ConversationMethods conversations = new ConversationMethods(storage, access, publisher, posting);
    ReactionMethods reactions = new ReactionMethods(storage, access, publisher);
    PinMethods pins = new PinMethods(storage, access, publisher, baseUrl);
    BookmarkMethods bookmarks = new BookmarkMethods(storage, access, publisher);
    UserMethods users = new UserMethods(storage, access, publisher, conversations, authChanged);
    PresenceMethods presence = new PresenceMethods(storage, access, bus, presenceRing, publisher);

    open("api.test", TIER_4, auth::apiTest);
    open("users.register", TIER_2, auth::register);
    open("users.registerBatch", TIER_2, auth::registerBatch);
    route("auth.test", TIER_4, auth::authTest);
    route("auth.revoke", TIER_3, auth::revoke);
    route("team.info", TIER_3, team::info);
    route("admin.teams.create", TIER_1, team::create);
    route("rtm.connect", TIER_1, rtm::connect);

    route("chat.postMessage", SPECIAL, chat::postMessage);
    route("chat.update", TIER_3, chat::update);
    route("chat.delete", TIER_3, chat::delete);
    route("chat.postEphemeral", TIER_4, chat::postEphemeral);
    route("chat.meMessage", TIER_3, chat::meMessage);
    route("chat.getPermalink", TIER_4, chat::getPermalink);

    route("conversations.create", TIER_2, conversations::create);
    route("conversations.join", TIER_3, conversations::join);
    route("conversations.leave", TIER_3, conversations::leave);
    route("conversations.invite", TIER_3, conversations::invite);
    route("conversations.kick", TIER_3, conversations::kick);
    route("conversations.list", TIER_2, conversations::list);
    route("conversations.history", TIER_3, conversations::history);
    route("conversations.replies", TIER_3, conversations::replies);
    route("conversations.members", TIER_4, conversations::members);
    route("conversations.info", TIER_3, conversations::info);
    route("conversations.rename", TIER_2, conversations::rename);
    route("conversations.archive", TIER_2, conversations::archive);
    route("conversations.unarchive", TIER_2, conversations::unarchive);
    route("conversations.setTopic", TIER_2, conversations::setTopic);
    route("conversations.setPurpose", TIER_2, conversations::setPurpose);
    route("conversations.mark", TIER_3, conversations::mark);
    route("conversations.open", TIER_3, conversations::open);

    route("reactions.add", TIER_3, reactions::add);
    route("reactions.remove", TIER_2, reactions::remove);
    route("reactions.get", TIER_3, reactions::get);
    route("reactions.list", TIER_2, reactions::list);

    route("pins.add", TIER_2, pins::add);
    route("pins.remove", TIER_2, pins::remove);
    route("pins.list", TIER_2, pins::list);

    route("bookmarks.add", TIER_2, bookmarks::add);
    route("bookmarks.edit", TIER_2, bookmarks::edit);
    route("bookmarks.remove", TIER_2, bookmarks::remove);
    route("bookmarks.list", TIER_3, bookmarks::list);

    route("users.list", TIER_2, users::list);
    route("users.info", TIER_4, users::info);
    route("users.conversations", TIER_3, users::conversations);
    route("users.getPresence", TIER_3, presence::getPresence);
    route("users.setPresence", TIER_2, presence::setPresence);
    route("users.profile.get", TIER_4, users::profileGet);
    route("users.profile.set", TIER_3, users::profileSet);
  }

  private void open(String name, RateLimiter.Tier tier, Function<ApiRequest, Future<JsonObject>> handler) {
    endpoints.put(name, new Endpoint(tier, null, handler));
  }

  private void route(String name, RateLimiter.Tier tier, ApiMethod handler) {
    endpoints.put(name, new Endpoint(tier, handler, null));
  }

  /** Every method served, by name. */
  public Set<String> methods() {
    return endpoints.keySet();
  }

  /** The method's rate-limit tier, or null for a method we do not have. */
  public RateLimiter.Tier tierOf(String method) {
    Endpoint endpoint = endpoints.get(method);
    return endpoint == null ? null : endpoint.tier();
  }

  /** Runs a call to completion; the future always succeeds with the response body. */
  public Future<JsonObject> handle(ApiRequest request) {
    Endpoint endpoint = endpoints.get(request.method());
    Future<JsonObject> result;
    try {
      if (endpoint == null) {
        result = Future.failedFuture(new HeraldException(ErrorCode.UNKNOWN_METHOD));
      } else if (endpoint.open() != null) {
        result = endpoint.open().apply(request);
      } else {
        result = authenticate(request).compose(user -> endpoint.method().call(new ApiCall(request, user)));
      }
    } catch (HeraldException e) {
      result = Future.failedFuture(e);
    }
    return result.map(body -> body.containsKey("ok") ? body : new JsonObject().put("ok", true).mergeIn(body))
        .recover(err -> Future.succeededFuture(error(request.method(), err)));
  }

  private Future<User> authenticate(ApiRequest request) {
    String token = request.token();
    if (token == null) {
      return Future.failedFuture(new HeraldException(ErrorCode.NOT_AUTHED));
    }
    if (token.length() > 256) {
      return Future.failedFuture(new HeraldException(ErrorCode.INVALID_AUTH));
    }
    String hash = request.tokenHash();
    User known = tokens.get(hash);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    long generation = tokens.generation();
    return storage.userByTokenHash(hash).compose(user -> {
      if (user == null) {
        return Future.failedFuture(new HeraldException(ErrorCode.INVALID_AUTH));
      }
      tokens.remember(hash, user, generation);
      return Future.succeededFuture(user);
    });
  }

  static JsonObject error(String method, Throwable err) {
    ErrorCode code = HeraldException.codeOf(err);
    if (code == ErrorCode.INTERNAL_ERROR || code == ErrorCode.SERVICE_UNAVAILABLE) {
      LOG.log(System.Logger.Level.ERROR, "webapp: " + method + " failed", err);
    }
    return new JsonObject().put("ok", false).put("error", code.slack);
  }
}
