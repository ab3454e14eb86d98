package dev.herald.webapp;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.protocol.SlackIds;
import dev.herald.storage.Storage;
import dev.herald.storage.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/** {@code api.test}, {@code auth.test} and {@code users.register} (ours: Slack has no sign-up method). */
public final class AuthMethods {
  /** Slack's rules for names: lowercase letters, digits, periods, hyphens and underscores. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,79}");

  private static final Pattern ERROR_CODE = Pattern.compile("[a-z0-9_]{1,64}");

  private final Storage storage;
  private final java.util.function.Supplier<String> baseUrl;
  private final EventPublisher publisher;

  public AuthMethods(Storage storage, java.util.function.Supplier<String> baseUrl, EventPublisher publisher) {
    this.storage = storage;
    this.baseUrl = baseUrl;
    this.publisher = publisher;
  }

  /** Echoes its arguments (the token excepted), as Slack's does; {@code error} makes it fail with that error. */
  public Future<JsonObject> apiTest(ApiRequest request) {
    JsonObject args = new JsonObject(request.arguments());
    JsonObject body = args.isEmpty() ? new JsonObject() : new JsonObject().put("args", args);
    String error = request.string("error");
    if (error != null) {
      // Echoed as Slack does, but only when it has the shape of an error code: an error field is never free text.
      String code = ERROR_CODE.matcher(error).matches() ? error : ErrorCode.INVALID_ARGUMENTS.slack;
      return Future.succeededFuture(new JsonObject().put("ok", false).put("error", code).mergeIn(body));
    }
    return Future.succeededFuture(body);
  }

  public Future<JsonObject> authTest(ApiCall call) {
    User user = call.user();
    return storage.team(user.teamId()).map(team -> {
      JsonObject body = new JsonObject()
          .put("url", baseUrl.get())
          .put("team", team.name())
          .put("user", user.name())
          .put("team_id", team.id())
          .put("user_id", user.id())
          .put("is_enterprise_install", false);
      if (user.isBot()) {
        body.put("bot_id", "B" + user.id().substring(1));
      }
      return body;
    });
  }

  /** {@code auth.revoke}: the calling token stops working at once. {@code test=true} only checks it. */
  public Future<JsonObject> revoke(ApiCall call) {
    if (call.request().bool("test", false)) {
      return Future.succeededFuture(new JsonObject().put("revoked", false));
    }
    return storage.revokeToken(Tokens.hash(call.request().token()))
        .map(revoked -> new JsonObject().put("revoked", revoked));
  }

  /**
   * {@code users.register}: name (required, unique in the team), real_name, is_bot, team_id (default: the default
   * team). Returns the user and a token. The first user of a team is its owner.
   */
  public Future<JsonObject> register(ApiRequest request) {
    String name = request.string("name");
    if (name == null) {
      return Future.failedFuture(new HeraldException(ErrorCode.INVALID_NAME, "name is required"));
    }
    if (!NAME.matcher(name).matches()) {
      return Future.failedFuture(new HeraldException(ErrorCode.INVALID_NAME));
    }
    String realName = request.string("real_name");
    if (realName != null && realName.length() > 255) {
      return Future.failedFuture(new HeraldException(ErrorCode.INVALID_ARGUMENTS, "real_name is too long"));
    }
    boolean isBot = request.bool("is_bot", false);
    String token = Tokens.mint(isBot);
    String teamId = request.string("team_id");
    Future<dev.herald.storage.Team> team = teamId == null
        ? storage.defaultTeam()
        : !SlackIds.looksValid(teamId)
            ? Future.failedFuture(new HeraldException(ErrorCode.TEAM_NOT_FOUND))
            : storage.team(teamId).compose(t -> t == null
                ? Future.failedFuture(new HeraldException(ErrorCode.TEAM_NOT_FOUND))
                : Future.succeededFuture(t));
    return team
        .compose(t -> storage.createUser(t.id(), name, realName == null ? name : realName, isBot,
            Tokens.hash(token)))
        // Slack tells the whole team about a newcomer with team_join, on the team's channel.
        .compose(user -> publisher.publish(user.teamId(), "team_join", user.id(), null,
                new JsonObject().put("type", "team_join").put("user", SlackJson.user(user)))
            .map(v -> new JsonObject().put("user", SlackJson.user(user)).put("token", token)));
  }
}
