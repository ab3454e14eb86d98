package dev.herald.gateway;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Single-use websocket tickets minted for {@code rtm.connect}. Shared by the Gateway instances of one JVM, since a
 * connection may land on any instance listening on the port. A ticket is 128 random bits, valid once, for a
 * limited time.
 */
public final class TicketBook {
  public record Grant(String userId, String teamId, String userName, boolean batchPresenceAware, String resume,
      long expiresAtMillis) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final ConcurrentHashMap<String, Grant> grants = new ConcurrentHashMap<>();
  private final long ttlMillis;

  public TicketBook(long ttlMillis) {
    this.ttlMillis = ttlMillis;
  }

  public String mint(String userId, String teamId, String userName, long nowMillis) {
    return mint(userId, teamId, userName, false, null, nowMillis);
  }

  public String mint(String userId, String teamId, String userName, boolean batchPresenceAware, String resume,
      long nowMillis) {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    String ticket = HexFormat.of().formatHex(bytes);
    grants.put(ticket, new Grant(userId, teamId, userName, batchPresenceAware, resume, nowMillis + ttlMillis));
    return ticket;
  }

  /** The grant, removed so it cannot be used again; null if unknown, used or expired. */
  public Grant redeem(String ticket, long nowMillis) {
    if (ticket == null) {
      return null;
    }
    Grant grant = grants.remove(ticket);
    return grant == null || grant.expiresAtMillis() < nowMillis ? null : grant;
  }

  /** Forgets expired tickets. */
  public void purge(long nowMillis) {
    grants.values().removeIf(grant -> grant.expiresAtMillis() < nowMillis);
  }

  public int size() {
    return grants.size();
  }
}
