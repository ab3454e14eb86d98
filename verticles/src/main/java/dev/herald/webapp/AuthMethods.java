package dev.herald.webapp;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.bus.AuthChange;
import dev.herald.shared.protocol.SlackIds;
import dev.herald.shared.protocol.SlackTs;
import dev.herald.storage.Position;
import dev.herald.storage.Storage;
import dev.herald.storage.Team;
import dev.herald.storage.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@code api.test}, {@code auth.test}, and {@code users.register} with its bulk form {@code users.registerBatch} (ours:
 * Slack has no sign-up method).
 */
public final class AuthMethods {
  /** Slack's rules for names: lowercase letters, digits, periods, hyphens and underscores. */
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,79}");

  /** The most names one {@code users.registerBatch} call takes, as {@code conversations.invite} takes 1,000 users. */
  static final int MAX_BATCH = 1_000;

  private static final Pattern ERROR_CODE = Pattern.compile("[a-z0-9_]{1,64}");

  private final Storage storage;
  private final java.util.function.Supplier<String> baseUrl;
  private final EventPublisher publisher;
  private final Consumer<AuthChange> authChanged;

  public AuthMethods(Storage storage, java.util.function.Supplier<String> baseUrl, EventPublisher publisher,
      Consumer<AuthChange> authChanged) {
    this.storage = storage;
    this.baseUrl = baseUrl;
    this.publisher = publisher;
    this.authChanged = authChanged;
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
    String hash = call.request().tokenHash();
    return storage.revokeToken(hash).map(revoked -> {
      // Before the answer: once the caller hears "revoked", no Webapp of this JVM takes the token again.
      authChanged.accept(AuthChange.tokenRevoked(hash));
      return new JsonObject().put("revoked", revoked);
    });
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
    String realName = request.string("real_name");
    if (realName != null && realName.length() > 255) {
      return Future.failedFuture(new HeraldException(ErrorCode.INVALID_ARGUMENTS, "real_name is too long"));
    }
    return team(request).compose(team -> registerAll(team, List.of(name), realName, request.bool("is_bot", false)))
        .map(registered -> registered.get(0));
  }

  /**
   * {@code users.registerBatch} (ours): {@code users.register} for up to 1,000 {@code names} (comma-separated or a
   * JSON array) in one call and one transaction, all or none; {@code is_bot} applies to all. Returns
   * {@code registered}: one {@code {user, token}} per name, in order. For set-up at scale (the load tester).
   */
  public Future<JsonObject> registerBatch(ApiRequest request) {
    List<String> names = request.csv("names");
    if (names.isEmpty()) {
      return Future.failedFuture(new HeraldException(ErrorCode.INVALID_NAME, "names is required"));
    }
    if (names.size() > MAX_BATCH) {
      return Future.failedFuture(new HeraldException(ErrorCode.TOO_MANY_USERS, "at most " + MAX_BATCH + " names"));
    }
    if (new HashSet<>(names).size() < names.size()) {
      return Future.failedFuture(new HeraldException(ErrorCode.NAME_TAKEN, "a name is repeated"));
    }
    return team(request).compose(team -> registerAll(team, names, null, request.bool("is_bot", false)))
        .map(registered -> new JsonObject().put("registered", new JsonArray(registered)));
  }

  /** The team a registration joins: {@code team_id}, or the default team. */
  private Future<Team> team(ApiRequest request) {
    String teamId = request.string("team_id");
    if (teamId == null) {
      return storage.defaultTeam();
    }
    if (!SlackIds.looksValid(teamId)) {
      return Future.failedFuture(new HeraldException(ErrorCode.TEAM_NOT_FOUND));
    }
    return storage.team(teamId).compose(t -> t == null
        ? Future.failedFuture(new HeraldException(ErrorCode.TEAM_NOT_FOUND))
        : Future.succeededFuture(t));
  }

  /** Both registration methods: validate, store every user in one transaction, then tell the team. */
  private Future<List<JsonObject>> registerAll(Team team, List<String> names, String realName, boolean isBot) {
    List<Storage.NewUser> fresh = new ArrayList<>(names.size());
    List<String> tokens = new ArrayList<>(names.size());
    for (String name : names) {
      if (!NAME.matcher(name).matches()) {
        return Future.failedFuture(new HeraldException(ErrorCode.INVALID_NAME, "invalid name: " + name));
      }
      String token = Tokens.mint(isBot);
      tokens.add(token);
      fresh.add(new Storage.NewUser(name, realName == null ? name : realName, isBot, Tokens.hash(token)));
    }
    return storage.createUsers(team.id(), fresh)
        .compose(users -> announce(users).map(v -> {
          List<JsonObject> registered = new ArrayList<>(users.size());
          for (int i = 0; i < users.size(); i++) {
            registered.add(new JsonObject().put("user", SlackJson.user(users.get(i))).put("token", tokens.get(i)));
          }
          return registered;
        }));
  }

  /** Slack tells the whole team about each newcomer with team_join, on the team's channel. */
  private Future<Void> announce(List<User> users) {
    String teamId = users.get(0).teamId();
    return storage.nextPositions(teamId, users.size()).map(positions -> {
      for (int i = 0; i < users.size(); i++) {
        User user = users.get(i);
        Position position = positions.get(i);
        publisher.publish(teamId, position, "team_join", user.id(), null, new JsonObject().put("type", "team_join")
            .put("user", SlackJson.user(user)).put("event_ts", SlackTs.format(position.ts())));
      }
      return null;
    });
  }
}
