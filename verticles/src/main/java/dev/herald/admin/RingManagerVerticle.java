package dev.herald.admin;

import dev.herald.shared.Addresses;
import dev.herald.shared.bus.RingMember;
import dev.herald.shared.bus.RingSnapshot;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Keeps the membership of the Channel server ring: Channel servers announce themselves and withdraw; every change
 * is published as a new {@link RingSnapshot} version to all Admin servers and Gateways.
 */
public final class RingManagerVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(RingManagerVerticle.class.getName());

  private final RingMembership membership = new RingMembership();

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    return Future.all(
        bus.<RingMember>consumer(Addresses.RING_JOIN, msg -> {
          if (membership.join(msg.body().nodeId())) {
            publish("joined", msg.body().nodeId());
          }
          msg.reply(membership.snapshot());
        }).completion(),
        bus.<RingMember>consumer(Addresses.RING_LEAVE, msg -> {
          if (membership.leave(msg.body().nodeId())) {
            publish("left", msg.body().nodeId());
          }
          msg.reply(membership.snapshot());
        }).completion(),
        bus.consumer(Addresses.RING_GET, msg -> msg.reply(membership.snapshot())).completion());
  }

  private void publish(String what, String nodeId) {
    RingSnapshot snapshot = membership.snapshot();
    LOG.log(System.Logger.Level.INFO, "ring: channel server {0} {1}, ring v{2} has {3} nodes", nodeId, what,
        snapshot.version(), snapshot.nodes().size());
    vertx.eventBus().publish(Addresses.RING_UPDATES, snapshot);
  }
}
