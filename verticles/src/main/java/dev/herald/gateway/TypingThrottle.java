package dev.herald.gateway;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * At most one {@code user_typing} per user and conversation per interval, as Slack does (one per 3 s): clients send
 * {@code typing} on every keystroke, and fanning each out would cost every member's Gateway for nothing. Plain
 * logic, used on one event loop only.
 */
public final class TypingThrottle {
  private final long intervalMs;
  /** "user channel" → when its last typing was let through. */
  private final Map<String, Long> lastForwarded = new HashMap<>();

  public TypingThrottle(long intervalMs) {
    this.intervalMs = intervalMs;
  }

  /** True when this user's typing in this channel at {@code nowMs} should be forwarded; records it if so. */
  public boolean admit(String userId, String channelId, long nowMs) {
    String key = userId + ' ' + channelId;
    Long last = lastForwarded.get(key);
    if (last != null && nowMs - last < intervalMs) {
      return false;
    }
    lastForwarded.put(key, nowMs);
    return true;
  }

  /** Forgets entries whose interval is over, so the map holds only users typing right now. */
  public void purge(long nowMs) {
    for (Iterator<Long> it = lastForwarded.values().iterator(); it.hasNext(); ) {
      if (nowMs - it.next() >= intervalMs) {
        it.remove();
      }
    }
  }

  int size() {
    return lastForwarded.size();
  }
}
