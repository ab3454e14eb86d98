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
    return new ChannelEvent("C1", seq, EPOCH, "message", "U1", null, 0, 0, Buffer.buffer("{}"));
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
  @DisplayName("a replay from a join's seq, whatever the epoch: what followed it, or nothing yet, or a gap")
  void replayFromAJoin() {
    ChannelWindow window = new ChannelWindow(10, 60_000);
    long any = dev.herald.shared.bus.ReplayRequest.ANY_EPOCH;
    assertEquals(ReplayReply.RECOVERED, window.since(0, any, EPOCH, 0).status(), "a new conversation: nothing yet");
    for (long seq = 5; seq <= 9; seq++) {
      window.append(event(seq), 0);
    }
    ReplayReply reply = window.since(7, any, EPOCH, 1);
    assertEquals(ReplayReply.RECOVERED, reply.status());
    assertEquals(java.util.List.of(8L, 9L), reply.events().stream().map(ChannelEvent::seq).toList());
    // The join's own event not released here yet: the asker subscribed first, so it and what follows come live.
    ReplayReply ahead = window.since(12, any, EPOCH, 1);
    assertEquals(ReplayReply.RECOVERED, ahead.status());
    assertTrue(ahead.events().isEmpty());
    assertEquals(ReplayReply.GAP, window.since(3, any, EPOCH, 1).status(), "before the window is still a gap");
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

  @Test
  @DisplayName("a sequence number the sequencer skipped makes a replay across it a gap, until it turns up late")
  void skippedEventIsAGap() {
    ChannelWindow window = new ChannelWindow(10, 60_000);
    window.append(event(1), 0);
    window.append(event(2), 0);
    // 3 was lost on its way (or is late): the sequencer released 4 after its hold.
    window.append(event(4), 0);
    window.append(event(5), 0);
    assertEquals(ReplayReply.GAP, window.since(1, EPOCH, EPOCH, 0).status(), "a replay without 3 is incomplete");
    assertEquals(ReplayReply.GAP, window.since(2, EPOCH, EPOCH, 0).status());
    ReplayReply after = window.since(3, EPOCH, EPOCH, 0);
    assertEquals(ReplayReply.RECOVERED, after.status(), "a client past the hole loses nothing");
    assertEquals(java.util.List.of(4L, 5L), after.events().stream().map(ChannelEvent::seq).toList());
    window.append(event(3), 0);
    ReplayReply filled = window.since(2, EPOCH, EPOCH, 0);
    assertEquals(ReplayReply.RECOVERED, filled.status(), "the late event filled the hole");
    assertEquals(java.util.Set.of(3L, 4L, 5L),
        filled.events().stream().map(ChannelEvent::seq).collect(java.util.stream.Collectors.toSet()));
  }

  @Test
  @DisplayName("a hole that leaves the window is forgotten with it")
  void holesLeaveWithTheWindow() {
    ChannelWindow window = new ChannelWindow(3, 60_000);
    window.append(event(1), 0);
    window.append(event(3), 0);
    for (long seq = 4; seq <= 8; seq++) {
      window.append(event(seq), 0);
    }
    assertEquals(ReplayReply.GAP, window.since(2, EPOCH, EPOCH, 0).status());
    assertEquals(ReplayReply.RECOVERED, window.since(5, EPOCH, EPOCH, 0).status());
  }
}
