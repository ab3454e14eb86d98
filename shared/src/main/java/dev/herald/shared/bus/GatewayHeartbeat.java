package dev.herald.shared.bus;

/** A Gateway is alive; its sessions stay online at the presence servers. */
public record GatewayHeartbeat(String gatewayId) implements BusMessage {
  @Override
  public void writeTo(Wire.Writer out) {
    out.string(gatewayId);
  }

  public static GatewayHeartbeat readFrom(Wire.Reader in) {
    return new GatewayHeartbeat(in.string());
  }
}
