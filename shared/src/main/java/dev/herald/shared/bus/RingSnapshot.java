package dev.herald.shared.bus;

import java.util.Collections;
import java.util.List;

/**
 * One version of the ring: who is on it. Versions only grow; receivers keep the newest.
 *
 * @param clusterNodes for each of {@code nodes}, the cluster node id of its JVM (empty when not clustered): a ring
 *     manager taking over starts from the newest ring it saw and drops the members whose JVM has gone
 */
public record RingSnapshot(long version, List<String> nodes, List<String> clusterNodes) implements BusMessage {
  public RingSnapshot {
    if (clusterNodes.size() != nodes.size()) {
      throw new IllegalArgumentException("one cluster node per ring node");
    }
  }

  /** A ring whose members carry no cluster node. */
  public RingSnapshot(long version, List<String> nodes) {
    this(version, nodes, Collections.nCopies(nodes.size(), ""));
  }

  @Override
  public void writeTo(Wire.Writer out) {
    out.longValue(version).strings(nodes).strings(clusterNodes);
  }

  public static RingSnapshot readFrom(Wire.Reader in) {
    return new RingSnapshot(in.longValue(), in.strings(), in.strings());
  }
}
