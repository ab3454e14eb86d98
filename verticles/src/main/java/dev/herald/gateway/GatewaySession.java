package dev.herald.gateway;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.LinkedHashSet;
import java.util.Set;

/** One client's websocket on this Gateway, and the channels it receives. */
public final class GatewaySession {
  private final String connectionId;
  private final String userId;
  private final String teamId;
  private final ServerWebSocket socket;
  private final Set<String> channels = new LinkedHashSet<>();
  /** Users named by the client's last {@code presence_sub}. */
  private Set<String> presenceSubscriptions = Set.of();
  private boolean open = true;

  public GatewaySession(String connectionId, String userId, String teamId, ServerWebSocket socket) {
    this.connectionId = connectionId;
    this.userId = userId;
    this.teamId = teamId;
    this.socket = socket;
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
   * Writes an already-encoded JSON event as a text frame. The bytes are shared by every session receiving the
   * event; each write gets its own view of them, never a copy or a re-encoding.
   */
  public void write(Buffer json) {
    if (!open) {
      return;
    }
    socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, ((BufferInternal) json).getByteBuf(), true));
  }

  public Future<Void> close(short code, String reason) {
    if (open) {
      open = false;
      return socket.close(code, reason);
    }
    return Future.succeededFuture();
  }

  /** Replaces the set of users whose presence this session follows (Slack's {@code presence_sub}). */
  public void subscribePresence(java.util.Collection<String> userIds) {
    presenceSubscriptions = Set.copyOf(userIds);
  }

  public Set<String> presenceSubscriptions() {
    return presenceSubscriptions;
  }

  @Override
  public String toString() {
    return "session " + connectionId + " of user " + userId;
  }
}
