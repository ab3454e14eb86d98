package dev.herald.shared.bus;

/** A Gateway asks a channel's Channel server for the events after {@code afterSeq} in {@code epoch}. */
public record ReplayRequest(String channelId, long afterSeq, long epoch) implements BusMessage {
  /**
   * "Whatever the epoch": a Gateway that starts receiving a conversation a user just joined knows the seq the join
   * took but not the Channel server's epoch. Channel servers never pick 0 as an epoch.
   */
  public static final long ANY_EPOCH = 0;

  @Override
  public void writeTo(Wire.Writer out) {
    out.string(channelId).longValue(afterSeq).longValue(epoch);
  }

  public static ReplayRequest readFrom(Wire.Reader in) {
    return new ReplayRequest(in.string(), in.longValue(), in.longValue());
  }
}
