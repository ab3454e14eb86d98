package dev.herald.channel;

import dev.herald.shared.Addresses;
import dev.herald.shared.bus.Ack;
import dev.herald.shared.bus.ChannelEvent;
import dev.herald.shared.bus.ReplayReply;
import dev.herald.shared.bus.ReplayRequest;
import dev.herald.shared.bus.RingMember;
import dev.herald.shared.bus.SubscribeRequest;
import dev.herald.shared.config.HeraldConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
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
 */
public final class ChannelServerVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(ChannelServerVerticle.class.getName());

  private final String nodeId;
  private final long holdMillis;
  /** Identifies this server's history of its channels; a restarted server has a new one. */
  private final long epoch = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  private final Map<String, Set<String>> gatewaysByChannel = new HashMap<>();
  private final Map<String, ChannelSequencer> sequencers = new HashMap<>();
  private final Map<String, ChannelWindow> windows = new HashMap<>();
  private final int windowSize;
  private final long windowMillis;
  private final Set<String> waiting = new HashSet<>();
  private EventBus bus;

  public ChannelServerVerticle(String nodeId, HeraldConfig config) {
    this.nodeId = nodeId;
    this.holdMillis = config.channel().reorderTimeoutMs();
    this.windowSize = config.channel().windowSize();
    this.windowMillis = config.channel().windowMs();
  }

  public String nodeId() {
    return nodeId;
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    vertx.setPeriodic(Math.max(10, holdMillis / 4), id -> releaseExpired());
    vertx.setPeriodic(Math.max(1_000, windowMillis / 10), id -> {
      long now = System.currentTimeMillis();
      windows.values().removeIf(window -> window.expire(now));
    });
    return Future.all(
            bus.<ChannelEvent>consumer(Addresses.channelEvents(nodeId), this::onEvent).completion(),
            bus.<SubscribeRequest>consumer(Addresses.channelSubscriptions(nodeId), this::onSubscribe).completion(),
            bus.<ReplayRequest>consumer(Addresses.channelReplay(nodeId), this::onReplay).completion())
        // Join the ring only once we can take traffic, so nobody routes into the void.
        .compose(v -> bus.request(Addresses.RING_JOIN, new RingMember(nodeId)))
        .onSuccess(v -> LOG.log(System.Logger.Level.INFO, "channel server {0} started", nodeId));
  }

  @Override
  public Future<?> stop() {
    return bus.request(Addresses.RING_LEAVE, new RingMember(nodeId)).otherwiseEmpty();
  }

  private void onSubscribe(Message<SubscribeRequest> message) {
    SubscribeRequest request = message.body();
    for (String channelId : request.channelIds()) {
      if (request.subscribe()) {
        gatewaysByChannel.computeIfAbsent(channelId, k -> new LinkedHashSet<>()).add(request.gatewayId());
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
    if (gateways == null) {
      return;
    }
    for (String gatewayId : gateways) {
      bus.send(Addresses.gatewayEvents(gatewayId), event);
    }
  }
}
