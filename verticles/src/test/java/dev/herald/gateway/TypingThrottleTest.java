package dev.herald.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TypingThrottleTest {
  private final TypingThrottle throttle = new TypingThrottle(3_000);

  @Test
  @DisplayName("Only the first typing of a user in a channel within the interval is forwarded")
  void oncePerInterval() {
    assertTrue(throttle.admit("U1", "C1", 10_000));
    assertFalse(throttle.admit("U1", "C1", 10_001));
    assertFalse(throttle.admit("U1", "C1", 12_999));
    assertTrue(throttle.admit("U1", "C1", 13_000));
    assertFalse(throttle.admit("U1", "C1", 15_999));
  }

  @Test
  @DisplayName("Other users and other channels are throttled separately")
  void keyedByUserAndChannel() {
    assertTrue(throttle.admit("U1", "C1", 0));
    assertTrue(throttle.admit("U2", "C1", 1));
    assertTrue(throttle.admit("U1", "C2", 2));
    assertFalse(throttle.admit("U2", "C1", 3));
  }

  @Test
  @DisplayName("Purging forgets only entries whose interval is over")
  void purge() {
    throttle.admit("U1", "C1", 0);
    throttle.admit("U2", "C1", 2_000);
    throttle.purge(3_000);
    assertEquals(1, throttle.size());
    assertFalse(throttle.admit("U2", "C1", 4_999));
    assertTrue(throttle.admit("U1", "C1", 3_001));
  }
}
