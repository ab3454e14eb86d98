package dev.herald.webapp;

import dev.herald.shared.Addresses;
import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.bus.PresenceQuery;
import dev.herald.shared.bus.PresenceStatus;
import dev.herald.shared.bus.PresenceUpdate;
import dev.herald.shared.ring.RingView;
import dev.herald.storage.Storage;
import dev.herald.storage.User;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/** {@code users.getPresence} and {@code users.setPresence}, answered by the presence server owning the user. */
public final class PresenceMethods {
  private static final DeliveryOptions TIMEOUT = new DeliveryOptions().setSendTimeout(5_000);

  private final Storage storage;
  private final EventBus bus;
  private final RingView presenceRing;
  private final EventPublisher publisher;
  private final Access access;

  public PresenceMethods(Storage storage, Access access, EventBus bus, RingView presenceRing,
      EventPublisher publisher) {
    this.storage = storage;
    this.access = access;
    this.bus = bus;
    this.presenceRing = presenceRing;
    this.publisher = publisher;
  }

  public Future<JsonObject> getPresence(ApiCall call) {
    String userId = call.request().string("user");
    String target = userId == null ? call.user().id() : userId;
    return access.teamUser(call.user(), target).compose(user -> {
      return owner(target).compose(owner -> bus.<PresenceStatus>request(Addresses.presenceServer(owner),
          new PresenceQuery(target), TIMEOUT)).map(reply -> {
            PresenceStatus status = reply.body();
            JsonObject body = new JsonObject().put("presence", status.presence());
            if (target.equals(call.user().id())) {
              // Slack gives the details to the user themself only.
              body.put("online", status.online())
                  .put("auto_away", !status.manualAway() && !status.online())
                  .put("manual_away", status.manualAway())
                  .put("connection_count", status.connectionCount())
                  .put("last_activity", status.lastActivitySeconds());
            }
            return body;
          });
    });
  }

  /** {@code presence=auto|away}; the user's own sockets hear {@code manual_presence_change}. */
  public Future<JsonObject> setPresence(ApiCall call) {
    String presence = call.request().requiredString("presence", ErrorCode.INVALID_PRESENCE);
    if (!presence.equals("auto") && !presence.equals("away")) {
      return Future.failedFuture(new HeraldException(ErrorCode.INVALID_PRESENCE));
    }
    User user = call.user();
    String op = presence.equals("away") ? PresenceUpdate.SET_AWAY : PresenceUpdate.SET_AUTO;
    return owner(user.id())
        .compose(owner -> bus.request(Addresses.presenceServer(owner),
            new PresenceUpdate(op, user.id(), user.teamId(), null, null), TIMEOUT))
        .compose(ack -> publisher.publish(user.id(), "manual_presence_change", user.id(), null,
            new JsonObject().put("type", "manual_presence_change").put("presence", presence)))
        .map(new JsonObject());
  }

  private Future<String> owner(String userId) {
    String owner = presenceRing.ownerOf(userId);
    return owner == null
        ? Future.failedFuture(new HeraldException(ErrorCode.SERVICE_UNAVAILABLE, "no presence servers"))
        : Future.succeededFuture(owner);
  }
}
