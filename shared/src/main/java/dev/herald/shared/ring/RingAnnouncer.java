package dev.herald.shared.ring;

import dev.herald.shared.Addresses;
import dev.herald.shared.bus.RingMember;
import dev.herald.shared.bus.RingSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;

/**
 * How a ring member (a Channel or presence server) tells the ring manager it is there: it joins, retrying while a
 * manager is being elected; it answers a new manager's roll call by joining again; it leaves when it stops. The
 * member carries its JVM's cluster node id, so the manager removes it if that JVM dies. Use from the member's own
 * context.
 */
public final class RingAnnouncer {
  /** Short: right after a ring manager dies, a request may still go to it, and is better retried soon. */
  private static final DeliveryOptions RING_REQUEST = new DeliveryOptions().setSendTimeout(1_000);
  /** How long to keep trying to join: in a starting cluster the ring manager may not be elected yet. */
  private static final long JOIN_FOR_MS = 60_000;
  private static final long RETRY_MS = 200;

  private final Vertx vertx;
  private final RingMember self;
  private MessageConsumer<Object> rollCalls;
  private boolean left;

  public RingAnnouncer(Vertx vertx, String nodeId) {
    this.vertx = vertx;
    ClusterManager cluster = ((VertxInternal) vertx).clusterManager();
    this.self = new RingMember(nodeId, cluster == null ? "" : cluster.getNodeId());
  }

  public RingMember member() {
    return self;
  }

  /** Joins the ring, and answers every roll call from now until {@link #leave}. Completes with the ring joined. */
  public Future<RingSnapshot> join() {
    rollCalls = vertx.eventBus().consumer(Addresses.RING_ROLL_CALL, msg -> {
      if (!left) {
        request(Addresses.RING_JOIN, System.currentTimeMillis() + JOIN_FOR_MS);
      }
    });
    return rollCalls.completion()
        .compose(v -> request(Addresses.RING_JOIN, System.currentTimeMillis() + JOIN_FOR_MS));
  }

  /**
   * Leaves the ring, trying until {@code deadline}. Completes with the ring left behind, or null if no ring manager
   * answered (the cluster then removes this member when its JVM leaves).
   */
  public Future<RingSnapshot> leave(long deadline) {
    left = true;
    if (rollCalls != null) {
      rollCalls.unregister();
    }
    return request(Addresses.RING_LEAVE, deadline).otherwiseEmpty();
  }

  private Future<RingSnapshot> request(String address, long deadline) {
    Promise<RingSnapshot> answered = Promise.promise();
    attempt(address, deadline, answered);
    return answered.future();
  }

  private void attempt(String address, long deadline, Promise<RingSnapshot> answered) {
    vertx.eventBus().<RingSnapshot>request(address, self, RING_REQUEST).onComplete(ar -> {
      if (ar.succeeded()) {
        answered.complete(ar.result().body());
      } else if (System.currentTimeMillis() + RETRY_MS >= deadline
          || (address.equals(Addresses.RING_JOIN) && left)) {
        answered.fail(ar.cause());
      } else {
        vertx.setTimer(RETRY_MS, id -> attempt(address, deadline, answered));
      }
    });
  }
}
