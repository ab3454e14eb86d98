package dev.herald.admin;

import dev.herald.shared.bus.RingMember;
import dev.herald.shared.bus.RingSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who is on the Channel server ring, each with the cluster node hosting it. Versions are not kept here: the ring
 * manager numbers each published membership from a cluster-wide counter. Not thread-safe.
 */
public final class RingMembership {
  /** Ring node id → cluster node id of its JVM. */
  private final TreeMap<String, String> members = new TreeMap<>();

  /** Adds a Channel server; returns true if that changed the ring. */
  public boolean join(RingMember member) {
    return !member.clusterNodeId().equals(members.put(member.nodeId(), member.clusterNodeId()));
  }

  /** Removes a Channel server; returns true if that changed the ring. */
  public boolean leave(String nodeId) {
    return members.remove(nodeId) != null;
  }

  /**
   * Keeps only the Channel servers whose JVM is still in the cluster; returns those removed. Members that are not
   * clustered (empty cluster node id) are never removed this way.
   */
  public List<String> retainClusterNodes(Collection<String> liveClusterNodes) {
    List<String> removed = new ArrayList<>();
    for (var it = members.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, String> member = it.next();
      if (!member.getValue().isEmpty() && !liveClusterNodes.contains(member.getValue())) {
        removed.add(member.getKey());
        it.remove();
      }
    }
    return removed;
  }

  /** The ring node ids, sorted. */
  public List<String> nodes() {
    return List.copyOf(members.keySet());
  }

  /** This membership as ring version {@code version}. */
  public RingSnapshot snapshot(long version) {
    return new RingSnapshot(version, nodes(), List.copyOf(members.values()));
  }

  /** Adds every member of {@code ring} (a ring published by an earlier manager). */
  public void restore(RingSnapshot ring) {
    for (int i = 0; i < ring.nodes().size(); i++) {
      members.put(ring.nodes().get(i), ring.clusterNodes().get(i));
    }
  }
}
