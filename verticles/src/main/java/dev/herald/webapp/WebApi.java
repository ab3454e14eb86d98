package dev.herald.webapp;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.ring.RingView;
import dev.herald.storage.Storage;
import dev.herald.storage.User;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The Web API's route table: Slack method name → handler. Authenticated methods get the caller resolved from the
 * token first. Every outcome is a JSON body with {@code ok}; errors carry a Slack error code.
 */
public final class WebApi {
  private static final System.Logger LOG = System.getLogger(WebApi.class.getName());

  private record Endpoint(boolean authenticated, ApiMethod method, Function<ApiRequest, Future<JsonObject>> open) {}

  private final Map<String, Endpoint> endpoints = new HashMap<>();
  private final Storage storage;

  public WebApi(Storage storage, EventBus bus, EventPublisher publisher, RingView presenceRing, String baseUrl) {
    this.storage = storage;
    Access access = new Access(storage);
    Posting posting = new Posting(storage, access, publisher);
    AuthMethods auth = new AuthMethods(storage, baseUrl);
    RtmMethods rtm = new RtmMethods(storage, bus);
    ChatMethods chat = new ChatMethods(posting);
    ConversationMethods conversations = new ConversationMethods(storage, access, publisher);
    PresenceMethods presence = new PresenceMethods(storage, bus, presenceRing, publisher);

    open("api.test", auth::apiTest);
    open("users.register", auth::register);
    authenticated("auth.test", auth::authTest);
    authenticated("auth.revoke", auth::revoke);
    authenticated("rtm.connect", rtm::connect);
    authenticated("chat.postMessage", chat::postMessage);
    authenticated("conversations.create", conversations::create);
    authenticated("conversations.join", conversations::join);
    authenticated("conversations.leave", conversations::leave);
    authenticated("conversations.invite", conversations::invite);
    authenticated("conversations.list", conversations::list);
    authenticated("conversations.members", conversations::members);
    authenticated("conversations.info", conversations::info);
    authenticated("conversations.history", conversations::history);
    authenticated("users.getPresence", presence::getPresence);
    authenticated("users.setPresence", presence::setPresence);
  }

  private void open(String name, Function<ApiRequest, Future<JsonObject>> handler) {
    endpoints.put(name, new Endpoint(false, null, handler));
  }

  private void authenticated(String name, ApiMethod handler) {
    endpoints.put(name, new Endpoint(true, handler, null));
  }

  /** Runs a call to completion; the future always succeeds with the response body. */
  public Future<JsonObject> handle(ApiRequest request) {
    Endpoint endpoint = endpoints.get(request.method());
    Future<JsonObject> result;
    try {
      if (endpoint == null) {
        result = Future.failedFuture(new HeraldException(ErrorCode.UNKNOWN_METHOD));
      } else if (!endpoint.authenticated()) {
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
    return storage.userByTokenHash(Tokens.hash(token)).compose(user -> user == null
        ? Future.failedFuture(new HeraldException(ErrorCode.INVALID_AUTH))
        : Future.succeededFuture(user));
  }

  static JsonObject error(String method, Throwable err) {
    ErrorCode code = HeraldException.codeOf(err);
    if (code == ErrorCode.INTERNAL_ERROR || code == ErrorCode.SERVICE_UNAVAILABLE) {
      LOG.log(System.Logger.Level.ERROR, "webapp: " + method + " failed", err);
    }
    return new JsonObject().put("ok", false).put("error", code.slack);
  }
}
