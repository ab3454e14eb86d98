package dev.herald.shared.bus;

/** A Channel server joining or leaving the ring. */
public record RingMember(String nodeId) implements BusMessage {
  @Override
  public void writeTo(Wire.Writer out) {
    out.string(nodeId);
  }

  public static RingMember readFrom(Wire.Reader in) {
    return new RingMember(in.string());
  }
}
