package dev.herald.shared.ring;

import dev.herald.shared.bus.RingSnapshot;
import java.util.List;

/**
 * The newest ring version a node has seen. Snapshots may arrive out of order (a reply to a request racing a
 * broadcast); only a newer version replaces the current one.
 *
 * <p>One membership carries both rings: Channel servers ({@code cs-} node ids) and presence servers ({@code ps-});
 * a view keeps the ring of one kind.
 */
public final class RingView {
  public static final String CHANNEL_PREFIX = "cs-";
  public static final String PRESENCE_PREFIX = "ps-";

  private final int virtualNodes;
  private final String prefix;
  private volatile long version = -1;
  private volatile HashRing ring = HashRing.of(List.of());

  private RingView(int virtualNodes, String prefix) {
    this.virtualNodes = virtualNodes;
    this.prefix = prefix;
  }

  /** The ring of Channel servers, which own channels. */
  public static RingView channels(int virtualNodes) {
    return new RingView(virtualNodes, CHANNEL_PREFIX);
  }

  /** The ring of presence servers, which own users' presence. */
  public static RingView presence(int virtualNodes) {
    return new RingView(virtualNodes, PRESENCE_PREFIX);
  }

  /** Adopts {@code snapshot} if it is newer; returns the ring it replaced, or null if it was not newer. */
  public synchronized HashRing offer(RingSnapshot snapshot) {
    if (snapshot.version() <= version) {
      return null;
    }
    HashRing previous = ring;
    ring = HashRing.of(snapshot.nodes().stream().filter(node -> node.startsWith(prefix)).toList(), virtualNodes);
    version = snapshot.version();
    return previous;
  }

  public HashRing ring() {
    return ring;
  }

  public long version() {
    return version;
  }

  /** The server owning {@code key} (a channel id, or a user id on the presence ring), or null if none is known. */
  public String ownerOf(String key) {
    return ring.ownerOf(key);
  }
}
