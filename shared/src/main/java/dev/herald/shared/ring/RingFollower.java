package dev.herald.shared.ring;

import dev.herald.shared.Addresses;
import dev.herald.shared.bus.RingSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.function.BiConsumer;

/**
 * Keeps a {@link RingView} current for a verticle: listens to ring broadcasts, then asks the ring manager for the
 * current version (in that order, so no update falls between the two).
 */
public final class RingFollower {
  private RingFollower() {}

  /** How long to keep asking: in a cluster a ring manager may be taking over, or not elected yet. */
  static final long ASK_FOR_MS = 60_000;
  private static final long RETRY_MS = 200;
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(2_000);

  /**
   * Starts following. {@code onChange} runs on the caller's context with (previous ring, new ring) each time a newer
   * version is adopted.
   */
  public static Future<Void> follow(Vertx vertx, RingView view, BiConsumer<HashRing, HashRing> onChange) {
    MessageConsumer<RingSnapshot> updates = vertx.eventBus().consumer(Addresses.RING_UPDATES, msg -> adopt(view,
        msg.body(), onChange));
    Promise<Void> ready = Promise.promise();
    updates.completion()
        .onSuccess(v -> ask(vertx, view, onChange, System.currentTimeMillis() + ASK_FOR_MS, ready))
        .onFailure(ready::fail);
    return ready.future();
  }

  private static void ask(Vertx vertx, RingView view, BiConsumer<HashRing, HashRing> onChange, long deadline,
      Promise<Void> ready) {
    vertx.eventBus().<RingSnapshot>request(Addresses.RING_GET, null, ASK).onComplete(ar -> {
      if (ar.succeeded()) {
        adopt(view, ar.result().body(), onChange);
        ready.complete();
      } else if (view.version() >= 0) {
        ready.complete(); // a broadcast got here first
      } else if (System.currentTimeMillis() > deadline) {
        ready.fail(ar.cause());
      } else {
        vertx.setTimer(RETRY_MS, id -> ask(vertx, view, onChange, deadline, ready));
      }
    });
  }

  private static void adopt(RingView view, RingSnapshot snapshot, BiConsumer<HashRing, HashRing> onChange) {
    HashRing previous = view.offer(snapshot);
    if (previous != null) {
      onChange.accept(previous, view.ring());
    }
  }
}
