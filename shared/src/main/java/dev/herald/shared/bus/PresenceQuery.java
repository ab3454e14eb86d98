package dev.herald.shared.bus;

/** Asks a presence server for one user's presence ({@code users.getPresence}). */
public record PresenceQuery(String userId) implements BusMessage {
  @Override
  public void writeTo(Wire.Writer out) {
    out.string(userId);
  }

  public static PresenceQuery readFrom(Wire.Reader in) {
    return new PresenceQuery(in.string());
  }
}
