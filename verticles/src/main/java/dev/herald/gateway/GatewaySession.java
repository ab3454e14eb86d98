package dev.herald.gateway;

import dev.herald.shared.bus.ChannelEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One client's websocket on this Gateway, and the channels it receives. */
public final class GatewaySession {
  private final String connectionId;
  private final String userId;
  private final String teamId;
  private final ServerWebSocket socket;
  /** The socket's place in its Netty pipeline, where events' ready-made frames are written. */
  private final ChannelHandlerContext pipeline;
  private final Set<String> channels = new LinkedHashSet<>();
  private final boolean batchPresenceAware;
  /** The users whose presence changes this socket asked for with {@code presence_sub}: Slack sends no others. */
  private Set<String> presenceSubscriptions = Set.of();
  /** Channels being replayed to this socket: live events wait here until the replay is written. */
  private Map<String, List<ChannelEvent>> resuming;
  private boolean open = true;
  private long lastHeardMillis = System.currentTimeMillis();

  public GatewaySession(String connectionId, String userId, String teamId, boolean batchPresenceAware,
      ServerWebSocket socket) {
    this.connectionId = connectionId;
    this.userId = userId;
    this.teamId = teamId;
    this.batchPresenceAware = batchPresenceAware;
    this.socket = socket;
    this.pipeline = ((WebSocketInternal) socket).channelHandlerContext();
  }

  public boolean batchPresenceAware() {
    return batchPresenceAware;
  }

  public Set<String> presenceSubscriptions() {
    return presenceSubscriptions;
  }

  /** {@code presence_sub} replaces the previous subscription, as in Slack. */
  public void subscribePresence(Set<String> userIds) {
    presenceSubscriptions = Set.copyOf(userIds);
  }

  public String connectionId() {
    return connectionId;
  }

  public String userId() {
    return userId;
  }

  public String teamId() {
    return teamId;
  }

  /** The channels this session receives, maintained by {@link LocalHub}. */
  public Set<String> channels() {
    return channels;
  }

  public boolean isOpen() {
    return open;
  }

  void markClosed() {
    open = false;
  }

  /**
   * Writes one of the Gateway's own frames ({@code hello}, replies, errors) unconditionally: events go through
   * {@link #offer} instead, which minds the socket's write queue. Both write the same way, so they stay in order.
   */
  public void write(Buffer json) {
    ByteBuf frame = TextFrame.encode(json);
    try {
      if (open && !socket.isClosed()) {
        writeFrame(frame);
      }
    } finally {
      frame.release();
    }
  }

  /** What became of an event offered to a socket whose write queue may be full. */
  public enum Offer { WRITTEN, DROPPED, EVICTED }

  /** As {@link #offer(ByteBuf, boolean)}, encoding the event's frame for this socket alone (replays, held events). */
  public Offer offer(Buffer json, boolean isTransient) {
    ByteBuf frame = TextFrame.encode(json);
    try {
      return offer(frame, isTransient);
    } finally {
      frame.release();
    }
  }

  /**
   * Writes an event's frame ({@link TextFrame}, shared by every recipient: this write holds its own reference)
   * unless the socket is not keeping up: past its write-queue bound a transient event (typing, presence) is dropped,
   * and a persisted one closes the socket, telling the client to reconnect and resume.
   */
  public Offer offer(ByteBuf frame, boolean isTransient) {
    if (!open || socket.isClosed()) {
      return Offer.DROPPED;
    }
    if (!pipeline.channel().isWritable()) {
      if (isTransient) {
        return Offer.DROPPED;
      }
      close((short) 1013, "slow consumer: reconnect and resume");
      return Offer.EVICTED;
    }
    writeFrame(frame);
    return Offer.WRITTEN;
  }

  /**
   * Straight into the socket's pipeline, below Vert.x's per-write promise, frame object and queue: the bytes are
   * ready. This write holds its own reference to them.
   */
  private void writeFrame(ByteBuf frame) {
    pipeline.writeAndFlush(frame.retainedDuplicate(), pipeline.voidPromise());
  }

  public void startResuming(String channelId) {
    if (resuming == null) {
      resuming = new HashMap<>();
    }
    resuming.put(channelId, new ArrayList<>());
  }

  /** Holds a live event back if its channel is being replayed; false if it may be written now. */
  public boolean holdIfResuming(ChannelEvent event) {
    if (resuming == null) {
      return false;
    }
    List<ChannelEvent> held = resuming.get(event.channelId());
    if (held == null) {
      return false;
    }
    held.add(event);
    return true;
  }

  /** Ends a channel's replay; returns the live events held meanwhile, in arrival order. */
  public List<ChannelEvent> finishResuming(String channelId) {
    if (resuming == null) {
      return List.of();
    }
    List<ChannelEvent> held = resuming.remove(channelId);
    if (resuming.isEmpty()) {
      resuming = null;
    }
    return held == null ? List.of() : held;
  }

  /** Anything heard from the client (a frame or a pong) proves it is alive. */
  public void heard(long nowMillis) {
    lastHeardMillis = nowMillis;
  }

  public long lastHeardMillis() {
    return lastHeardMillis;
  }

  public void ping() {
    if (open) {
      socket.writePing(Buffer.buffer());
    }
  }

  /** Completes when the close frame is written (at once if the socket was already closed). */
  public io.vertx.core.Future<Void> close(short code, String reason) {
    if (open) {
      open = false;
      return socket.close(code, reason);
    }
    return io.vertx.core.Future.succeededFuture();
  }

  @Override
  public String toString() {
    return "session " + connectionId + " of user " + userId;
  }
}
