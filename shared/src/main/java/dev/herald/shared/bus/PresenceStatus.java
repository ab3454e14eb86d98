package dev.herald.shared.bus;

/** A user's presence as {@code users.getPresence} reports it. */
public record PresenceStatus(String presence, boolean online, boolean manualAway, int connectionCount,
    long lastActivitySeconds) implements BusMessage {
  @Override
  public void writeTo(Wire.Writer out) {
    out.string(presence).bool(online).bool(manualAway).intValue(connectionCount).longValue(lastActivitySeconds);
  }

  public static PresenceStatus readFrom(Wire.Reader in) {
    return new PresenceStatus(in.string(), in.bool(), in.bool(), in.intValue(), in.longValue());
  }
}
