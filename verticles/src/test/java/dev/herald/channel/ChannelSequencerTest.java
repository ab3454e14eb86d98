package dev.herald.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.shared.bus.ChannelEvent;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChannelSequencerTest {
  private static ChannelEvent event(long seq) {
    return new ChannelEvent("C1", seq, 0, "message", "U1", null, 0, 0, Buffer.buffer("{}"));
  }

  private static List<Long> seqs(List<ChannelEvent> events) {
    return events.stream().map(ChannelEvent::seq).toList();
  }

  @Test
  @DisplayName("events arriving in order are released at once")
  void inOrder() {
    ChannelSequencer sequencer = new ChannelSequencer(1000);
    assertEquals(List.of(5L), seqs(sequencer.accept(event(5), 0)));
    assertEquals(List.of(6L), seqs(sequencer.accept(event(6), 0)));
    assertFalse(sequencer.isWaiting());
  }

  @Test
  @DisplayName("an early event waits for the one before it, then both go out in order")
  void earlyEventWaits() {
    ChannelSequencer sequencer = new ChannelSequencer(1000);
    sequencer.accept(event(1), 0);
    assertEquals(List.of(), seqs(sequencer.accept(event(3), 10)));
    assertEquals(List.of(), seqs(sequencer.accept(event(4), 10)));
    assertTrue(sequencer.isWaiting());
    assertEquals(List.of(2L, 3L, 4L), seqs(sequencer.accept(event(2), 20)));
    assertFalse(sequencer.isWaiting());
    assertEquals(4, sequencer.lastReleased());
  }

  @Test
  @DisplayName("a gap that never fills is skipped after the hold time, and a straggler is still delivered once")
  void gapIsSkippedAfterHold() {
    ChannelSequencer sequencer = new ChannelSequencer(100);
    sequencer.accept(event(1), 0);
    sequencer.accept(event(3), 0);
    assertEquals(List.of(), seqs(sequencer.expire(99)));
    assertEquals(List.of(3L), seqs(sequencer.expire(100)));
    assertEquals(List.of(2L), seqs(sequencer.accept(event(2), 150)), "a late event is delivered, not lost");
    assertEquals(List.of(), seqs(sequencer.accept(event(2), 160)), "but only once");
    assertEquals(List.of(), seqs(sequencer.accept(event(3), 160)), "duplicates are dropped");
  }

  @Test
  @DisplayName("events older than the first one seen on the channel are passed through")
  void olderThanBaseline() {
    ChannelSequencer sequencer = new ChannelSequencer(100);
    sequencer.accept(event(10), 0);
    assertEquals(List.of(9L), seqs(sequencer.accept(event(9), 1)));
  }
}
