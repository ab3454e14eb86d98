package dev.herald.admin;

import dev.herald.shared.Addresses;
import dev.herald.shared.bus.Ack;
import dev.herald.shared.bus.ChannelEvent;
import dev.herald.shared.config.HeraldConfig;
import dev.herald.shared.ring.RingFollower;
import dev.herald.shared.ring.RingView;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;

/**
 * The Admin server: stateless routing. Each persisted event from a Webapp goes to the Channel server that owns its
 * channel on the newest ring this Admin server has seen.
 */
public final class AdminVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(AdminVerticle.class.getName());

  private final RingView ring;

  public AdminVerticle(HeraldConfig config) {
    this.ring = RingView.channels(config.ring().virtualNodes());
  }

  @Override
  public Future<?> start() {
    return RingFollower.follow(vertx, ring, (before, after) -> { })
        .compose(v -> vertx.eventBus().<ChannelEvent>consumer(Addresses.ADMIN_ROUTE, this::route).completion());
  }

  private void route(Message<ChannelEvent> message) {
    ChannelEvent event = message.body();
    // Taken: the Webapp stops retrying (a Webapp that sends without asking for a reply ignores it).
    message.reply(Ack.INSTANCE);
    String owner = ring.ownerOf(event.channelId());
    if (owner == null) {
      // The event is durable; clients catch up from history or resume. Nothing to route it to right now.
      LOG.log(System.Logger.Level.WARNING, "admin: no Channel server on the ring, event {0} for channel {1} not routed",
          event.type(), event.channelId());
      return;
    }
    vertx.eventBus().send(Addresses.channelEvents(owner), event);
  }
}
