package dev.herald.shared.bus;

/** A Gateway tells the Webapps a user's socket opened (after {@code hello}) or closed: what presence counts. */
public record ConnectionStatus(String connectionId, String userId, String gatewayId, boolean open)
    implements BusMessage {
  @Override
  public void writeTo(Wire.Writer out) {
    out.string(connectionId).string(userId).string(gatewayId).bool(open);
  }

  public static ConnectionStatus readFrom(Wire.Reader in) {
    return new ConnectionStatus(in.string(), in.string(), in.string(), in.bool());
  }
}
