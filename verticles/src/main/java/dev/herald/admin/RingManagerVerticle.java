package dev.herald.admin;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import dev.herald.shared.Addresses;
import dev.herald.shared.bus.Ack;
import dev.herald.shared.bus.RingMember;
import dev.herald.shared.bus.RingSnapshot;
import dev.herald.shared.config.HeraldConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.Counter;
import io.vertx.core.shareddata.Lock;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A candidate for the one ring manager of the cluster; every JVM runs one. The candidate holding the cluster-wide
 * lock is active: it keeps the membership of the Channel server ring (Channel servers announce themselves and
 * withdraw; those whose JVM leaves the cluster are removed) and publishes every change as a new
 * {@link RingSnapshot} version to all Admin servers, Gateways and Channel servers.
 *
 * <p>Hazelcast frees the lock when its holder's JVM dies, so a standby takes over: it starts from the newest ring it
 * saw, less the members whose JVM has left, and asks every ring member to announce itself again (roll call) to
 * catch changes it missed; a standby that never saw a ring waits {@code ring.roll_call_ms} for the answers first. A manager
 * numbers versions on from above both the newest version it has seen and a cluster-wide counter, which it keeps
 * up to date in the background (off the fail-over path: right after a JVM dies, that counter's partition may be
 * migrating), so versions keep increasing across managers.
 *
 * <p>If the cluster split (members too slow to heartbeat) and heals, Hazelcast merges the smaller side into the
 * larger: a manager on the smaller side steps down and campaigns again; the remaining manager calls the roll when
 * members join, so the merged-in Channel servers announce themselves, and publishes above any version it sees.
 */
