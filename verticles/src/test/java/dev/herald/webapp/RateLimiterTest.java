package dev.herald.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.shared.config.HeraldConfig;
import dev.herald.webapp.RateLimiter.Tier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The token buckets on their own, with time passed in: no clocks, no waiting. */
class RateLimiterTest {
  /** 60 s window; tier 1 = 1, tier 2 = 20, tier 3 = 50, tier 4 = 100, special = 60; at least 3 per bucket. */
  private static final HeraldConfig.RateLimits SLACK = HeraldConfig.defaults().rateLimits();

  @Test
  @DisplayName("the packaged defaults are Slack's tiers per minute")
  void defaultsAreSlacksTiers() {
    assertEquals(new HeraldConfig.RateLimits(true, 60, 1, 20, 50, 100, 60, 3), SLACK);
  }

  @Test
  @DisplayName("a full bucket lets a tier's worth of calls through, then asks for whole seconds until the next")
  void burstThenWait() {
    RateLimiter limiter = new RateLimiter(SLACK);
    for (int i = 0; i < 20; i++) {
      assertEquals(0, limiter.acquire("token|users.list", Tier.TIER_2, 1_000), "call " + i);
    }
    // 20 a minute: one call every 3 s.
    assertEquals(3, limiter.acquire("token|users.list", Tier.TIER_2, 1_000));
    assertEquals(2, limiter.acquire("token|users.list", Tier.TIER_2, 2_000));
    assertEquals(1, limiter.acquire("token|users.list", Tier.TIER_2, 3_500));
    assertEquals(0, limiter.acquire("token|users.list", Tier.TIER_2, 4_000));
    assertEquals(3, limiter.acquire("token|users.list", Tier.TIER_2, 4_000));
  }

  @Test
  @DisplayName("callers and methods have separate buckets")
  void bucketsAreSeparate() {
    RateLimiter limiter = new RateLimiter(SLACK);
    for (int i = 0; i < 3; i++) {
      assertEquals(0, limiter.acquire("a|rtm.connect", Tier.TIER_1, 0));
    }
    assertTrue(limiter.acquire("a|rtm.connect", Tier.TIER_1, 0) > 0);
    assertEquals(0, limiter.acquire("b|rtm.connect", Tier.TIER_1, 0));
    assertEquals(0, limiter.acquire("a|users.info", Tier.TIER_4, 0));
  }

  @Test
  @DisplayName("tier 1 allows a small burst (min_burst), then one call a minute, and says so in whole seconds")
  void tierOneBurstFloor() {
    RateLimiter limiter = new RateLimiter(SLACK);
    for (int i = 0; i < 3; i++) {
      assertEquals(0, limiter.acquire("a|rtm.connect", Tier.TIER_1, 0));
    }
    assertEquals(60, limiter.acquire("a|rtm.connect", Tier.TIER_1, 0));
    assertEquals(30, limiter.acquire("a|rtm.connect", Tier.TIER_1, 30_000));
    assertEquals(0, limiter.acquire("a|rtm.connect", Tier.TIER_1, 60_000));
  }

  @Test
  @DisplayName("a disabled limiter never limits, and refilled buckets are forgotten")
  void disabledAndPurge() {
    RateLimiter off = new RateLimiter(new HeraldConfig.RateLimits(false, 60, 1, 1, 1, 1, 1, 1));
    for (int i = 0; i < 100; i++) {
      assertEquals(0, off.acquire("a|rtm.connect", Tier.TIER_1, 0));
    }
    RateLimiter limiter = new RateLimiter(SLACK);
    limiter.acquire("a|users.info", Tier.TIER_4, 0);
    assertEquals(1, limiter.size());
    limiter.purge(30_000);
    assertEquals(1, limiter.size());
    limiter.purge(61_000);
    assertEquals(0, limiter.size());
  }
}
