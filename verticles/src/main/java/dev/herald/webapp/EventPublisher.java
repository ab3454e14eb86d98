package dev.herald.webapp;

import dev.herald.shared.Addresses;
import dev.herald.shared.bus.ChannelEvent;
import dev.herald.storage.Position;
import dev.herald.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/**
 * Hands persisted events to an Admin server. The Slack JSON is encoded here, once; every later hop carries the
 * bytes. Events that are not messages take their channel position from storage first, so they are ordered with the
 * channel's messages.
 *
 * <p>The hand-off is acknowledged by the Admin server and retried (to any Admin server) when no acknowledgement
 * comes: an Admin server killed with its inbox full, or one the cluster has not yet noticed is gone, would otherwise
 * swallow events that are durable but then never pushed. A retry that turns out to be a second copy is dropped by
 * the Channel server's {@code ChannelSequencer}, which releases each sequence number once.
 */
public final class EventPublisher {
  private static final System.Logger LOG = System.getLogger(EventPublisher.class.getName());
  private static final DeliveryOptions HAND_OFF = new DeliveryOptions().setSendTimeout(1_000);
  private static final int HAND_OFF_ATTEMPTS = 5;

  private final EventBus bus;
  private final Storage storage;

  public EventPublisher(EventBus bus, Storage storage) {
    this.bus = bus;
    this.storage = storage;
  }

  /** Publishes an event whose position was taken when its change was stored (a message). */
  public void publish(String channelId, Position position, String type, String userId, String targetId,
      JsonObject payload) {
    publish(channelId, position, type, userId, targetId, 0, payload);
  }

  private void publish(String channelId, Position position, String type, String userId, String targetId,
      long targetSeq, JsonObject payload) {
    handOff(new ChannelEvent(channelId, position.seq(), 0, type, userId, targetId, targetSeq, 0, payload.toBuffer()),
        1);
  }

  private void handOff(ChannelEvent event, int attempt) {
    bus.request(Addresses.ADMIN_ROUTE, event, HAND_OFF).onFailure(err -> {
      if (attempt < HAND_OFF_ATTEMPTS) {
        handOff(event, attempt + 1);
      } else {
        // Durable all the same: clients see the sequence gap and reload, or resume.
        LOG.log(System.Logger.Level.WARNING, "webapp: event {0} seq {1} of channel {2} not handed off after {3} "
            + "attempts: {4}", event.type(), event.seq(), event.channelId(), attempt, err.toString());
      }
    });
  }

  /** Takes the channel's next position, then publishes. {@code event_ts} is filled from the position. */
  public Future<Void> publish(String channelId, String type, String userId, String targetId, JsonObject payload) {
    return publish(channelId, type, userId, targetId, payload, false);
  }

  /**
   * As {@link #publish(String, String, String, String, JsonObject)}; with {@code stampTs} the position's time is the
   * event's {@code ts} too, as Slack gives hidden message events ({@code message_replied}...).
   */
  public Future<Void> publish(String channelId, String type, String userId, String targetId, JsonObject payload,
      boolean stampTs) {
    return positioned(channelId, type, userId, targetId, 0, payload, stampTs).mapEmpty();
  }

  /** Publishes and tells the position the event took in its channel. */
  public Future<Position> publishAt(String channelId, String type, String userId, String targetId,
      JsonObject payload) {
    return positioned(channelId, type, userId, targetId, 0, payload, false);
  }

  /**
   * Tells a user's own sockets they are now in {@code conversationId}, which was at {@code conversationSeq} when the
   * membership began: a Gateway that starts receiving the conversation for them replays what followed that.
   */
  public Future<Void> publishJoin(String userId, String type, String conversationId, long conversationSeq,
      JsonObject payload) {
    return positioned(userId, type, userId, conversationId, conversationSeq, payload, false).mapEmpty();
  }

  private Future<Position> positioned(String channelId, String type, String userId, String targetId, long targetSeq,
      JsonObject payload, boolean stampTs) {
    return storage.nextPosition(channelId).map(position -> {
      String ts = dev.herald.shared.protocol.SlackTs.format(position.ts());
      if (!payload.containsKey("event_ts")) {
        payload.put("event_ts", ts);
      }
      if (stampTs && !payload.containsKey("ts")) {
        payload.put("ts", ts);
      }
      publish(channelId, position, type, userId, targetId, targetSeq, payload);
      return position;
    });
  }
}
