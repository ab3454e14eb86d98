package dev.herald.webapp;

import dev.herald.shared.Addresses;
import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.bus.TicketGrant;
import dev.herald.shared.bus.TicketRequest;
import dev.herald.storage.Storage;
import dev.herald.storage.User;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * {@code rtm.connect}: any Gateway mints a single-use ticket (the bus spreads the requests across Gateways) and the
 * client opens that Gateway's websocket URL.
 */
public final class RtmMethods {
  private static final DeliveryOptions TICKET_TIMEOUT = new DeliveryOptions().setSendTimeout(5_000);

  private final Storage storage;
  private final EventBus bus;

  public RtmMethods(Storage storage, EventBus bus) {
    this.storage = storage;
    this.bus = bus;
  }

  public Future<JsonObject> connect(ApiCall call) {
    User user = call.user();
    Object resume = call.request().json("resume");
    if (resume != null && !(resume instanceof JsonObject)) {
      return Future.failedFuture(new HeraldException(ErrorCode.INVALID_ARGUMENTS, "resume must be a JSON object"));
    }
    String resumeText = resume == null ? null : ((JsonObject) resume).encode();
    return storage.team(user.teamId()).compose(team -> bus
        .<TicketGrant>request(Addresses.GATEWAY_TICKET, new TicketRequest(user.id(), team.id(), user.name(),
            call.request().bool("batch_presence_aware", false), resumeText),
            TICKET_TIMEOUT)
        .map(reply -> new JsonObject()
            .put("url", reply.body().url())
            .put("self", new JsonObject().put("id", user.id()).put("name", user.name()))
            .put("team", SlackJson.team(team))));
  }
}
