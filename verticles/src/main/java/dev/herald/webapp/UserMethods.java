package dev.herald.webapp;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.bus.AuthChange;
import dev.herald.storage.Profile;
import dev.herald.storage.Storage;
import dev.herald.storage.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** {@code users.*} but presence ({@link PresenceMethods}, answered by the presence servers). */
public final class UserMethods {
  private static final Pattern STATUS_EMOJI = Pattern.compile("(:[a-z0-9_+'-]{1,100}:)?");
  private static final int MAX_FIELD = 255;
  private static final int MAX_STATUS = 100;

  private final Storage storage;
  private final EventPublisher publisher;
  private final ConversationMethods conversations;
  private final Consumer<AuthChange> authChanged;
  private final Access access;

  public UserMethods(Storage storage, Access access, EventPublisher publisher, ConversationMethods conversations,
      Consumer<AuthChange> authChanged) {
    this.storage = storage;
    this.access = access;
    this.publisher = publisher;
    this.conversations = conversations;
    this.authChanged = authChanged;
  }

  /** A user of the caller's team ({@code user_not_found} for anyone else); the caller when {@code id} is null. */
  private Future<User> teamUser(User caller, String id) {
    return id == null ? Future.succeededFuture(caller) : access.teamUser(caller, id);
  }

  private Future<JsonObject> full(User user) {
    return storage.profiles(List.of(user.id())).map(p -> SlackJson.user(user, p.get(user.id())));
  }

  public Future<JsonObject> list(ApiCall call) {
    ApiRequest request = call.request();
    int limit = request.integer("limit", 200, 1, 1000);
    String after = Cursors.decode("users", request.string("cursor"));
    return storage.users(call.user().teamId(), after, limit + 1).compose(found -> {
      boolean more = found.size() > limit;
      List<User> page = more ? found.subList(0, limit) : found;
      String next = more ? Cursors.encode("users", page.get(page.size() - 1).id()) : "";
      List<String> ids = new ArrayList<>();
      page.forEach(u -> ids.add(u.id()));
      return storage.profiles(ids).map(profiles -> {
        JsonArray members = new JsonArray();
        for (User u : page) {
          members.add(SlackJson.user(u, profiles.get(u.id())));
        }
        return new JsonObject().put("members", members)
            .put("cache_ts", System.currentTimeMillis() / 1000)
            .put("response_metadata", new JsonObject().put("next_cursor", next));
      });
    });
  }

  public Future<JsonObject> info(ApiCall call) {
    String id = call.request().requiredString("user", ErrorCode.USER_NOT_FOUND);
    boolean locale = call.request().bool("include_locale", false);
    return teamUser(call.user(), id).compose(this::full).map(user -> {
      if (locale) {
        user.put("locale", "en-US");
      }
      return new JsonObject().put("user", user);
    });
  }

  public Future<JsonObject> conversations(ApiCall call) {
    return teamUser(call.user(), call.request().string("user"))
        .compose(u -> conversations.listConversations(call, u.id()));
  }

  public Future<JsonObject> profileGet(ApiCall call) {
    return teamUser(call.user(), call.request().string("user"))
        .compose(u -> storage.profiles(List.of(u.id())).map(p -> new JsonObject()
            .put("profile", SlackJson.profile(u, p.get(u.id())))));
  }

  /**
   * Sets fields from {@code profile} (a JSON object, a string of one in forms) or one {@code name}/{@code value}
   * pair. Only one's own profile; the team hears of it ({@code user_change}).
   */
  public Future<JsonObject> profileSet(ApiCall call) {
    ApiRequest request = call.request();
    User user = call.user();
    String target = request.string("user");
    if (target != null && !target.equals(user.id())) {
      return Future.failedFuture(new HeraldException(ErrorCode.NOT_AUTHORIZED));
    }
    JsonObject changes;
    Object profile;
    try {
      profile = request.json("profile");
    } catch (HeraldException e) {
      return Future.failedFuture(new HeraldException(ErrorCode.INVALID_PROFILE));
    }
    if (profile instanceof JsonObject object) {
      changes = object;
    } else if (profile != null) {
      return Future.failedFuture(new HeraldException(ErrorCode.INVALID_PROFILE));
    } else if (request.string("name") != null) {
      changes = new JsonObject().put(request.string("name"), request.string("value") == null ? "" : request.string("value"));
    } else {
      return Future.failedFuture(new HeraldException(ErrorCode.INVALID_PROFILE));
    }
    return storage.profiles(List.of(user.id())).compose(found -> {
      Profile p = found.get(user.id());
      Profile updated = apply(p, changes);
      return storage.updateProfile(updated);
    }).compose(p -> {
      // The caller's User (real name included) is remembered with their token: drop it everywhere.
      authChanged.accept(AuthChange.userChanged(user.id()));
      User renamed = new User(user.id(), user.teamId(), user.name(), p.realName(), user.isBot(), user.created(),
          user.isOwner());
      return publisher.publish(user.teamId(), "user_change", user.id(), null,
              new JsonObject().put("type", "user_change").put("user", SlackJson.user(renamed, p)))
          .map(v -> new JsonObject().put("profile", SlackJson.profile(renamed, p)).put("username", user.name()));
    });
  }

  /** The profile with {@code changes} applied; unknown fields are ignored, as Slack ignores custom ones it lacks. */
  static Profile apply(Profile p, JsonObject changes) {
    String realName = text(changes, "real_name", p.realName(), MAX_FIELD);
    String displayName = text(changes, "display_name", p.displayName(), MAX_FIELD);
    String firstName = text(changes, "first_name", p.firstName(), MAX_FIELD);
    String lastName = text(changes, "last_name", p.lastName(), MAX_FIELD);
    String title = text(changes, "title", p.title(), MAX_FIELD);
    String phone = text(changes, "phone", p.phone(), MAX_FIELD);
    String email = text(changes, "email", p.email(), MAX_FIELD);
    String statusText = text(changes, "status_text", p.statusText(), MAX_STATUS);
    String statusEmoji = text(changes, "status_emoji", p.statusEmoji(), MAX_STATUS);
    if (!STATUS_EMOJI.matcher(statusEmoji).matches()) {
      throw new HeraldException(ErrorCode.INVALID_PROFILE, "status_emoji must look like :emoji:");
    }
    if (changes.containsKey("first_name") || changes.containsKey("last_name")) {
      if (!changes.containsKey("real_name")) {
        realName = (firstName + " " + lastName).trim();
      }
    }
    if (realName.isEmpty()) {
      realName = p.realName();
    }
    long expiration = p.statusExpiration();
    if (changes.containsKey("status_expiration")) {
      Object value = changes.getValue("status_expiration");
      try {
        expiration = value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value).trim());
      } catch (NumberFormatException e) {
        throw new HeraldException(ErrorCode.INVALID_PROFILE, "status_expiration must be a number");
      }
      if (expiration < 0) {
        throw new HeraldException(ErrorCode.INVALID_PROFILE, "status_expiration must not be negative");
      }
    }
    return new Profile(p.userId(), realName, displayName, firstName, lastName, title, phone, email, statusText,
        statusEmoji, expiration, p.updated());
  }

  private static String text(JsonObject changes, String field, String current, int max) {
    if (!changes.containsKey(field)) {
      return current;
    }
    Object value = changes.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw new HeraldException(ErrorCode.INVALID_PROFILE, field + " must be a string");
    }
    String text = value == null ? "" : ((String) value).trim();
    if (text.length() > max) {
      throw new HeraldException(ErrorCode.INVALID_PROFILE, field + " is too long");
    }
    return text;
  }
}
