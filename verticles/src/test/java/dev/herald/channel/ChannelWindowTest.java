package dev.herald.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.shared.bus.ChannelEvent;
import dev.herald.shared.bus.ReplayReply;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChannelWindowTest {
  private static final long EPOCH = 77;

  private static ChannelEvent event(long seq) {
    return new ChannelEvent("C1", seq, EPOCH, "message", "U1", null, 0, Buffer.buffer("{}"));
  }

  @Test
  @DisplayName("replay gives exactly the events after the client's position, and nothing when it is up to date")
  void replayInsideWindow() {
    ChannelWindow window = new ChannelWindow(10, 60_000);
    for (long seq = 5; seq <= 9; seq++) {
      window.append(event(seq), 0);
    }
    ReplayReply reply = window.since(6, EPOCH, EPOCH, 1);
    assertEquals(ReplayReply.RECOVERED, reply.status());
    assertEquals(java.util.List.of(7L, 8L, 9L), reply.events().stream().map(ChannelEvent::seq).toList());
    assertTrue(window.since(9, EPOCH, EPOCH, 1).events().isEmpty());
    assertEquals(ReplayReply.RECOVERED, window.since(4, EPOCH, EPOCH, 1).status(), "the first event is covered");
    assertEquals(ReplayReply.GAP, window.since(3, EPOCH, EPOCH, 1).status(), "before the first event is not");
  }

  @Test
  @DisplayName("events leave the window by count and by age, and a client behind them gets a gap")
  void boundedByCountAndAge() {
    ChannelWindow window = new ChannelWindow(3, 1_000);
    for (long seq = 1; seq <= 5; seq++) {
      window.append(event(seq), 0);
    }
    assertEquals(3, window.size());
    assertEquals(ReplayReply.GAP, window.since(1, EPOCH, EPOCH, 0).status());
    assertEquals(ReplayReply.RECOVERED, window.since(2, EPOCH, EPOCH, 0).status());
    assertTrue(window.expire(1_001), "aged-out events were kept");
    assertEquals(ReplayReply.GAP, window.since(4, EPOCH, EPOCH, 1_001).status());
    assertEquals(ReplayReply.RECOVERED, window.since(5, EPOCH, EPOCH, 1_001).status());
  }

  @Test
  @DisplayName("another epoch, or a position from the future, means the history was lost")
  void epochChanged() {
    ChannelWindow window = new ChannelWindow(10, 60_000);
    window.append(event(1), 0);
    assertEquals(ReplayReply.EPOCH_CHANGED, window.since(1, EPOCH + 1, EPOCH, 0).status());
    assertEquals(ReplayReply.EPOCH_CHANGED, window.since(2, EPOCH, EPOCH, 0).status());
  }
}
