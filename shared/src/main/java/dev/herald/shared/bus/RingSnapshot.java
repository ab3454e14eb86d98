package dev.herald.shared.bus;

import java.util.List;

/** One version of the Channel server ring: who is on it. Versions only grow; receivers keep the newest. */
public record RingSnapshot(long version, List<String> nodes) implements BusMessage {
  @Override
  public void writeTo(Wire.Writer out) {
    out.longValue(version).strings(nodes);
  }

  public static RingSnapshot readFrom(Wire.Reader in) {
    return new RingSnapshot(in.longValue(), in.strings());
  }
}
