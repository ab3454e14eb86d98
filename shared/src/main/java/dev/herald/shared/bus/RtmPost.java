package dev.herald.shared.bus;

/** A {@code message} frame a client sent over its websocket, forwarded by its Gateway to the Webapp. */
public record RtmPost(String userId, String channelId, String text) implements BusMessage {
  @Override
  public void writeTo(Wire.Writer out) {
    out.string(userId).string(channelId).string(text);
  }

  public static RtmPost readFrom(Wire.Reader in) {
    return new RtmPost(in.string(), in.string(), in.string());
  }
}
