package dev.herald.shared.ring;

import dev.herald.shared.bus.RingSnapshot;
import java.util.List;

/**
 * The newest ring version a node has seen. Snapshots may arrive out of order (a reply to a request racing a
 * broadcast); only a newer version replaces the current one.
 */
public final class RingView {
  private final int virtualNodes;
  private volatile long version = -1;
  private volatile HashRing ring = HashRing.of(List.of());

  public RingView(int virtualNodes) {
    this.virtualNodes = virtualNodes;
  }

  /** Adopts {@code snapshot} if it is newer; returns the ring it replaced, or null if it was not newer. */
  public synchronized HashRing offer(RingSnapshot snapshot) {
    if (snapshot.version() <= version) {
      return null;
    }
    HashRing previous = ring;
    ring = HashRing.of(snapshot.nodes(), virtualNodes);
    version = snapshot.version();
    return previous;
  }

  public HashRing ring() {
    return ring;
  }

  public long version() {
    return version;
  }

  /** The Channel server owning {@code channelId}, or null while no Channel server is known. */
  public String ownerOf(String channelId) {
    return ring.ownerOf(channelId);
  }
}
