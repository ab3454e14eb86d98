package dev.herald.shared.ring;

import dev.herald.shared.Addresses;
import dev.herald.shared.bus.RingSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.function.BiConsumer;

/**
 * Keeps a {@link RingView} current for a verticle: listens to ring broadcasts, then asks the ring manager for the
 * current version (in that order, so no update falls between the two).
 */
public final class RingFollower {
  private RingFollower() {}

  /**
   * Starts following. {@code onChange} runs on the caller's context with (previous ring, new ring) each time a newer
   * version is adopted.
   */
  public static Future<Void> follow(Vertx vertx, RingView view, BiConsumer<HashRing, HashRing> onChange) {
    MessageConsumer<RingSnapshot> updates = vertx.eventBus().consumer(Addresses.RING_UPDATES, msg -> adopt(view,
        msg.body(), onChange));
    return updates.completion()
        .compose(v -> vertx.eventBus().<RingSnapshot>request(Addresses.RING_GET, null))
        .map(reply -> {
          adopt(view, reply.body(), onChange);
          return null;
        });
  }

  private static void adopt(RingView view, RingSnapshot snapshot, BiConsumer<HashRing, HashRing> onChange) {
    HashRing previous = view.offer(snapshot);
    if (previous != null) {
      onChange.accept(previous, view.ring());
    }
  }
}
