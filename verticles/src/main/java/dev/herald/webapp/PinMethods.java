package dev.herald.webapp;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.protocol.SlackTs;
import dev.herald.storage.Conversation;
import dev.herald.storage.Message;
import dev.herald.storage.Pin;
import dev.herald.storage.Storage;
import dev.herald.storage.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** {@code pins.*}: pinned messages; {@code pin_added}/{@code pin_removed} go to the channel. */
public final class PinMethods {
  private final Storage storage;
  private final Access access;
  private final EventPublisher publisher;
  private final MessageViews messages;
  private final Supplier<String> baseUrl;

  public PinMethods(Storage storage, Access access, EventPublisher publisher, Supplier<String> baseUrl) {
    this.storage = storage;
    this.access = access;
    this.publisher = publisher;
    this.messages = new MessageViews(storage);
    this.baseUrl = baseUrl;
  }

  public Future<JsonObject> add(ApiCall call) {
    User user = call.user();
    return ReactionMethods.item(storage, access, call).compose(item -> {
      if (item.conversation().isArchived()) {
        return Future.failedFuture(new HeraldException(ErrorCode.IS_ARCHIVED));
      }
      return storage.addPin(item.conversation().id(), item.message().ts(), user.id()).compose(added -> added
          ? announce(item, user, "pin_added")
          : Future.failedFuture(new HeraldException(ErrorCode.ALREADY_PINNED)));
    }).map(v -> new JsonObject());
  }

  public Future<JsonObject> remove(ApiCall call) {
    User user = call.user();
    return ReactionMethods.item(storage, access, call).compose(item ->
        storage.removePin(item.conversation().id(), item.message().ts()).compose(removed -> removed
            ? announce(item, user, "pin_removed")
            : Future.failedFuture(new HeraldException(ErrorCode.NO_PIN))))
        .map(v -> new JsonObject());
  }

  private Future<Void> announce(ReactionMethods.Item item, User user, String type) {
    Conversation c = item.conversation();
    Message m = item.message();
    long now = SlackTs.nowMicros();
    return storage.pins(c.id()).compose(pins -> {
      JsonObject event = new JsonObject()
          .put("type", type)
          .put("user", user.id())
          .put("channel_id", c.id())
          .put("item", pinItem(c, m, user.id(), now, SlackJson.message(m, c.teamId())))
          .put("item_user", m.userId())
          .put("pin_count", pins.size())
          .put("pinned_info", new JsonObject().put("channel", c.id()).put("pinned_by", user.id())
              .put("pinned_ts", now / 1_000_000L));
      if (type.equals("pin_removed")) {
        event.put("has_pins", !pins.isEmpty());
      }
      return publisher.publish(c.id(), type, user.id(), null, event);
    });
  }

  private JsonObject pinItem(Conversation c, Message m, String pinnedBy, long pinnedAt, JsonObject message) {
    return new JsonObject()
        .put("type", "message")
        .put("channel", c.id())
        .put("created", pinnedAt / 1_000_000L)
        .put("created_by", pinnedBy)
        .put("message", message
            .put("permalink", SlackJson.permalink(baseUrl.get(), c.id(), m.ts(), m.threadTs()))
            .put("pinned_to", new JsonArray().add(c.id())));
  }

  /** The channel's pins, the newest first. Slack does not paginate this one. */
  public Future<JsonObject> list(ApiCall call) {
    String channel = call.request().requiredString("channel", ErrorCode.CHANNEL_NOT_FOUND);
    return access.member(call.user(), channel).compose(c -> storage.pins(c.id()).compose(pins -> {
      List<Future<JsonObject>> items = new ArrayList<>();
      for (Pin pin : pins) {
        items.add(storage.message(c.id(), pin.ts()).compose(m -> m == null
            ? Future.succeededFuture(null)
            : messages.one(c, m).map(json -> pinItem(c, m, pin.pinnedBy(), pin.created(), json))));
      }
      return Future.all(items).map(done -> {
        JsonArray out = new JsonArray();
        items.forEach(f -> {
          if (f.result() != null) {
            out.add(f.result());
          }
        });
        return new JsonObject().put("items", out);
      });
    }));
  }
}
