package dev.herald.presence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is online, for the users hashed to one presence server. A user is {@code active} while at least one of their
 * sockets is connected and they have not set themselves away; otherwise {@code away}. Going away waits out a grace
 * period after the last socket closes, so a quick reconnect never flaps. Gateways that stop heartbeating take their
 * sessions with them.
 *
 * <p>Plain logic driven by one event loop, with time passed in. Not thread-safe.
 */
public final class PresenceTracker {
  /** A change to announce: {@code user} of {@code team} is now {@code presence}. */
  public record Change(String userId, String teamId, String presence) {}

  public record Status(String presence, boolean online, boolean manualAway, int connectionCount, long lastActivityMillis) {}

  private static final class UserState {
    final String teamId;
    /** connection id → gateway id */
    final Map<String, String> sessions = new HashMap<>();
    boolean manualAway;
    String announced = "away";
    long awaySince = -1;
    long lastActivity;

    UserState(String teamId) {
      this.teamId = teamId;
    }

    String current() {
      return !sessions.isEmpty() && !manualAway ? "active" : "away";
    }
  }

  private final long graceMillis;
  private final long gatewayLeaseMillis;
  private final Map<String, UserState> users = new HashMap<>();
  private final Map<String, Long> gatewaySeen = new HashMap<>();
  private final Map<String, Set<String>> usersByGateway = new HashMap<>();

  public PresenceTracker(long graceMillis, long gatewayLeaseMillis) {
    this.graceMillis = graceMillis;
    this.gatewayLeaseMillis = gatewayLeaseMillis;
  }

  public List<Change> connected(String userId, String teamId, String gatewayId, String connectionId, long now) {
    UserState user = users.computeIfAbsent(userId, k -> new UserState(teamId));
    user.sessions.put(connectionId, gatewayId);
    user.lastActivity = now;
    user.awaySince = -1;
    heartbeat(gatewayId, now);
    usersByGateway.computeIfAbsent(gatewayId, k -> new HashSet<>()).add(userId);
    return settle(userId, user, now);
  }

  public List<Change> disconnected(String userId, String connectionId, long now) {
    UserState user = users.get(userId);
    if (user == null || user.sessions.remove(connectionId) == null) {
      return List.of();
    }
    user.lastActivity = now;
    return settle(userId, user, now);
  }

  /** {@code away=true} is Slack's {@code users.setPresence presence=away}; false is {@code auto}. */
  public List<Change> setManualAway(String userId, String teamId, boolean away, long now) {
    UserState user = users.computeIfAbsent(userId, k -> new UserState(teamId));
    user.manualAway = away;
    user.awaySince = -1;
    return settle(userId, user, now);
  }

  public void heartbeat(String gatewayId, long now) {
    gatewaySeen.put(gatewayId, now);
  }

  /** Expires silent Gateways and finished grace periods; returns the changes to announce. */
  public List<Change> tick(long now) {
    for (Iterator<Map.Entry<String, Long>> it = gatewaySeen.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Long> gateway = it.next();
      if (now - gateway.getValue() > gatewayLeaseMillis) {
        it.remove();
        dropGateway(gateway.getKey(), now);
      }
    }
    List<Change> changes = new ArrayList<>();
    for (Map.Entry<String, UserState> e : users.entrySet()) {
      UserState user = e.getValue();
      if (user.awaySince >= 0 && now - user.awaySince >= graceMillis) {
        user.awaySince = -1;
        if (!user.announced.equals("away")) {
          user.announced = "away";
          changes.add(new Change(e.getKey(), user.teamId, "away"));
        }
      }
    }
    users.values().removeIf(u -> u.sessions.isEmpty() && !u.manualAway && u.announced.equals("away") && u.awaySince < 0);
    return changes;
  }

  public Status status(String userId) {
    UserState user = users.get(userId);
    if (user == null) {
      return new Status("away", false, false, 0, 0);
    }
    return new Status(user.announced, !user.sessions.isEmpty(), user.manualAway, user.sessions.size(),
        user.lastActivity);
  }

  private void dropGateway(String gatewayId, long now) {
    Set<String> affected = usersByGateway.remove(gatewayId);
    if (affected == null) {
      return;
    }
    for (String userId : affected) {
      UserState user = users.get(userId);
      if (user != null && user.sessions.values().removeIf(gatewayId::equals)) {
        settle(userId, user, now);
      }
    }
  }

  /**
   * Announces a change at once when the user becomes active or sets away by hand; a user who merely lost their last
   * socket is announced away only after the grace period (in {@link #tick}).
   */
  private List<Change> settle(String userId, UserState user, long now) {
    String current = user.current();
    if (current.equals(user.announced)) {
      user.awaySince = -1;
      return List.of();
    }
    if (current.equals("away") && !user.manualAway) {
      if (user.awaySince < 0) {
        user.awaySince = now;
      }
      return List.of();
    }
    user.announced = current;
    user.awaySince = -1;
    return List.of(new Change(userId, user.teamId, current));
  }
}
