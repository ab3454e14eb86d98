package dev.herald.channel;

import dev.herald.shared.bus.ChannelEvent;
import dev.herald.shared.bus.ReplayReply;
import dev.herald.shared.bus.ReplayRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The recent past of one channel on its Channel server: the last {@code maxEvents} released events, none older
 * than {@code maxAgeMillis}. A reconnecting client that says what it last saw (sequence number and epoch) gets
 * exactly what it missed from here, or is told plainly that the window no longer covers it.
 *
 * <p>Plain logic driven by one event loop. Not thread-safe.
 */
public final class ChannelWindow {
  private record Entry(ChannelEvent event, long releasedAt) {}

  private final int maxEvents;
  private final long maxAgeMillis;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  /** The highest sequence number released here; 0 before the first. */
  private long lastSeq;
  /** Everything at or below this has left the window (or was never here). */
  private long forgottenThrough = -1;
  /**
   * Sequence numbers above {@link #forgottenThrough} that were never released here: the sequencer skipped them (an
   * event lost on its way, or late). A replay across one would be silently incomplete, so it is answered as a gap
   * instead; a late event that turns up fills its hole.
   */
  private final TreeSet<Long> holes = new TreeSet<>();

  public ChannelWindow(int maxEvents, long maxAgeMillis) {
    this.maxEvents = maxEvents;
    this.maxAgeMillis = maxAgeMillis;
  }

  public void append(ChannelEvent event, long nowMillis) {
    if (forgottenThrough < 0) {
      // The first event this server releases: nothing before it is known here.
      forgottenThrough = event.seq() - 1;
    }
    if (event.seq() > lastSeq + 1 && lastSeq > forgottenThrough) {
      // Bounded: a hole wider than the window is remembered by its last maxEvents numbers, enough to answer "gap".
      for (long missing = Math.max(lastSeq + 1, event.seq() - maxEvents); missing < event.seq(); missing++) {
        holes.add(missing);
      }
    } else if (event.seq() <= lastSeq) {
      holes.remove(event.seq());
    }
    entries.addLast(new Entry(event, nowMillis));
    lastSeq = Math.max(lastSeq, event.seq());
    trim(nowMillis);
  }

  /**
   * The events after {@code afterSeq}, in the order they were released, or why they cannot be had. With
   * {@link ReplayRequest#ANY_EPOCH} (a Gateway replaying a conversation from the seq a user joined it at) a seq not
   * released yet is no error: the asker subscribed first, so whatever comes after reaches it live.
   */
  public ReplayReply since(long afterSeq, long epoch, long currentEpoch, long nowMillis) {
    trim(nowMillis);
    if (epoch == ReplayRequest.ANY_EPOCH) {
      if (afterSeq >= lastSeq) {
        return new ReplayReply(ReplayReply.RECOVERED, currentEpoch, lastSeq, List.of());
      }
    } else if (epoch != currentEpoch || afterSeq > lastSeq) {
      return new ReplayReply(ReplayReply.EPOCH_CHANGED, currentEpoch, lastSeq, List.of());
    }
    if (afterSeq < forgottenThrough || holes.higher(afterSeq) != null) {
      return new ReplayReply(ReplayReply.GAP, currentEpoch, lastSeq, List.of());
    }
    List<ChannelEvent> missed = new ArrayList<>();
    for (Entry entry : entries) {
      if (entry.event().seq() > afterSeq) {
        missed.add(entry.event());
      }
    }
    return new ReplayReply(ReplayReply.RECOVERED, currentEpoch, lastSeq, missed);
  }

  /** Drops what has aged out; true when nothing is left (an idle channel then costs no memory). */
  public boolean expire(long nowMillis) {
    trim(nowMillis);
    return entries.isEmpty();
  }

  public long lastSeq() {
    return lastSeq;
  }

  public int size() {
    return entries.size();
  }

  private void trim(long nowMillis) {
    while (!entries.isEmpty()
        && (entries.size() > maxEvents || nowMillis - entries.peekFirst().releasedAt() > maxAgeMillis)) {
      forgottenThrough = Math.max(forgottenThrough, entries.removeFirst().event().seq());
    }
    while (!holes.isEmpty() && holes.first() <= forgottenThrough) {
      holes.pollFirst();
    }
  }
}
