package dev.herald.gateway;

import dev.herald.shared.Addresses;
import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.bus.ChannelEvent;
import dev.herald.shared.bus.GatewayHeartbeat;
import dev.herald.shared.bus.PresenceUpdate;
import dev.herald.shared.bus.ReplayReply;
import dev.herald.shared.bus.ReplayRequest;
import dev.herald.shared.bus.PostResult;
import dev.herald.shared.bus.RtmPost;
import dev.herald.shared.bus.SessionChannels;
import dev.herald.shared.bus.SessionRequest;
import dev.herald.shared.bus.SubscribeRequest;
import dev.herald.shared.bus.TicketGrant;
import dev.herald.shared.bus.TicketRequest;
import dev.herald.shared.config.HeraldConfig;
import dev.herald.shared.ring.HashRing;
import dev.herald.shared.ring.RingFollower;
import dev.herald.shared.ring.RingView;
import io.netty.buffer.ByteBuf;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A Gateway: holds clients' websockets (Slack RTM). On connect it redeems the ticket, loads the user's channels from
 * a Webapp, subscribes each at its owning Channel server (same ring as the Admin servers), then says {@code hello}.
 * Events from Channel servers arrive once per Gateway and are written, as the same bytes, to every local session of
 * the channel.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final System.Logger LOG = System.getLogger(GatewayVerticle.class.getName());
  private static final String PATH = "/websocket";
  private static final DeliveryOptions BUS_TIMEOUT = new DeliveryOptions().setSendTimeout(10_000);
  private static final int RESUBSCRIBE_ATTEMPTS = 20;
  private static final long RESUBSCRIBE_RETRY_MS = 250;
  private static final int MAX_PRESENCE_SUBSCRIPTIONS = 500;
  private static final int FLUSH_AFTER_FRAMES = 64;

  private final HeraldConfig.Gateway config;
  private final TicketBook tickets;
  private final RingView ring;
  private final long handoffMs;
  private final RingView presenceRing;
  private final long heartbeatMs;
  private final String gatewayId = "gw-" + UUID.randomUUID().toString().substring(0, 8);
  private final LocalHub hub = new LocalHub();
  private final TypingThrottle typing;
  /** Every open session, for keep-alive. */
  private final Set<GatewaySession> openSessions = new HashSet<>();
  private HttpServer server;
  private EventBus bus;
  private String publicUrl;
  /** Tickets for new sessions; withdrawn first when the Gateway drains. */
  private MessageConsumer<TicketRequest> ticketConsumer;
  /** Stopping: no new session is opened here. */
  private boolean draining;

  public GatewayVerticle(HeraldConfig config, TicketBook tickets) {
    this.config = config.gateway();
    this.tickets = tickets;
    this.ring = RingView.channels(config.ring().virtualNodes());
    this.presenceRing = RingView.presence(config.ring().virtualNodes());
    this.heartbeatMs = config.presence().heartbeatMs();
    this.handoffMs = config.ring().handoffMs();
    this.typing = new TypingThrottle(config.gateway().typingIntervalMs());
  }

  public String gatewayId() {
    return gatewayId;
  }

  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    bus = vertx.eventBus();
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(HeraldConfig.listenPort(config.port(), HeraldConfig.GATEWAY_PORT_SLOT))
        // Vert.x itself closes (1009) anything far beyond our limit; up to here we answer with an error first.
        .setMaxWebSocketFrameSize(Math.max(65_536, config.maxFrameBytes() * 4))
        .setMaxWebSocketMessageSize(Math.max(262_144, config.maxFrameBytes() * 16))
        .setPerMessageWebSocketCompressionSupported(false)
        // After we send a close frame, a peer that does not answer within this many seconds is cut off: a dead
        // peer (the usual reason we close) never will.
        .setWebSocketClosingTimeout(2)
        // Every handshake is answered on the connection's own event loop, so Vert.x may write it directly instead
        // of through a cross-thread queue: that queue's first chunk is 4 KB, kept for the socket's whole life.
        .setStrictThreadMode(true);
    vertx.setPeriodic(10_000, id -> {
      tickets.purge(System.currentTimeMillis());
      typing.purge(System.currentTimeMillis());
    });
    vertx.setPeriodic(heartbeatMs, id -> bus.publish(Addresses.PRESENCE_HEARTBEAT, new GatewayHeartbeat(gatewayId)));
    vertx.setPeriodic(config.pingIntervalMs(), id -> keepAlive(System.currentTimeMillis()));
    return RingFollower.follow(vertx, ring, this::onRingChange)
        .compose(v -> RingFollower.follow(vertx, presenceRing, (before, after) -> { }))
        .compose(v -> Future.all(
            bus.<ChannelEvent>consumer(Addresses.gatewayEvents(gatewayId), msg -> deliver(msg.body())).completion(),
            (ticketConsumer = bus.<TicketRequest>consumer(Addresses.GATEWAY_TICKET, this::onTicketRequest))
                .completion()))
        .compose(v -> vertx.createHttpServer(options)
            .webSocketHandshakeHandler(this::onHandshake)
            .webSocketHandler(this::onSocket)
            .listen())
        .onSuccess(s -> {
          server = s;
          publicUrl = config.publicUrl().isEmpty()
              ? "ws://" + config.host() + ":" + s.actualPort() + PATH
              : config.publicUrl();
          LOG.log(System.Logger.Level.INFO, "gateway {0} listening at {1}", gatewayId, publicUrl);
        });
  }

  /**
   * Slack's way to end a session: {@code goodbye}, then the close. Clients reconnect through {@code rtm.connect},
   * landing on a Gateway that is still up.
   */
  @Override
  public Future<?> stop() {
    // A draining Gateway hands out no more tickets and opens no more sessions: otherwise a client told goodbye
    // could reconnect right here and be cut off again, without a goodbye, when the JVM exits.
    draining = true;
    if (ticketConsumer != null) {
      ticketConsumer.unregister();
    }
    List<GatewaySession> sessions = List.copyOf(openSessions);
    List<Future<Void>> closed = new ArrayList<>();
    long spread = config.drainSpreadMs();
    for (int i = 0; i < sessions.size(); i++) {
      GatewaySession session = sessions.get(i);
      session.write(RtmFrames.GOODBYE);
      // Closes spread over gateway.drain_spread_ms so the clients' reconnects do not all land at once.
      long delay = spread * i / sessions.size();
      if (delay == 0) {
        closed.add(session.close((short) 1001, "server shutting down, reconnect"));
      } else {
        io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
        vertx.setTimer(delay, t -> session.close((short) 1001, "server shutting down, reconnect").onComplete(done));
        closed.add(done.future());
      }
    }
    return Future.join(closed).otherwiseEmpty();
  }

  // ---- tickets and connections ----

  private void onTicketRequest(Message<TicketRequest> message) {
    TicketRequest request = message.body();
    String ticket = tickets.mint(request.userId(), request.teamId(), request.userName(),
        request.batchPresenceAware(), request.resume(), System.currentTimeMillis());
    message.reply(new TicketGrant(publicUrl + "?ticket=" + ticket));
  }

  private void onHandshake(ServerWebSocketHandshake handshake) {
    if (!PATH.equals(handshake.path())) {
      handshake.reject(404);
    } else {
      handshake.accept();
    }
  }

  /**
   * Frames written to a socket in one pass of the event loop leave in one {@code write(2)}, not one each: a flush
   * is deferred until the loop has run what is already queued (the rest of a batch of events), or until
   * {@link #FLUSH_AFTER_FRAMES} frames wait. Under load most of the CPU per delivery is that system call; idle, it
   * costs one queued task per socket and no latency.
   */
  private static void coalesceFlushes(ServerWebSocket socket) {
    ((WebSocketInternal) socket).channelHandlerContext().pipeline()
        .addFirst("herald-flush-consolidation", new FlushConsolidationHandler(FLUSH_AFTER_FRAMES, true));
  }

  private void onSocket(ServerWebSocket socket) {
    String ticket = socket.query() == null ? null : queryParam(socket.query(), "ticket");
    TicketBook.Grant grant = tickets.redeem(ticket, System.currentTimeMillis());
    if (grant == null) {
      socket.writeTextMessage(RtmFrames.URL_EXPIRED.toString())
          .onComplete(v -> socket.close((short) 1008, "Socket URL has expired"));
      return;
    }
    if (draining) {
      // A ticket minted before the drain began: send the client on to another Gateway.
      socket.writeTextMessage(RtmFrames.GOODBYE.toString())
          .onComplete(v -> socket.close((short) 1001, "server shutting down, reconnect"));
      return;
    }
    String connectionId = UUID.randomUUID().toString().substring(0, 12);
    GatewaySession session = new GatewaySession(connectionId, grant.userId(), grant.teamId(),
        grant.batchPresenceAware(), socket);
    socket.setWriteQueueMaxSize(config.maxQueuedBytes());
    coalesceFlushes(socket);
    openSessions.add(session);
    socket.pause();
    socket.pongHandler(pong -> session.heard(System.currentTimeMillis()));
    socket.textMessageHandler(text -> {
      session.heard(System.currentTimeMillis());
      onFrame(session, text);
    });
    socket.binaryMessageHandler(b -> session.write(RtmFrames.error(null, ErrorCode.INVALID_ARGUMENTS,
        "binary frames are not supported")));
    socket.closeHandler(v -> onClose(session));
    socket.exceptionHandler(err -> LOG.log(System.Logger.Level.DEBUG, "gateway: {0}: {1}", session, err.toString()));

    Map<String, ResumePositions.Position> resumePositions = new HashMap<>();
    bus.<SessionChannels>request(Addresses.WEBAPP_SESSION, new SessionRequest(grant.userId()), BUS_TIMEOUT)
        .compose(reply -> {
          if (!session.isOpen()) {
            return Future.succeededFuture();
          }
          List<String> channels = new ArrayList<>(reply.body().channelIds().size() + 2);
          channels.add(grant.userId());
          channels.add(grant.teamId());
          channels.addAll(reply.body().channelIds());
          // Before the session joins the hub, so no live event of a resumed channel can overtake its replay.
          resumePositions.putAll(ResumePositions.parse(grant.resume(), channels));
          resumePositions.keySet().forEach(session::startResuming);
          return subscribe(hub.add(session, channels));
        })
        .onSuccess(v -> {
          // hello only once every channel is subscribed: nothing posted after hello can be missed.
          session.write(RtmFrames.HELLO);
          socket.resume();
          reportPresence(session, PresenceUpdate.CONNECTED);
          resumePositions.forEach((channelId, position) -> replay(session, channelId, position));
          LOG.log(System.Logger.Level.DEBUG, "gateway {0}: {1} connected with {2} channels", gatewayId, session,
              session.channels().size());
        })
        .onFailure(err -> {
          LOG.log(System.Logger.Level.WARNING, "gateway {0}: could not open {1}: {2}", gatewayId, session,
              err.toString());
          session.write(RtmFrames.error(null, ErrorCode.SERVICE_UNAVAILABLE, null));
          session.close((short) 1011, "could not load channels, reconnect");
        });
  }

  /**
   * Writes what the client missed on a channel, then what arrived live meanwhile (skipping what the replay already
   * had), then lets live events through. When the window cannot cover the gap, the client is told to reload.
   */
  private void replay(GatewaySession session, String channelId, ResumePositions.Position position) {
    String owner = ring.ownerOf(channelId);
    Future<ReplayReply> reply = owner == null
        ? Future.failedFuture(new HeraldException(ErrorCode.SERVICE_UNAVAILABLE))
        : bus.<ReplayReply>request(Addresses.channelReplay(owner),
            new ReplayRequest(channelId, position.seq(), position.epoch()), BUS_TIMEOUT).map(m -> m.body());
    reply.onComplete(ar -> {
      long written = position.seq();
      // Each seq once per resume, however many copies reached this Gateway meanwhile: a seq held twice while the
      // replay was in flight used to be written twice (GatewayDrainFailoverTest, 3 runs in 21).
      Set<Long> seqs = new HashSet<>();
      if (ar.succeeded() && ReplayReply.RECOVERED.equals(ar.result().status())) {
        for (ChannelEvent event : ar.result().events()) {
          if (seqs.add(event.seq())) {
            session.offer(event.payload(), false);
            written = Math.max(written, event.seq());
          }
        }
      } else {
        String reason = ar.succeeded() ? ar.result().status() : "unavailable";
        session.offer(RtmFrames.historyChanged(channelId, reason,
            ar.succeeded() ? ar.result().lastSeq() : 0, ar.succeeded() ? ar.result().epoch() : 0), false);
        written = Long.MIN_VALUE;
      }
      for (ChannelEvent held : session.finishResuming(channelId)) {
        if (held.isTransient() || held.seq() > written && seqs.add(held.seq())) {
          session.offer(held.payload(), held.isTransient());
        }
      }
    });
  }

  private void onClose(GatewaySession session) {
    boolean wasOnline = !session.channels().isEmpty();
    session.markClosed();
    openSessions.remove(session);
    unsubscribe(hub.remove(session, session.channels()));
    if (wasOnline) {
      reportPresence(session, PresenceUpdate.DISCONNECTED);
    }
  }

  /** Pings every socket, and closes those not heard from within the idle timeout (dead peers, lost networks). */
  private void keepAlive(long now) {
    for (GatewaySession session : List.copyOf(openSessions)) {
      if (now - session.lastHeardMillis() > config.idleTimeoutMs()) {
        LOG.log(System.Logger.Level.INFO, "gateway {0}: closing {1}, silent for {2} ms", gatewayId, session,
            now - session.lastHeardMillis());
        session.close((short) 1001, "ping timeout");
        onClose(session);
      } else {
        session.ping();
      }
    }
  }

  /** Tells the presence server owning the user; without presence servers, presence is simply not tracked. */
  private void reportPresence(GatewaySession session, String op) {
    String owner = presenceRing.ownerOf(session.userId());
    if (owner != null) {
      bus.send(Addresses.presenceServer(owner),
          new PresenceUpdate(op, session.userId(), session.teamId(), gatewayId, session.connectionId()));
    }
  }

  // ---- frames from the client ----

  private void onFrame(GatewaySession session, String text) {
    if (text.length() > config.maxFrameBytes() / 4
        && text.getBytes(StandardCharsets.UTF_8).length > config.maxFrameBytes()) {
      session.write(RtmFrames.error(null, ErrorCode.MSG_TOO_LONG,
          "message too long: frames are limited to " + config.maxFrameBytes() + " bytes"));
      session.close((short) 1009, "message too long");
      return;
    }
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      session.write(RtmFrames.error(null, ErrorCode.INVALID_JSON, "frame is not a JSON object"));
      return;
    }
    Object id = frame.getValue("id");
    if (id != null && !(id instanceof Number)) {
      session.write(RtmFrames.error(null, ErrorCode.INVALID_ARGUMENTS, "id must be a number"));
      return;
    }
    Object type = frame.getValue("type");
    if (!(type instanceof String)) {
      session.write(RtmFrames.error(id, ErrorCode.INVALID_ARGUMENTS, "type is required"));
      return;
    }
    // The cases are RtmFrames.CLIENT_TYPES: a new one goes there too, and the access-control suite then wants a case.
    switch ((String) type) {
      case "ping" -> session.write(RtmFrames.pong(frame));
      case "message" -> onMessageFrame(session, id, frame);
      case "presence_sub" -> onPresenceSub(session, id, frame);
      case "typing" -> onTypingFrame(session, id, frame);
      default -> session.write(RtmFrames.error(id, ErrorCode.UNKNOWN_TYPE, "unsupported type: " + type));
    }
  }

  private void onMessageFrame(GatewaySession session, Object id, JsonObject frame) {
    if (id == null) {
      session.write(RtmFrames.error(null, ErrorCode.INVALID_ARGUMENTS, "message frames need a numeric id"));
      return;
    }
    Object channel = frame.getValue("channel");
    Object text = frame.getValue("text");
    if (!(channel instanceof String) || !(text instanceof String)) {
      session.write(RtmFrames.error(id, text == null ? ErrorCode.NO_TEXT : ErrorCode.INVALID_ARGUMENTS, null));
      return;
    }
    bus.<PostResult>request(Addresses.WEBAPP_RTM_POST, new RtmPost(session.userId(), (String) channel, (String) text),
            BUS_TIMEOUT)
        .onSuccess(reply -> session.write(RtmFrames.ok(id, reply.body().ts(), reply.body().text())))
        .onFailure(err -> {
          ErrorCode code = HeraldException.codeOf(err);
          session.write(RtmFrames.error(id, code, null));
        });
  }

  private void onPresenceSub(GatewaySession session, Object id, JsonObject frame) {
    Object ids = frame.getValue("ids");
    if (!(ids instanceof JsonArray list) || list.size() > MAX_PRESENCE_SUBSCRIPTIONS
        || !list.stream().allMatch(String.class::isInstance)) {
      session.write(RtmFrames.error(id, ErrorCode.INVALID_ARGUMENTS,
          "ids must be a list of at most " + MAX_PRESENCE_SUBSCRIPTIONS + " user ids"));
      return;
    }
    Set<String> users = new HashSet<>();
    list.forEach(u -> users.add((String) u));
    session.subscribePresence(users);
    if (id != null) {
      session.write(new JsonObject().put("ok", true).put("reply_to", id).toBuffer());
    }
  }

  /**
   * {@code typing} is never stored: it goes, flagged transient, straight to the conversation's Channel server, which
   * fans it out as {@code user_typing} to the other members' Gateways (not back to the typer). Only conversations
   * this socket receives qualify, which is exactly its user's memberships.
   */
  private void onTypingFrame(GatewaySession session, Object id, JsonObject frame) {
    Object channel = frame.getValue("channel");
    if (!(channel instanceof String channelId) || channelId.equals(session.userId())
        || channelId.equals(session.teamId()) || !session.channels().contains(channelId)) {
      session.write(RtmFrames.error(id, ErrorCode.CHANNEL_NOT_FOUND, null));
      return;
    }
    String owner = ring.ownerOf(channelId);
    if (owner == null || !typing.admit(session.userId(), channelId, System.currentTimeMillis())) {
      return;
    }
    Buffer payload = new JsonObject().put("type", "user_typing").put("channel", channelId)
        .put("user", session.userId()).toBuffer();
    bus.send(Addresses.channelEvents(owner), new ChannelEvent(channelId, 0, 0, "user_typing", session.userId(), null, 0,
        ChannelEvent.TRANSIENT, payload));
  }

  // ---- events from Channel servers ----

  private void deliver(ChannelEvent event) {
    List<GatewaySession> sessions = hub.sessions(event.channelId());
    if (sessions.isEmpty()) {
      return;
    }
    if ("presence_change".equals(event.type())) {
      deliverPresence(event, sessions);
      return;
    }
    // Not back to the typer; and not to the leaver, whose own sockets hear channel_left instead: their removal may
    // already have been applied from that event, so sending it to them would be a race.
    String except = event.isTransient() || "member_left_channel".equals(event.type()) ? event.userId() : null;
    boolean isTransient = event.isTransient();
    List<GatewaySession> evicted = null;
    // The frame is encoded once here; every socket writes a reference to the same bytes.
    ByteBuf frame = TextFrame.encode(event.payload());
    try {
      for (int i = 0, n = sessions.size(); i < n; i++) {
        GatewaySession session = sessions.get(i);
        if ((except == null || !except.equals(session.userId())) && !session.holdIfResuming(event)) {
          if (session.offer(frame, isTransient) == GatewaySession.Offer.EVICTED) {
            evicted = evicted == null ? new ArrayList<>() : evicted;
            evicted.add(session);
          }
        }
      }
    } finally {
      frame.release();
    }
    if (evicted != null) {
      for (GatewaySession session : evicted) {
        LOG.log(System.Logger.Level.WARNING, "gateway {0}: evicted slow consumer {1} at channel {2} seq {3}",
            gatewayId, session, event.channelId(), event.seq());
        onClose(session);
      }
    }
    applyMembership(event);
  }

  /**
   * A batch of presence changes on a team's channel: each socket gets only the users it subscribed to, as one event
   * with a {@code users} list if it connected {@code batch_presence_aware}, else one event per user.
   */
  private void deliverPresence(ChannelEvent event, List<GatewaySession> sessions) {
    JsonObject batch = new JsonObject(event.payload());
    String presence = batch.getString("presence");
    JsonArray users = batch.getJsonArray("users");
    // Sockets that want the same users get the same bytes: each distinct frame is encoded once per batch.
    Map<Object, ByteBuf> frames = new HashMap<>();
    try {
      for (GatewaySession session : sessions) {
        Set<String> wanted = session.presenceSubscriptions();
        if (wanted.isEmpty()) {
          continue;
        }
        JsonArray subset = new JsonArray();
        users.forEach(u -> {
          if (wanted.contains(u)) {
            subset.add(u);
          }
        });
        if (subset.isEmpty()) {
          continue;
        }
        if (session.batchPresenceAware()) {
          session.offer(frames.computeIfAbsent(subset.getList(), k -> TextFrame.encode(new JsonObject()
              .put("type", "presence_change").put("presence", presence).put("users", subset).toBuffer())), true);
        } else {
          for (Object user : subset) {
            session.offer(frames.computeIfAbsent(user, k -> TextFrame.encode(new JsonObject()
                .put("type", "presence_change").put("user", user).put("presence", presence).toBuffer())), true);
          }
        }
      }
    } finally {
      frames.values().forEach(ByteBuf::release);
    }
  }


  /** Membership events change which channels local sessions receive, in order with the events themselves. */
  private void applyMembership(ChannelEvent event) {
    switch (event.type()) {
      case "channel_joined", "group_joined", "im_created", "mpim_joined" -> {
        // On the user's own channel: every local session of the user starts receiving the conversation.
        joinFrom(event.channelId(), event.targetId(), event.targetSeq());
      }
      // On the conversation, in order with its events: what follows the join (its channel_join message) reaches
      // the joiner even when channel_joined, on another channel, has not arrived yet.
      case "member_joined_channel" -> join(event.userId(), event.channelId());
      case "channel_left", "group_left" -> leave(event.channelId(), event.targetId());
      case "member_left_channel" -> leave(event.userId(), event.channelId());
      default -> { }
    }
  }

  private void join(String userId, String conversationId) {
    List<String> fresh = new ArrayList<>();
    for (GatewaySession session : List.copyOf(hub.sessions(userId))) {
      if (session.userId().equals(userId)) {
        fresh.addAll(hub.add(session, List.of(conversationId)));
      }
    }
    subscribe(fresh);
  }

  /**
   * A join heard on the user's own channel, which is not ordered with the conversation's events: sessions not yet
   * in the conversation (member_joined_channel did not reach this Gateway first, typically because no local session
   * was receiving the conversation) subscribe to it and replay it from the seq the join took, holding live events
   * meanwhile, so they miss nothing that followed the join and see nothing from before it.
   */
  private void joinFrom(String userId, String conversationId, long joinedAtSeq) {
    List<GatewaySession> joining = new ArrayList<>();
    for (GatewaySession session : hub.sessions(userId)) {
      if (session.userId().equals(userId) && !session.channels().contains(conversationId)) {
        joining.add(session);
      }
    }
    if (joining.isEmpty()) {
      return;
    }
    List<String> fresh = new ArrayList<>();
    for (GatewaySession session : joining) {
      session.startResuming(conversationId);
      fresh.addAll(hub.add(session, List.of(conversationId)));
    }
    ResumePositions.Position from = new ResumePositions.Position(joinedAtSeq, ReplayRequest.ANY_EPOCH);
    // Replay after the subscription is in place: whatever the window does not hold yet then arrives live.
    subscribe(fresh).onComplete(ar -> joining.forEach(session -> {
      if (session.isOpen()) {
        replay(session, conversationId, from);
      }
    }));
  }

  private void leave(String userId, String conversationId) {
    List<String> emptied = new ArrayList<>();
    for (GatewaySession session : List.copyOf(hub.sessions(userId))) {
      if (session.userId().equals(userId)) {
        emptied.addAll(hub.remove(session, List.of(conversationId)));
      }
    }
    unsubscribe(emptied);
  }

  // ---- subscriptions at Channel servers ----

  private Future<Void> subscribe(Collection<String> channelIds) {
    return sendSubscriptions(ring.ring(), channelIds, true);
  }

  private void unsubscribe(Collection<String> channelIds) {
    sendSubscriptions(ring.ring(), channelIds, false);
  }

  /** One request per owning Channel server, not one per channel. */
  private Future<Void> sendSubscriptions(HashRing on, Collection<String> channelIds, boolean subscribe) {
    return sendSubscriptions(on, channelIds, subscribe, false);
  }

  private Future<Void> sendSubscriptions(HashRing on, Collection<String> channelIds, boolean subscribe,
      boolean handoff) {
    if (channelIds.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<String, List<String>> byOwner = new HashMap<>();
    for (String channelId : channelIds) {
      String owner = on.ownerOf(channelId);
      if (owner == null) {
        return Future.failedFuture(new HeraldException(ErrorCode.SERVICE_UNAVAILABLE, "no channel servers"));
      }
      byOwner.computeIfAbsent(owner, k -> new ArrayList<>()).add(channelId);
    }
    List<Future<?>> requests = new ArrayList<>(byOwner.size());
    byOwner.forEach((owner, ids) -> requests.add(
        bus.request(Addresses.channelSubscriptions(owner), new SubscribeRequest(gatewayId, ids, subscribe, handoff),
            BUS_TIMEOUT)));
    return Future.all(requests).mapEmpty();
  }

  /**
   * Channels whose owner changed are subscribed at their new owner, which replays what it routed for them before
   * this subscription arrived. The previous owner keeps sending for {@code ring.handoff_ms} (Admin servers that
   * have not seen the new ring still route there) before it is told to stop.
   */
  private void onRingChange(HashRing before, HashRing after) {
    List<String> moved = new ArrayList<>();
    for (String channelId : hub.channels()) {
      String was = before.ownerOf(channelId);
      String is = after.ownerOf(channelId);
      if (is != null && !is.equals(was)) {
        moved.add(channelId);
      }
    }
    LOG.log(System.Logger.Level.INFO, "gateway {0}: ring v{1}, resubscribing {2} of {3} channels", gatewayId,
        ring.version(), moved.size(), hub.channels().size());
    if (moved.isEmpty()) {
      return;
    }
    resubscribe(after, moved, 0);
    vertx.setTimer(Math.max(1, handoffMs), id -> {
      // Only where the channel has not come back to its previous owner meanwhile.
      List<String> away = new ArrayList<>();
      for (String channelId : moved) {
        String was = before.ownerOf(channelId);
        if (was != null && !was.equals(ring.ownerOf(channelId))) {
          away.add(channelId);
        }
      }
      sendSubscriptions(before, away, false).otherwiseEmpty();
    });
  }

  private void resubscribe(HashRing on, List<String> channelIds, int attempt) {
    sendSubscriptions(on, channelIds, true, true).onFailure(err -> {
      // Retry the channels that still belong where we tried and that someone here still wants.
      List<String> again = new ArrayList<>();
      for (String channelId : channelIds) {
        String owner = on.ownerOf(channelId);
        if (owner != null && owner.equals(ring.ownerOf(channelId)) && !hub.sessions(channelId).isEmpty()) {
          again.add(channelId);
        }
      }
      LOG.log(System.Logger.Level.WARNING, "gateway {0}: resubscribe failed ({1}), {2} channels to retry",
          gatewayId, err.toString(), again.size());
      if (!again.isEmpty() && attempt < RESUBSCRIBE_ATTEMPTS) {
        vertx.setTimer(RESUBSCRIBE_RETRY_MS, id -> resubscribe(on, again, attempt + 1));
      }
    });
  }

  private static String queryParam(String query, String name) {
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return pair.substring(eq + 1);
      }
    }
    return null;
  }
}
