package dev.herald.webapp;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.protocol.SlackTs;
import dev.herald.storage.Conversation;
import dev.herald.storage.Message;
import dev.herald.storage.ReactedItem;
import dev.herald.storage.Storage;
import dev.herald.storage.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** {@code reactions.*}: emoji on messages; {@code reaction_added}/{@code reaction_removed} go to the channel. */
public final class ReactionMethods {
  /** Emoji names as Slack writes them, optionally with a skin tone: {@code thumbsup::skin-tone-2}. */
  private static final Pattern EMOJI = Pattern.compile("[a-z0-9_+'-]{1,100}(::skin-tone-[2-6])?");

  private final Storage storage;
  private final Access access;
  private final EventPublisher publisher;
  private final MessageViews messages;

  public ReactionMethods(Storage storage, Access access, EventPublisher publisher) {
    this.storage = storage;
    this.access = access;
    this.publisher = publisher;
    this.messages = new MessageViews(storage);
  }

  /** {@code :thumbsup:} and {@code thumbsup} are the same reaction. */
  static String emojiName(ApiRequest request) {
    String name = request.string("name");
    if (name == null) {
      throw new HeraldException(ErrorCode.INVALID_NAME, "name is required");
    }
    String bare = name.trim().toLowerCase(Locale.ROOT);
    if (bare.length() > 2 && bare.startsWith(":") && bare.endsWith(":")) {
      bare = bare.substring(1, bare.length() - 1);
    }
    if (!EMOJI.matcher(bare).matches()) {
      throw new HeraldException(ErrorCode.INVALID_NAME);
    }
    return bare;
  }

  /** The item a reactions or pins call is about: a message, by channel and timestamp. */
  record Item(Conversation conversation, Message message) {}

  static Future<Item> item(Storage storage, Access access, ApiCall call) {
    ApiRequest request = call.request();
    String channel = request.string("channel");
    if (channel == null || request.string("timestamp") == null) {
      return Future.failedFuture(new HeraldException(ErrorCode.NO_ITEM_SPECIFIED));
    }
    long ts = request.requiredTs("timestamp", ErrorCode.NO_ITEM_SPECIFIED, ErrorCode.BAD_TIMESTAMP);
    return access.member(call.user(), channel).compose(c -> storage.message(c.id(), ts).compose(m -> m == null
        ? Future.failedFuture(new HeraldException(ErrorCode.MESSAGE_NOT_FOUND))
        : Future.succeededFuture(new Item(c, m))));
  }

  public Future<JsonObject> add(ApiCall call) {
    String name = emojiName(call.request());
    User user = call.user();
    return item(storage, access, call).compose(item -> {
      if (item.conversation().isArchived()) {
        return Future.failedFuture(new HeraldException(ErrorCode.IS_ARCHIVED));
      }
      return storage.addReaction(item.conversation().id(), item.message().ts(), name, user.id())
          .compose(added -> added
              ? publish(item, "reaction_added", name, user)
              : Future.failedFuture(new HeraldException(ErrorCode.ALREADY_REACTED)));
    }).map(v -> new JsonObject());
  }

  public Future<JsonObject> remove(ApiCall call) {
    String name = emojiName(call.request());
    User user = call.user();
    return item(storage, access, call).compose(item ->
        storage.removeReaction(item.conversation().id(), item.message().ts(), name, user.id())
            .compose(removed -> removed
                ? publish(item, "reaction_removed", name, user)
                : Future.failedFuture(new HeraldException(ErrorCode.NO_REACTION))))
        .map(v -> new JsonObject());
  }

  private Future<Void> publish(Item item, String type, String name, User user) {
    Conversation c = item.conversation();
    return publisher.publish(c.id(), type, user.id(), null, new JsonObject()
        .put("type", type)
        .put("user", user.id())
        .put("reaction", name)
        .put("item_user", item.message().userId())
        .put("item", new JsonObject().put("type", "message").put("channel", c.id())
            .put("ts", SlackTs.format(item.message().ts()))));
  }

  public Future<JsonObject> get(ApiCall call) {
    return item(storage, access, call).compose(item -> messages.one(item.conversation(), item.message())
        .map(message -> new JsonObject()
            .put("type", "message")
            .put("channel", item.conversation().id())
            .put("message", message)));
  }

  /**
   * Messages {@code user} (the caller by default) reacted to, newest reaction first. Items in conversations the
   * caller cannot see are left out, so a page may hold fewer than {@code limit}.
   */
  public Future<JsonObject> list(ApiCall call) {
    ApiRequest request = call.request();
    User caller = call.user();
    String userId = request.string("user") == null ? caller.id() : request.string("user");
    int limit = request.integer("limit", 100, 1, 1000);
    ReactedItem after = decodeCursor(request.string("cursor"));
    return access.teamUser(caller, userId).compose(u -> storage.reactedItems(u.id(), after, limit + 1))
        .compose(found -> {
          boolean more = found.size() > limit;
          List<ReactedItem> page = more ? found.subList(0, limit) : found;
          String next = more ? encodeCursor(page.get(page.size() - 1)) : "";
          List<Future<JsonObject>> rendered = new ArrayList<>();
          for (ReactedItem item : page) {
            rendered.add(access.member(caller, item.channelId())
                .compose(c -> storage.message(c.id(), item.ts()).compose(m -> m == null
                    ? Future.succeededFuture(null)
                    : messages.one(c, m).map(message -> new JsonObject().put("type", "message")
                        .put("channel", c.id()).put("message", message))))
                .otherwise((JsonObject) null));
          }
          return Future.join(rendered).map(done -> {
            JsonArray items = new JsonArray();
            rendered.forEach(f -> {
              if (f.result() != null) {
                items.add(f.result());
              }
            });
            return new JsonObject().put("items", items)
                .put("response_metadata", new JsonObject().put("next_cursor", next));
          });
        });
  }

  private static String encodeCursor(ReactedItem item) {
    return Cursors.encode("reactions", item.reactedAt() + "/" + item.channelId() + "/" + item.ts());
  }

  private static ReactedItem decodeCursor(String cursor) {
    String position = Cursors.decode("reactions", cursor);
    if (position == null) {
      return null;
    }
    String[] parts = position.split("/");
    try {
      if (parts.length != 3) {
        throw new IllegalArgumentException(position);
      }
      return new ReactedItem(parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[0]));
    } catch (IllegalArgumentException e) {
      throw new HeraldException(ErrorCode.INVALID_CURSOR);
    }
  }
}
