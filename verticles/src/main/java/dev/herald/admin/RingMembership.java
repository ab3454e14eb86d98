package dev.herald.admin;

import dev.herald.shared.bus.RingSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Who is on the Channel server ring, and its version: every change bumps the version. Not thread-safe. */
public final class RingMembership {
  private final TreeSet<String> nodes = new TreeSet<>();
  private long version;

  /** Adds a node; returns true if that changed the ring. */
  public boolean join(String nodeId) {
    if (nodes.add(nodeId)) {
      version++;
      return true;
    }
    return false;
  }

  /** Removes a node; returns true if that changed the ring. */
  public boolean leave(String nodeId) {
    if (nodes.remove(nodeId)) {
      version++;
      return true;
    }
    return false;
  }

  public RingSnapshot snapshot() {
    return new RingSnapshot(version, List.copyOf(new ArrayList<>(nodes)));
  }
}
