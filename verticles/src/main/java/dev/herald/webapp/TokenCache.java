package dev.herald.webapp;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.herald.shared.bus.AuthChange;
import dev.herald.storage.User;
import io.vertx.core.shareddata.Shareable;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who each recently used token belongs to, so a busy client's calls (a bot posting many times a second) skip the
 * database lookup. One per Webapp JVM, shared by its instances.
 *
 * <p>Never stale past what it is told: {@code auth.revoke} and profile changes {@link #forget forget} here before they
 * answer, and every other Webapp JVM forgets when the {@link AuthChange} reaches it over the bus. The time limit
 * bounds what a lost bus message could leave behind. A lookup that raced a forget is not remembered
 * ({@link #generation}).
 */
public final class TokenCache implements Shareable {
  /** Beyond this many tokens the least recently used are dropped: busy clients stay, everyone else looks up. */
  static final int MAX_TOKENS = 100_000;

  private final Cache<String, User> users;
  private final AtomicLong generation = new AtomicLong();

  /** {@code ttl} zero: remembers nothing, every call looks its token up. */
  public TokenCache(Duration ttl) {
    this.users = ttl.isZero() ? null
        : Caffeine.newBuilder().maximumSize(MAX_TOKENS).expireAfterWrite(ttl).build();
  }

  /** The token's user, or null if not remembered. */
  public User get(String tokenHash) {
    return users == null ? null : users.getIfPresent(tokenHash);
  }

  /** Read before a lookup and handed to {@link #remember}: a forget in between makes the lookup's answer too old. */
  public long generation() {
    return generation.get();
  }

  public void remember(String tokenHash, User user, long generationBeforeLookup) {
    if (users != null && generation.get() == generationBeforeLookup) {
      users.put(tokenHash, user);
    }
  }

  /** Drops the revoked token, or every token of the changed user. */
  public void forget(AuthChange change) {
    generation.incrementAndGet();
    if (users == null) {
      return;
    }
    if (change.tokenHash() != null) {
      users.invalidate(change.tokenHash());
    }
    if (change.userId() != null) {
      users.asMap().values().removeIf(user -> user.id().equals(change.userId()));
    }
  }
}
