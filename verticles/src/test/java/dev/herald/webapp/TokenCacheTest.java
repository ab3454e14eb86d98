package dev.herald.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.herald.shared.bus.AuthChange;
import dev.herald.storage.User;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TokenCacheTest {
  private static final User ANN = new User("U1", "T1", "ann", "Ann", false, 0, false);
  private static final User BOB = new User("U2", "T1", "bob", "Bob", false, 0, false);

  @Test
  @DisplayName("a remembered token answers until it is revoked; other tokens stay")
  void revokedTokenIsForgotten() {
    TokenCache cache = new TokenCache(Duration.ofMinutes(1));
    cache.remember("h1", ANN, cache.generation());
    cache.remember("h2", BOB, cache.generation());
    assertEquals(ANN, cache.get("h1"));
    cache.forget(AuthChange.tokenRevoked("h1"));
    assertNull(cache.get("h1"));
    assertEquals(BOB, cache.get("h2"));
  }

  @Test
  @DisplayName("a changed user loses every token remembered for them")
  void changedUserIsForgotten() {
    TokenCache cache = new TokenCache(Duration.ofMinutes(1));
    cache.remember("h1", ANN, cache.generation());
    cache.remember("h1b", ANN, cache.generation());
    cache.remember("h2", BOB, cache.generation());
    cache.forget(AuthChange.userChanged("U1"));
    assertNull(cache.get("h1"));
    assertNull(cache.get("h1b"));
    assertEquals(BOB, cache.get("h2"));
  }

  @Test
  @DisplayName("a lookup that a revoke overtook is not remembered")
  void lookupOvertakenByRevokeIsDropped() {
    TokenCache cache = new TokenCache(Duration.ofMinutes(1));
    long before = cache.generation();
    cache.forget(AuthChange.tokenRevoked("h1"));
    cache.remember("h1", ANN, before);
    assertNull(cache.get("h1"));
  }

  @Test
  @DisplayName("with no time to live nothing is remembered")
  void zeroTtlRemembersNothing() {
    TokenCache cache = new TokenCache(Duration.ZERO);
    cache.remember("h1", ANN, cache.generation());
    assertNull(cache.get("h1"));
  }
}
