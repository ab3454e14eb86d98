package dev.herald.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.shared.bus.RingMember;
import dev.herald.shared.bus.RingSnapshot;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RingMembershipTest {
  @Test
  @DisplayName("joining twice or leaving twice changes the ring only once")
  void idempotentJoinAndLeave() {
    RingMembership ring = new RingMembership();
    assertTrue(ring.join(new RingMember("cs-b", "node-1")));
    assertFalse(ring.join(new RingMember("cs-b", "node-1")));
    assertTrue(ring.join(new RingMember("cs-a", "node-2")));
    assertEquals(List.of("cs-a", "cs-b"), ring.nodes());
    assertTrue(ring.leave("cs-b"));
    assertFalse(ring.leave("cs-b"));
    assertEquals(List.of("cs-a"), ring.nodes());
  }

  @Test
  @DisplayName("a Channel server announcing itself from a new JVM is a change")
  void sameIdFromAnotherJvmIsAChange() {
    RingMembership ring = new RingMembership();
    ring.join(new RingMember("cs-a", "node-1"));
    assertTrue(ring.join(new RingMember("cs-a", "node-2")));
    assertEquals(List.of("cs-a"), ring.retainClusterNodes(Set.of("node-1")));
  }

  @Test
  @DisplayName("every Channel server of a JVM that left the cluster is removed, and only those")
  void departedJvmsAreRemoved() {
    RingMembership ring = new RingMembership();
    ring.join(new RingMember("cs-1-0", "node-1"));
    ring.join(new RingMember("cs-1-1", "node-1"));
    ring.join(new RingMember("cs-2-0", "node-2"));
    ring.join(new RingMember("cs-local", ""));
    assertEquals(List.of("cs-1-0", "cs-1-1"), ring.retainClusterNodes(Set.of("node-2", "node-3")));
    assertEquals(List.of("cs-2-0", "cs-local"), ring.nodes());
    assertEquals(List.of(), ring.retainClusterNodes(Set.of("node-2")));
  }

  @Test
  @DisplayName("a ring published by one manager restores, cluster nodes included, in the next")
  void snapshotRestores() {
    RingMembership first = new RingMembership();
    first.join(new RingMember("cs-b", "node-2"));
    first.join(new RingMember("cs-a", "node-1"));
    RingSnapshot published = first.snapshot(7);
    assertEquals(List.of("cs-a", "cs-b"), published.nodes());
    assertEquals(List.of("node-1", "node-2"), published.clusterNodes());

    RingMembership next = new RingMembership();
    next.restore(published);
    assertEquals(List.of("cs-b"), next.retainClusterNodes(Set.of("node-1")));
    assertEquals(new RingSnapshot(8, List.of("cs-a"), List.of("node-1")), next.snapshot(8));
  }
}
