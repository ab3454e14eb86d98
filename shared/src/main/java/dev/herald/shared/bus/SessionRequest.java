package dev.herald.shared.bus;

/** A Gateway asks the Webapp which channels a connecting user's socket should receive. */
public record SessionRequest(String userId) implements BusMessage {
  @Override
  public void writeTo(Wire.Writer out) {
    out.string(userId);
  }

  public static SessionRequest readFrom(Wire.Reader in) {
    return new SessionRequest(in.string());
  }
}
