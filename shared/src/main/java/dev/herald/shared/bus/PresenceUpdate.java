package dev.herald.shared.bus;

/** A change a presence server must know about: a socket opened or closed, or a user set their presence. */
public record PresenceUpdate(String op, String userId, String teamId, String gatewayId, String connectionId)
    implements BusMessage {
  public static final String CONNECTED = "connected";
  public static final String DISCONNECTED = "disconnected";
  public static final String SET_AWAY = "away";
  public static final String SET_AUTO = "auto";

  @Override
  public void writeTo(Wire.Writer out) {
    out.string(op).string(userId).string(teamId).string(gatewayId).string(connectionId);
  }

  public static PresenceUpdate readFrom(Wire.Reader in) {
    return new PresenceUpdate(in.string(), in.string(), in.string(), in.string(), in.string());
  }
}
