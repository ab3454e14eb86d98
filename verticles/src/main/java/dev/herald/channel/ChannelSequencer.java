package dev.herald.channel;

import dev.herald.shared.bus.ChannelEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Puts one channel's persisted events back into sequence order. Storage gives every event of a channel a dense
 * sequence number (1, 2, 3...) in commit order, but Webapps hand events off concurrently, so they can arrive out of
 * order. An event that arrives early waits until the ones before it arrive, or until {@code holdMillis} have passed
 * (a Webapp died between commit and hand-off); then the gap is skipped so the channel never stalls. An event that
 * turns up after its gap was skipped is still delivered, late, rather than lost.
 *
 * <p>Plain logic, one instance per channel, driven by its Channel server's event loop. Not thread-safe.
 */
public final class ChannelSequencer {
  private static final int MAX_REMEMBERED_GAPS = 1024;

  private final long holdMillis;
  /** The first sequence number this server saw; anything older was the business of an earlier owner. */
  private long baseline;
  /** The sequence number expected next; 0 until the first event is seen. */
  private long next;
  private final TreeMap<Long, ChannelEvent> early = new TreeMap<>();
  private final TreeSet<Long> skipped = new TreeSet<>();
  private long waitingSince = -1;

  public ChannelSequencer(long holdMillis) {
    this.holdMillis = holdMillis;
  }

  /** Accepts an arrival; returns the events now ready, in order (possibly none). */
  public List<ChannelEvent> accept(ChannelEvent event, long nowMillis) {
    long seq = event.seq();
    if (next == 0) {
      baseline = seq;
      next = seq;
    }
    if (seq < next) {
      // Late: deliver it once if its slot was skipped or predates us; anything else is a duplicate.
      return skipped.remove(seq) || seq < baseline ? List.of(event) : List.of();
    }
    if (seq > next) {
      if (early.putIfAbsent(seq, event) == null && waitingSince < 0) {
        waitingSince = nowMillis;
      }
      return List.of();
    }
    List<ChannelEvent> ready = new ArrayList<>(1 + early.size());
    ready.add(event);
    next = seq + 1;
    drainContiguous(ready, nowMillis);
    return ready;
  }

  /** Releases early events whose wait has run out, skipping the gap before them. */
  public List<ChannelEvent> expire(long nowMillis) {
    if (early.isEmpty() || nowMillis - waitingSince < holdMillis) {
      return List.of();
    }
    long resumeAt = early.firstKey();
    for (long gap = next; gap < resumeAt; gap++) {
      skipped.add(gap);
      if (skipped.size() > MAX_REMEMBERED_GAPS) {
        skipped.pollFirst();
      }
    }
    next = resumeAt;
    List<ChannelEvent> ready = new ArrayList<>(early.size());
    drainContiguous(ready, nowMillis);
    return ready;
  }

  public boolean isWaiting() {
    return !early.isEmpty();
  }

  /** The last sequence number released in order, 0 if none. */
  public long lastReleased() {
    return next == 0 ? 0 : next - 1;
  }

  private void drainContiguous(List<ChannelEvent> ready, long nowMillis) {
    ChannelEvent following;
    while ((following = early.remove(next)) != null) {
      ready.add(following);
      next++;
    }
    waitingSince = early.isEmpty() ? -1 : nowMillis;
  }
}