public final class RingManagerVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(RingManagerVerticle.class.getName());

  static final String LOCK = "herald.ring.manager";
  static final String VERSION_COUNTER = "herald.ring.version";
  /** A standby waits this long per attempt; Hazelcast wakes it as soon as the lock is free. */
  private static final long CAMPAIGN_WAIT_MS = 10_000;
  /** The start-up attempt is short: if another candidate holds the lock, this one starts as a standby. */
  private static final long FIRST_ATTEMPT_MS = 250;
  /** Removes Channel servers of departed JVMs (backing the listener) and re-publishes for anyone who missed it. */
  private static final long TICK_MS = 1_000;
  private static final long COUNTER_WAIT_MS = 1_000;

  private final long rollCallMs;
  private final RingMembership membership = new RingMembership();
  private final List<MessageConsumer<?>> activeConsumers = new ArrayList<>();
  private final List<Message<RingMember>> pendingJoins = new ArrayList<>();
  private ClusterManager clusterManager;
  private EventBus bus;
  private volatile Lock lock;
  private Counter versions;
  private boolean stopping;
  private boolean campaigning;
  private boolean serving;
  private boolean dirty;
  private long highestSeen;
  private RingSnapshot current;
  /** The newest ring seen while standing by: where a take-over starts from. */
  private RingSnapshot lastSeen;
  private long tick = -1;
  private UUID membershipListener;
  private UUID lifecycleListener;

  public RingManagerVerticle(HeraldConfig config) {
    this.rollCallMs = config.ring().rollCallMs();
  }

  /** Whether this candidate is the cluster's ring manager right now. */
  public boolean isActive() {
    return lock != null;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    clusterManager = ((VertxInternal) vertx).clusterManager();
    // A standby remembers the newest version it has seen, so that after taking over it never publishes an older one.
    MessageConsumer<RingSnapshot> watch = bus.consumer(Addresses.RING_UPDATES, msg -> {
      if (msg.body().version() > highestSeen) {
        lastSeen = msg.body();
      }
      highestSeen = Math.max(highestSeen, msg.body().version());
      if (serving && current != null && msg.body().version() > current.version()) {
        // Another manager's ring (from the other side of a healed split): supersede it.
        dirty = true;
        publishIfDirty("superseding ring v" + msg.body().version() + " from another manager");
      }
    });
    watchMerges();
    return watch.completion().compose(v -> campaign(FIRST_ATTEMPT_MS));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    if (lifecycleListener != null && clusterManager instanceof HazelcastClusterManager hazelcast) {
      try {
        hazelcast.getHazelcastInstance().getLifecycleService().removeLifecycleListener(lifecycleListener);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "ring manager: lifecycle listener already gone: {0}", e.toString());
      }
    }
    if (lock == null) {
      return Future.succeededFuture();
    }
    LOG.log(System.Logger.Level.INFO, "ring manager: stepping down");
    return deactivate();
  }

  // ---- election ----

  /** One attempt at the lock; on failure keeps trying in the background. Completes after the attempt. */
  private Future<Void> campaign(long waitMs) {
    campaigning = true;
    return vertx.sharedData().getLockWithTimeout(LOCK, waitMs)
        .compose(acquired -> {
          campaigning = false;
          return activate(acquired);
        })
        .recover(err -> {
          campaigning = !stopping && lock == null;
          if (campaigning) {
            vertx.setTimer(10, id -> campaign(CAMPAIGN_WAIT_MS));
          }
          return Future.succeededFuture();
        });
  }

  /** A member merging into a larger cluster loses the lock it held there: step down, then campaign again. */
  private void watchMerges() {
    if (clusterManager instanceof HazelcastClusterManager hazelcast) {
      lifecycleListener = hazelcast.getHazelcastInstance().getLifecycleService().addLifecycleListener(event -> {
        switch (event.getState()) {
          case MERGING -> context.runOnContext(v -> {
            if (lock != null) {
              LOG.log(System.Logger.Level.WARNING, "ring manager: stepping down, this member is merging into "
                  + "the rest of the cluster after a split");
              deactivate();
            }
          });
          case MERGED -> context.runOnContext(v -> {
            if (!stopping && !campaigning && lock == null) {
              campaign(CAMPAIGN_WAIT_MS);
            }
          });
          default -> { }
        }
      });
    }
  }

  private Future<Void> activate(Lock acquired) {
    if (stopping) {
      acquired.release();
      return Future.succeededFuture();
    }
    lock = acquired;
    LOG.log(System.Logger.Level.INFO, "ring manager: active");
    activeConsumers.add(bus.consumer(Addresses.RING_JOIN, this::onJoin));
    activeConsumers.add(bus.consumer(Addresses.RING_LEAVE, this::onLeave));
    watchClusterNodes();
    return Future.all(activeConsumers.stream().map(MessageConsumer::completion).toList())
        .compose(v -> {
          boolean alone = clusterManager == null;
          if (!alone) {
            // Whoever is there announces itself (again); the dead stay silent.
            bus.publish(Addresses.RING_ROLL_CALL, Ack.INSTANCE);
          }
          long rollCallEnds = System.currentTimeMillis() + rollCallMs;
          Future<Long> recorded = vertx.sharedData().getCounter(VERSION_COUNTER).compose(counter -> {
            versions = counter;
            return counter.get();
          });
          if (highestSeen > 0) {
            // Right after a JVM died the counter may be slow to answer; the versions seen are a safe floor.
            recorded = recorded.timeout(COUNTER_WAIT_MS, TimeUnit.MILLISECONDS).otherwise(0L);
          }
          return recorded.compose(value -> {
            highestSeen = Math.max(highestSeen, value);
            long wait = rollCallEnds - System.currentTimeMillis();
            if (lastSeen != null) {
              // Start from the newest ring seen, less the JVMs gone since (serve() reconciles); the roll call's
              // answers add whoever joined meanwhile. No window in which the ring is published half empty.
              membership.restore(lastSeen);
              return serve();
            }
            if (alone || highestSeen == 0 || wait <= 0) {
              return serve(); // the cluster's first manager has no ring to rebuild
            }
            Promise<Void> served = Promise.promise();
            vertx.setTimer(wait, id -> serve().onComplete(served));
            return served.future();
          });
        })
        .recover(err -> {
          LOG.log(System.Logger.Level.WARNING, "ring manager: could not take over: {0}", err.toString());
          return deactivate().compose(v -> Future.failedFuture(err));
        });
  }

  private Future<Void> serve() {
    if (lock == null) {
      return Future.succeededFuture(); // stepped down during the roll call
    }
    reconcile(); // before serving: the JVMs gone meanwhile go in the same first version
    serving = true;
    dirty = true;
    publishIfDirty("took over");
    pendingJoins.forEach(msg -> msg.reply(current));
    pendingJoins.clear();
    tick = vertx.setPeriodic(TICK_MS, id -> {
      reconcile();
      bus.publish(Addresses.RING_UPDATES, current);
    });
    MessageConsumer<Object> get = bus.consumer(Addresses.RING_GET, msg -> msg.reply(current));
    activeConsumers.add(get);
    return get.completion();
  }

  private Future<Void> deactivate() {
    serving = false;
    if (tick >= 0) {
      vertx.cancelTimer(tick);
      tick = -1;
    }
    unwatchClusterNodes();
    List<Future<Void>> unregistered = activeConsumers.stream().map(MessageConsumer::unregister).toList();
    activeConsumers.clear();
    pendingJoins.forEach(msg -> msg.fail(503, "ring manager stepped down"));
    pendingJoins.clear();
    Lock held = lock;
    lock = null;
    return Future.join(unregistered).eventually(() -> {
      if (held != null) {
        held.release();
      }
      return Future.succeededFuture();
    }).mapEmpty();
  }

  // ---- membership ----

  private void onJoin(Message<RingMember> message) {
    RingMember member = message.body();
    if (clusterManager != null && !member.clusterNodeId().isEmpty()
        && !clusterManager.getNodes().contains(member.clusterNodeId())) {
      message.fail(410, "cluster node " + member.clusterNodeId() + " has left");
      return;
    }
    if (membership.join(member)) {
      dirty = true;
    }
    if (!serving) {
      pendingJoins.add(message); // answered with the first version this manager publishes
      return;
    }
    publishIfDirty("channel server " + member.nodeId() + " joined");
    message.reply(current);
  }

  private void onLeave(Message<RingMember> message) {
    if (membership.leave(message.body().nodeId())) {
      dirty = true;
    }
    if (serving) {
      publishIfDirty("channel server " + message.body().nodeId() + " left");
      message.reply(current);
    } else {
      message.reply(membership.snapshot(-1));
    }
  }

  /** Drops the Channel servers of JVMs that have left the cluster. */
  private void reconcile() {
    if (clusterManager == null || lock == null) {
      return;
    }
    List<String> removed = membership.retainClusterNodes(new HashSet<>(clusterManager.getNodes()));
    if (!removed.isEmpty()) {
      dirty = true;
      if (serving) {
        publishIfDirty("channel servers " + removed + " died");
      }
    }
  }

  private void watchClusterNodes() {
    if (clusterManager instanceof HazelcastClusterManager hazelcast) {
      membershipListener = hazelcast.getHazelcastInstance().getCluster().addMembershipListener(
          new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
              // A JVM that joins, or a whole side merging back in after a split: its ring members announce.
              context.runOnContext(v -> {
                if (serving) {
                  bus.publish(Addresses.RING_ROLL_CALL, Ack.INSTANCE);
                }
              });
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
              context.runOnContext(v -> reconcile());
            }
          });
    }
  }

  private void unwatchClusterNodes() {
    if (membershipListener != null && clusterManager instanceof HazelcastClusterManager hazelcast) {
      try {
        hazelcast.getHazelcastInstance().getCluster().removeMembershipListener(membershipListener);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.DEBUG, "ring manager: listener already gone: {0}", e.toString());
      }
    }
    membershipListener = null;
  }

  // ---- versions ----

  /** Publishes the membership as a new version if it changed since the last one. */
  private void publishIfDirty(String reason) {
    if (!dirty || !serving) {
      return;
    }
    dirty = false;
    long version = highestSeen + 1;
    highestSeen = version;
    current = membership.snapshot(version);
    LOG.log(System.Logger.Level.INFO, "ring: {0}, ring v{1} has {2} nodes", reason, version, current.nodes().size());
    bus.publish(Addresses.RING_UPDATES, current);
    record(version);
  }

  /** Raises the cluster-wide counter to {@code version}, so whoever manages next starts above it. */
  private void record(long version) {
    if (versions == null) {
      return; // the counter never answered: the next manager relies on the versions it has seen
    }
    versions.get()
        .compose(recorded -> recorded >= version
            ? Future.succeededFuture(true)
            : versions.compareAndSet(recorded, version))
        .onComplete(ar -> {
          if (ar.failed() || !ar.result()) {
            // Failed, or raced with a newer record(): retry unless a newer version is already on its way.
            if (lock != null && version == highestSeen) {
              vertx.setTimer(100, id -> record(version));
            }
          }
        });
  }
}
