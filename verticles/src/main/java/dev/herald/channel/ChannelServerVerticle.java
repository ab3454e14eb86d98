package dev.herald.channel;

import dev.herald.shared.Addresses;
import dev.herald.shared.bus.Ack;
import dev.herald.shared.bus.ChannelEvent;
import dev.herald.shared.bus.ReplayReply;
import dev.herald.shared.bus.ReplayRequest;
import dev.herald.shared.bus.RingSnapshot;
import dev.herald.shared.bus.SubscribeRequest;
import dev.herald.shared.config.HeraldConfig;
import dev.herald.shared.ring.HashRing;
import dev.herald.shared.ring.RingAnnouncer;
import dev.herald.shared.ring.RingFollower;
import dev.herald.shared.ring.RingView;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Channel server: owns the channels the ring gives it. Per channel it keeps the Gateways subscribed to it and the
 * sequencer that restores commit order, and sends each event once per subscribed Gateway, never once per client.
 *
 * <p>It announces itself to the ring manager when it can take traffic (and again at a new manager's roll call).
 * A clean stop drains: it leaves the ring first and keeps forwarding until the Gateways have moved its channels to
 * their new owners. Events routed here for a channel just moved here are kept for {@code ring.handoff_ms} and
 * replayed to Gateways that move over late.
 */
public final class ChannelServerVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(ChannelServerVerticle.class.getName());
  private final String nodeId;
  private final long holdMillis;
  private final long drainTimeoutMs;
  /** Identifies this server's history of its channels; a restarted server has a new one. */
  private final long epoch = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  private final Map<String, Set<String>> gatewaysByChannel = new HashMap<>();
  private final Map<String, ChannelSequencer> sequencers = new HashMap<>();
  private final Map<String, ChannelWindow> windows = new HashMap<>();
  private final int windowSize;
  private final long windowMillis;
  private final Set<String> waiting = new HashSet<>();
  private final RecentEvents recent;
  private final RingView ring;
  private EventBus bus;
  private RingAnnouncer announcer;
  private Future<Void> drained;

  public ChannelServerVerticle(String nodeId, HeraldConfig config) {
    this.nodeId = nodeId;
    this.holdMillis = config.channel().reorderTimeoutMs();
    this.drainTimeoutMs = config.channel().drainTimeoutMs();
    this.recent = new RecentEvents(config.ring().handoffMs());
    this.ring = RingView.channels(config.ring().virtualNodes());
    this.windowSize = config.channel().windowSize();
    this.windowMillis = config.channel().windowMs();
  }

  public String nodeId() {
    return nodeId;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    announcer = new RingAnnouncer(vertx, nodeId);
    vertx.setPeriodic(Math.max(10, holdMillis / 4), id -> releaseExpired());
    vertx.setPeriodic(1_000, id -> recent.purge(System.currentTimeMillis()));
    vertx.setPeriodic(Math.max(1_000, windowMillis / 10), id -> {
      long now = System.currentTimeMillis();
      windows.values().removeIf(window -> window.expire(now));
    });
    return Future.all(
            bus.<ChannelEvent>consumer(Addresses.channelEvents(nodeId), this::onEvent).completion(),
            bus.<SubscribeRequest>consumer(Addresses.channelSubscriptions(nodeId), this::onSubscribe).completion(),
            bus.<ReplayRequest>consumer(Addresses.channelReplay(nodeId), this::onReplay).completion())
        // Join the ring only once we can take traffic, so nobody routes into the void.
        .compose(v -> announcer.join())
        .compose(v -> RingFollower.follow(vertx, ring, this::onRingChange))
        .onSuccess(v -> LOG.log(System.Logger.Level.INFO, "channel server {0} started", nodeId));
  }

  @Override
  public Future<?> stop() {
    return drain();
  }

  /**
   * Leaves the ring and keeps forwarding until every Gateway has moved this server's channels elsewhere (or
   * {@code channel.drain_timeout_ms} has passed). Idempotent; safe to call from any thread.
   */
  public Future<Void> drain() {
    if (context == null) {
      return Future.succeededFuture(); // never deployed
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      if (drained == null) {
        drained = leaveAndWait();
      }
      drained.onComplete(done);
    });
    return done.future();
  }

  private Future<Void> leaveAndWait() {
    long deadline = System.currentTimeMillis() + drainTimeoutMs;
    return announcer.leave(deadline).compose(snapshot -> {
      if (snapshot == null || snapshot.nodes().isEmpty()) {
        LOG.log(System.Logger.Level.INFO, "channel server {0} left{1}", nodeId,
            snapshot == null ? " without a ring manager's answer" : " the ring, the last one on it");
        return Future.succeededFuture();
      }
      Promise<Void> moved = Promise.promise();
      awaitGatewaysMoved(deadline, moved);
      return moved.future().onComplete(ar -> LOG.log(System.Logger.Level.INFO,
          "channel server {0} drained{1}", nodeId,
          gatewaysByChannel.isEmpty() ? "" : ", " + gatewaysByChannel.size() + " channels still subscribed"));
    });
  }

  private void awaitGatewaysMoved(long deadline, Promise<Void> moved) {
    if (gatewaysByChannel.isEmpty() || System.currentTimeMillis() >= deadline) {
      moved.complete();
    } else {
      vertx.setTimer(50, id -> awaitGatewaysMoved(deadline, moved));
    }
  }

  /**
   * Forgets the order state and the resume window of channels that moved away: a channel that comes back starts
   * afresh, and a window with a hole where another server had the channel never answers a resume as complete.
   */
  private void onRingChange(HashRing before, HashRing after) {
    List<String> gone = new ArrayList<>();
    for (String channelId : sequencers.keySet()) {
      if (!nodeId.equals(after.ownerOf(channelId))) {
        gone.add(channelId);
      }
    }
    for (String channelId : gone) {
      ChannelSequencer sequencer = sequencers.remove(channelId);
      waiting.remove(channelId);
      // Anything still held for order goes out now rather than never.
      for (ChannelEvent e : sequencer.expire(Long.MAX_VALUE)) {
        release(e);
      }
    }
    // Also the channels that just came here: a window begun by a straggler while another server had the channel
    // has a hole. A resume then gets "gap" (reload history), never a silently incomplete replay.
    windows.keySet().removeIf(channelId -> !nodeId.equals(after.ownerOf(channelId))
        || !nodeId.equals(before.ownerOf(channelId)));
  }

  private void onSubscribe(Message<SubscribeRequest> message) {
    SubscribeRequest request = message.body();
    long now = System.currentTimeMillis();
    for (String channelId : request.channelIds()) {
      if (request.subscribe()) {
        boolean added = gatewaysByChannel.computeIfAbsent(channelId, k -> new LinkedHashSet<>())
            .add(request.gatewayId());
        if (added && request.handoff()) {
          // Routed here before this Gateway moved over: replay, in order, before anything newer.
          for (ChannelEvent e : recent.missedBy(channelId, request.gatewayId(), now)) {
            bus.send(Addresses.gatewayEvents(request.gatewayId()), e);
          }
        }
      } else {
        Set<String> gateways = gatewaysByChannel.get(channelId);
        if (gateways != null && gateways.remove(request.gatewayId()) && gateways.isEmpty()) {
          gatewaysByChannel.remove(channelId);
        }
      }
    }
    message.reply(Ack.INSTANCE);
  }

  private void onEvent(Message<ChannelEvent> message) {
    ChannelEvent event = message.body();
    if (event.isTransient()) {
      fanOut(event);
      return;
    }
    ChannelSequencer sequencer = sequencers.computeIfAbsent(event.channelId(), k -> new ChannelSequencer(holdMillis));
    List<ChannelEvent> ready = sequencer.accept(event, System.currentTimeMillis());
    for (ChannelEvent e : ready) {
      release(e);
    }
    if (sequencer.isWaiting()) {
      waiting.add(event.channelId());
    }
  }

  private void releaseExpired() {
    if (waiting.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    for (var it = waiting.iterator(); it.hasNext(); ) {
      String channelId = it.next();
      ChannelSequencer sequencer = sequencers.get(channelId);
      List<ChannelEvent> ready = sequencer.expire(now);
      if (!ready.isEmpty()) {
        LOG.log(System.Logger.Level.WARNING, "channel server {0}: channel {1} skipped a sequence gap before seq {2}",
            nodeId, channelId, ready.get(0).seq());
      }
      for (ChannelEvent e : ready) {
        release(e);
      }
      if (!sequencer.isWaiting()) {
        it.remove();
      }
    }
  }

  /** Stamps the event with its position, keeps it in the channel's window, and sends it on. */
  private void release(ChannelEvent event) {
    ChannelEvent released = event.released(epoch);
    windows.computeIfAbsent(event.channelId(), k -> new ChannelWindow(windowSize, windowMillis))
        .append(released, System.currentTimeMillis());
    fanOut(released);
  }

  /**
   * Answered on this event loop, between two releases: everything released before is in the reply, everything
   * after reaches the Gateway after it.
   */
  private void onReplay(Message<ReplayRequest> message) {
    ReplayRequest request = message.body();
    ChannelWindow window = windows.get(request.channelId());
    long now = System.currentTimeMillis();
    ReplayReply reply = window == null
        ? new ChannelWindow(windowSize, windowMillis).since(request.afterSeq(), request.epoch(), epoch, now)
        : window.since(request.afterSeq(), request.epoch(), epoch, now);
    message.reply(reply);
  }

  /** Once per subscribed Gateway: the Gateway writes it to each of its local sessions. */
  private void fanOut(ChannelEvent event) {
    Set<String> gateways = gatewaysByChannel.get(event.channelId());
    if (!event.isTransient()) {
      recent.sent(event, gateways == null ? List.of() : List.copyOf(gateways), System.currentTimeMillis());
    }
    if (gateways == null) {
      return;
    }
    for (String gatewayId : gateways) {
      bus.send(Addresses.gatewayEvents(gatewayId), event);
    }
  }
}
