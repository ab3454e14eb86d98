package dev.herald.shared.bus;

/** A Gateway asks a channel's Channel server for the events after {@code afterSeq} in {@code epoch}. */
public record ReplayRequest(String channelId, long afterSeq, long epoch) implements BusMessage {
  @Override
  public void writeTo(Wire.Writer out) {
    out.string(channelId).longValue(afterSeq).longValue(epoch);
  }

  public static ReplayRequest readFrom(Wire.Reader in) {
    return new ReplayRequest(in.string(), in.longValue(), in.longValue());
  }
}
