package dev.herald.presence;

import dev.herald.shared.Addresses;
import dev.herald.shared.bus.Ack;
import dev.herald.shared.bus.ChannelEvent;
import dev.herald.shared.bus.GatewayHeartbeat;
import dev.herald.shared.bus.PresenceQuery;
import dev.herald.shared.bus.PresenceStatus;
import dev.herald.shared.bus.PresenceUpdate;
import dev.herald.shared.config.HeraldConfig;
import dev.herald.shared.ring.RingAnnouncer;
import dev.herald.shared.ring.RingFollower;
import dev.herald.shared.ring.RingView;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A presence server: owns the presence of the users hashed to it on the presence ring. Gateways report sockets
 * opening and closing (and heartbeat so a dead Gateway's sessions expire); the Webapp reports users.setPresence and
 * asks users.getPresence. Changes are batched per team for {@code presence.batch_ms} and sent as one transient
 * {@code presence_change} event with a {@code users} list on the team's channel; each Gateway then gives each
 * socket only the users it subscribed to with {@code presence_sub}.
 */
public final class PresenceServerVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(PresenceServerVerticle.class.getName());

  private final String nodeId;
  private final HeraldConfig.Presence config;
  private final PresenceTracker tracker;
  private final RingView channels;
  /** team → presence → users changed in the current batch window (insertion ordered for stable output). */
  private final Map<String, Map<String, Set<String>>> pending = new LinkedHashMap<>();
  private RingAnnouncer announcer;

  public PresenceServerVerticle(String nodeId, HeraldConfig config) {
    this.nodeId = nodeId;
    this.config = config.presence();
    this.tracker = new PresenceTracker(this.config.awayGraceMs(), this.config.gatewayLeaseMs());
    this.channels = RingView.channels(config.ring().virtualNodes());
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    announcer = new RingAnnouncer(vertx, nodeId);
    vertx.setPeriodic(Math.max(10, config.batchMs()), id -> {
      record(tracker.tick(System.currentTimeMillis()));
      flush();
    });
    return RingFollower.follow(vertx, channels, (before, after) -> { })
        .compose(v -> Future.all(
            bus.consumer(Addresses.presenceServer(nodeId), this::onMessage).completion(),
            bus.<GatewayHeartbeat>consumer(Addresses.PRESENCE_HEARTBEAT,
                msg -> tracker.heartbeat(msg.body().gatewayId(), System.currentTimeMillis())).completion()))
        .compose(v -> announcer.join())
        .onSuccess(v -> LOG.log(System.Logger.Level.INFO, "presence server {0} started", nodeId));
  }

  @Override
  public Future<?> stop() {
    return announcer.leave(System.currentTimeMillis() + 5_000);
  }

  private void onMessage(Message<Object> message) {
    long now = System.currentTimeMillis();
    if (message.body() instanceof PresenceQuery query) {
      PresenceTracker.Status status = tracker.status(query.userId());
      message.reply(new PresenceStatus(status.presence(), status.online(), status.manualAway(),
          status.connectionCount(), status.lastActivityMillis() / 1000));
      return;
    }
    if (message.body() instanceof PresenceUpdate update) {
      List<PresenceTracker.Change> changes = switch (update.op()) {
        case PresenceUpdate.CONNECTED ->
            tracker.connected(update.userId(), update.teamId(), update.gatewayId(), update.connectionId(), now);
        case PresenceUpdate.DISCONNECTED -> tracker.disconnected(update.userId(), update.connectionId(), now);
        case PresenceUpdate.SET_AWAY -> tracker.setManualAway(update.userId(), update.teamId(), true, now);
        case PresenceUpdate.SET_AUTO -> tracker.setManualAway(update.userId(), update.teamId(), false, now);
        default -> List.of();
      };
      record(changes);
      message.reply(Ack.INSTANCE);
    }
  }

  private void record(List<PresenceTracker.Change> changes) {
    for (PresenceTracker.Change change : changes) {
      Map<String, Set<String>> team = pending.computeIfAbsent(change.teamId(), k -> new LinkedHashMap<>());
      // A user changing twice within one window is announced once, with the latest presence.
      team.values().forEach(users -> users.remove(change.userId()));
      team.computeIfAbsent(change.presence(), k -> new LinkedHashSet<>()).add(change.userId());
    }
  }

  private void flush() {
    if (pending.isEmpty()) {
      return;
    }
    for (Map.Entry<String, Map<String, Set<String>>> team : pending.entrySet()) {
      String owner = channels.ownerOf(team.getKey());
      if (owner == null) {
        continue;
      }
      for (Map.Entry<String, Set<String>> byPresence : team.getValue().entrySet()) {
        if (byPresence.getValue().isEmpty()) {
          continue;
        }
        JsonObject payload = new JsonObject()
            .put("type", "presence_change")
            .put("presence", byPresence.getKey())
            .put("users", new JsonArray(new ArrayList<>(byPresence.getValue())));
        vertx.eventBus().send(Addresses.channelEvents(owner), new ChannelEvent(team.getKey(), 0, 0,
            "presence_change", null, null, 0, ChannelEvent.TRANSIENT, payload.toBuffer()));
      }
    }
    pending.clear();
  }
}
