package dev.herald.channel;

import dev.herald.shared.bus.ChannelEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The events a Channel server sent out in the last few seconds, per channel, with the Gateways each went to. When a
 * ring change moves a channel here, the Admin servers may route its events here before every Gateway has moved
 * over; a Gateway that arrives late gets those events replayed, each once, in order. Not thread-safe.
 */
public final class RecentEvents {
  /** Bounds memory on a busy channel; a Gateway is never that many events late. */
  static final int MAX_PER_CHANNEL = 512;

  private record Sent(ChannelEvent event, List<String> gateways, long atMillis) {}

  private final long keepMillis;
  private final Map<String, ArrayDeque<Sent>> byChannel = new HashMap<>();

  public RecentEvents(long keepMillis) {
    this.keepMillis = keepMillis;
  }

  /** Records an event fanned out to {@code gateways} (a copy is kept). */
  public void sent(ChannelEvent event, List<String> gateways, long nowMillis) {
    if (keepMillis <= 0) {
      return;
    }
    ArrayDeque<Sent> recent = byChannel.computeIfAbsent(event.channelId(), k -> new ArrayDeque<>());
    if (recent.size() >= MAX_PER_CHANNEL) {
      recent.pollFirst();
    }
    recent.addLast(new Sent(event, List.copyOf(gateways), nowMillis));
  }

  /** The channel's recent events that did not go to {@code gatewayId}, oldest first. */
  public List<ChannelEvent> missedBy(String channelId, String gatewayId, long nowMillis) {
    ArrayDeque<Sent> recent = byChannel.get(channelId);
    if (recent == null) {
      return List.of();
    }
    List<ChannelEvent> missed = new ArrayList<>();
    for (Sent sent : recent) {
      if (nowMillis - sent.atMillis() <= keepMillis && !sent.gateways().contains(gatewayId)) {
        missed.add(sent.event());
      }
    }
    return missed;
  }

  /** Forgets events older than the window. */
  public void purge(long nowMillis) {
    for (Iterator<ArrayDeque<Sent>> it = byChannel.values().iterator(); it.hasNext(); ) {
      ArrayDeque<Sent> recent = it.next();
      while (!recent.isEmpty() && nowMillis - recent.peekFirst().atMillis() > keepMillis) {
        recent.pollFirst();
      }
      if (recent.isEmpty()) {
        it.remove();
      }
    }
  }

  /** How many events are held, for tests. */
  int size() {
    return byChannel.values().stream().mapToInt(ArrayDeque::size).sum();
  }
}
