package dev.herald.gateway;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * This Gateway's map of channel → local sessions subscribed to it. A channel is subscribed at its Channel server
 * while at least one local session wants it: {@link #add} and {@link #remove} report when that changes.
 * Driven by one event loop; not thread-safe.
 */
public final class LocalHub {
  private final Map<String, List<GatewaySession>> sessionsByChannel = new HashMap<>();

  /** Adds the session to each channel; returns the channels that had no local session before. */
  public List<String> add(GatewaySession session, Collection<String> channelIds) {
    List<String> fresh = new ArrayList<>();
    for (String channelId : channelIds) {
      List<GatewaySession> sessions = sessionsByChannel.computeIfAbsent(channelId, k -> new ArrayList<>(2));
      if (sessions.isEmpty()) {
        fresh.add(channelId);
      }
      if (!sessions.contains(session)) {
        sessions.add(session);
        session.channels().add(channelId);
      }
    }
    return fresh;
  }

  /** Removes the session from each channel; returns the channels left with no local session. */
  public List<String> remove(GatewaySession session, Collection<String> channelIds) {
    List<String> emptied = new ArrayList<>();
    for (String channelId : List.copyOf(channelIds)) {
      List<GatewaySession> sessions = sessionsByChannel.get(channelId);
      session.channels().remove(channelId);
      if (sessions != null && sessions.remove(session) && sessions.isEmpty()) {
        sessionsByChannel.remove(channelId);
        emptied.add(channelId);
      }
    }
    return emptied;
  }

  /** The sessions subscribed to a channel; empty if none. The list must not be modified by the caller. */
  public List<GatewaySession> sessions(String channelId) {
    List<GatewaySession> sessions = sessionsByChannel.get(channelId);
    return sessions == null ? List.of() : sessions;
  }

  /** Every channel with at least one local session. */
  public Collection<String> channels() {
    return sessionsByChannel.keySet();
  }
}
