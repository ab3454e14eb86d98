package dev.herald.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.shared.bus.ChannelEvent;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RecentEventsTest {
  private static ChannelEvent event(String channel, long seq) {
    return new ChannelEvent(channel, seq, 0, "message", "U1", null, 0, 0, Buffer.buffer("{}"));
  }

  private static List<Long> seqs(List<ChannelEvent> events) {
    return events.stream().map(ChannelEvent::seq).toList();
  }

  @Test
  @DisplayName("a Gateway moving over late gets, in order, only the recent events that did not go to it")
  void replaysOnlyWhatWasMissed() {
    RecentEvents recent = new RecentEvents(2_000);
    recent.sent(event("C1", 1), List.of(), 1_000);
    recent.sent(event("C1", 2), List.of("gw-a"), 1_010);
    recent.sent(event("C1", 3), List.of("gw-b"), 1_020);
    recent.sent(event("C2", 1), List.of(), 1_030);
    assertEquals(List.of(1L, 3L), seqs(recent.missedBy("C1", "gw-a", 1_100)));
    assertEquals(List.of(1L, 2L), seqs(recent.missedBy("C1", "gw-b", 1_100)));
    assertEquals(List.of(), recent.missedBy("C3", "gw-a", 1_100));
  }

  @Test
  @DisplayName("events older than the hand-off window are neither replayed nor kept")
  void forgetsOldEvents() {
    RecentEvents recent = new RecentEvents(2_000);
    recent.sent(event("C1", 1), List.of(), 1_000);
    recent.sent(event("C1", 2), List.of(), 2_500);
    assertEquals(List.of(2L), seqs(recent.missedBy("C1", "gw-a", 3_100)));
    recent.purge(3_100);
    assertEquals(1, recent.size());
    recent.purge(10_000);
    assertEquals(0, recent.size());
  }

  @Test
  @DisplayName("a busy channel keeps a bounded number of events, the newest")
  void bounded() {
    RecentEvents recent = new RecentEvents(60_000);
    for (int seq = 1; seq <= RecentEvents.MAX_PER_CHANNEL + 10; seq++) {
      recent.sent(event("C1", seq), List.of(), 1_000);
    }
    List<ChannelEvent> kept = recent.missedBy("C1", "gw-a", 1_000);
    assertEquals(RecentEvents.MAX_PER_CHANNEL, kept.size());
    assertEquals(11L, kept.get(0).seq());
  }

  @Test
  @DisplayName("a hand-off window of zero keeps nothing")
  void disabled() {
    RecentEvents recent = new RecentEvents(0);
    recent.sent(event("C1", 1), List.of(), 1_000);
    assertEquals(0, recent.size());
  }
}
