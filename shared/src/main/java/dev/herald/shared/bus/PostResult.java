package dev.herald.shared.bus;

/** The Webapp's acknowledgement of an {@link RtmPost}: the message is durable with this {@code ts}. */
public record PostResult(String channelId, String ts, String text) implements BusMessage {
  @Override
  public void writeTo(Wire.Writer out) {
    out.string(channelId).string(ts).string(text);
  }

  public static PostResult readFrom(Wire.Reader in) {
    return new PostResult(in.string(), in.string(), in.string());
  }
}
