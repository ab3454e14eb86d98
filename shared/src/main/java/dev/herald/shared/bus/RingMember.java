package dev.herald.shared.bus;

/**
 * A Channel server joining or leaving the ring.
 *
 * @param nodeId the Channel server's ring id
 * @param clusterNodeId the Vert.x cluster node id of its JVM (empty when not clustered): when that node leaves the
 *     cluster, the ring manager removes every Channel server it hosted
 */
public record RingMember(String nodeId, String clusterNodeId) implements BusMessage {
  @Override
  public void writeTo(Wire.Writer out) {
    out.string(nodeId).string(clusterNodeId);
  }

  public static RingMember readFrom(Wire.Reader in) {
    return new RingMember(in.string(), in.string());
  }
}
