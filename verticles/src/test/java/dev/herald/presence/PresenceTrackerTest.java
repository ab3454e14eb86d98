package dev.herald.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.presence.PresenceTracker.Change;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PresenceTrackerTest {
  private final PresenceTracker tracker = new PresenceTracker(5_000, 15_000);

  @Test
  @DisplayName("a user is active from their first socket and away only after the grace period following their last")
  void activeWhileConnected() {
    assertEquals(List.of(new Change("U1", "T1", "active")), tracker.connected("U1", "T1", "gw1", "c1", 0));
    assertEquals(List.of(), tracker.connected("U1", "T1", "gw2", "c2", 10), "a second socket changes nothing");
    assertEquals(List.of(), tracker.disconnected("U1", "c1", 20));
    assertEquals("active", tracker.status("U1").presence());
    assertEquals(List.of(), tracker.disconnected("U1", "c2", 30));
    assertEquals(List.of(), tracker.tick(5_029));
    assertEquals(List.of(new Change("U1", "T1", "away")), tracker.tick(5_030));
    assertEquals("away", tracker.status("U1").presence());
  }

  @Test
  @DisplayName("a quick reconnect never flaps")
  void quickReconnectDoesNotFlap() {
    tracker.connected("U1", "T1", "gw1", "c1", 0);
    tracker.disconnected("U1", "c1", 100);
    assertEquals(List.of(), tracker.connected("U1", "T1", "gw1", "c2", 1_000));
    assertEquals(List.of(), tracker.tick(10_000));
    assertEquals("active", tracker.status("U1").presence());
  }

  @Test
  @DisplayName("setting away is announced at once, and auto brings a connected user back")
  void manualAway() {
    tracker.connected("U1", "T1", "gw1", "c1", 0);
    assertEquals(List.of(new Change("U1", "T1", "away")), tracker.setManualAway("U1", "T1", true, 10));
    assertEquals(List.of(), tracker.connected("U1", "T1", "gw1", "c2", 20), "connecting does not undo manual away");
    assertEquals(List.of(new Change("U1", "T1", "active")), tracker.setManualAway("U1", "T1", false, 30));
  }

  @Test
  @DisplayName("a Gateway that stops heartbeating takes its users' sessions with it")
  void silentGatewayExpires() {
    tracker.connected("U1", "T1", "gw1", "c1", 0);
    tracker.connected("U2", "T1", "gw2", "c2", 0);
    tracker.heartbeat("gw2", 14_000);
    assertEquals(List.of(), tracker.tick(15_001));
    assertEquals(false, tracker.status("U1").online());
    assertEquals(true, tracker.status("U2").online());
    assertEquals(List.of(new Change("U1", "T1", "away")), tracker.tick(20_001));
  }
}
