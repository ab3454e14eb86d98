package dev.herald.loadtest;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Every message the load generator posts, by id (0, 1, 2... in the order sent): how many sockets should receive it
 * and how many distinct sockets did. Loss, extras and completeness are read from here; duplicates are caught per
 * socket before they reach the book. Grows in chunks, bounded at {@link #CAPACITY} messages.
 */
public final class MessageBook {
  private static final int SHIFT = 16;
  private static final int CHUNK = 1 << SHIFT;
  private static final int CHUNKS = 1024;
  public static final int CAPACITY = CHUNK * CHUNKS;

  private final AtomicReferenceArray<AtomicIntegerArray> expected = new AtomicReferenceArray<>(CHUNKS);
  private final AtomicReferenceArray<AtomicIntegerArray> received = new AtomicReferenceArray<>(CHUNKS);
  private final AtomicInteger next = new AtomicInteger();

  /** Takes the next id for a message that {@code recipients} sockets should receive. */
  public int issue(int recipients) {
    int id = next.getAndIncrement();
    if (id >= CAPACITY) {
      throw new IllegalStateException("more than " + CAPACITY + " messages in one run");
    }
    chunk(expected, id).set(id & (CHUNK - 1), recipients);
    chunk(received, id);
    return id;
  }

  /** Ids below this have been issued. */
  public int issued() {
    return next.get();
  }

  /** Counts one distinct socket's receipt; false if the id was never issued (a corrupt or foreign frame). */
  public boolean delivered(int id) {
    if (id < 0 || id >= next.get()) {
      return false;
    }
    received.get(id >>> SHIFT).incrementAndGet(id & (CHUNK - 1));
    return true;
  }

  /** Sums over ids {@code [from, to)}. */
  public Tally tally(int from, int to) {
    long exp = 0;
    long got = 0;
    long lost = 0;
    long extra = 0;
    for (int id = from; id < to; id++) {
      int e = expected.get(id >>> SHIFT).get(id & (CHUNK - 1));
      int r = received.get(id >>> SHIFT).get(id & (CHUNK - 1));
      exp += e;
      got += Math.min(e, r);
      lost += Math.max(0, e - r);
      extra += Math.max(0, r - e);
    }
    return new Tally(to - from, exp, got, lost, extra);
  }

  /**
   * @param messages ids in the range
   * @param expected deliveries owed: each message times its channel's sockets
   * @param received distinct sockets reached, at most the expected per message
   * @param lost owed but not received
   * @param extra received by more sockets than should have been (a leak across channels)
   */
  public record Tally(long messages, long expected, long received, long lost, long extra) {}

  private static AtomicIntegerArray chunk(AtomicReferenceArray<AtomicIntegerArray> chunks, int id) {
    int index = id >>> SHIFT;
    AtomicIntegerArray chunk = chunks.get(index);
    if (chunk == null) {
      chunks.compareAndSet(index, null, new AtomicIntegerArray(CHUNK));
      chunk = chunks.get(index);
    }
    return chunk;
  }
}
