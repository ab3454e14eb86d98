package dev.herald.webapp;

import dev.herald.shared.config.HeraldConfig;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slack's Web API rate limits: a token bucket per caller and method, sized by the method's tier. A bucket holds a
 * window's worth of calls (at least {@code min_burst}) and refills continuously, so short bursts pass and a steady
 * excess is told, with an integer {@code Retry-After}, how long to wait. Shared by the Webapp instances of one JVM
 * (several JVMs each count on their own). Thread-safe.
 */
public final class RateLimiter implements Shareable {
  /** Slack's tiers; {@link #SPECIAL} is {@code chat.postMessage}, limited per channel. */
  public enum Tier { TIER_1, TIER_2, TIER_3, TIER_4, SPECIAL }

  private static final class Bucket {
    double tokens;
    long updatedMillis;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.updatedMillis = now;
    }
  }

  private final HeraldConfig.RateLimits config;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(HeraldConfig.RateLimits config) {
    this.config = config;
  }

  public boolean enabled() {
    return config.enabled();
  }

  private int perWindow(Tier tier) {
    return switch (tier) {
      case TIER_1 -> config.tier1();
      case TIER_2 -> config.tier2();
      case TIER_3 -> config.tier3();
      case TIER_4 -> config.tier4();
      case SPECIAL -> config.special();
    };
  }

  /**
   * Takes one call from the bucket of {@code key} (caller and method, and channel for {@link Tier#SPECIAL}).
   * Returns 0 if the call may proceed, else the whole seconds to wait before the next one would.
   */
  public long acquire(String key, Tier tier, long nowMillis) {
    if (!config.enabled()) {
      return 0;
    }
    int limit = perWindow(tier);
    double capacity = Math.max(limit, config.minBurst());
    double perMilli = limit / (config.windowSeconds() * 1000.0);
    long[] wait = new long[1];
    buckets.compute(tier + "|" + key, (k, bucket) -> {
      if (bucket == null) {
        bucket = new Bucket(capacity, nowMillis);
      } else {
        bucket.tokens = Math.min(capacity, bucket.tokens + (nowMillis - bucket.updatedMillis) * perMilli);
        bucket.updatedMillis = Math.max(bucket.updatedMillis, nowMillis);
      }
      if (bucket.tokens >= 1 - 1e-9) {
        bucket.tokens -= 1;
      } else {
        // Whole seconds, rounded up and at least one: the SDKs read Retry-After as an integer.
        // (The epsilons keep float noise from refusing a call that is due, or turning an exact 2 s into 3.)
        wait[0] = Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perMilli / 1000.0 - 1e-9));
      }
      return bucket;
    });
    return wait[0];
  }

  /** Forgets buckets that have refilled completely: they behave exactly like absent ones. */
  public void purge(long nowMillis) {
    long idle = config.windowSeconds() * 1000L;
    buckets.values().removeIf(bucket -> nowMillis - bucket.updatedMillis > idle);
  }

  int size() {
    return buckets.size();
  }
}
