package dev.herald.shared.bus;

import java.util.List;

/** A Gateway asks a Channel server to start ({@code subscribe}) or stop sending it these channels' events. */
public record SubscribeRequest(String gatewayId, List<String> channelIds, boolean subscribe) implements BusMessage {
  @Override
  public void writeTo(Wire.Writer out) {
    out.string(gatewayId).strings(channelIds).bool(subscribe);
  }

  public static SubscribeRequest readFrom(Wire.Reader in) {
    return new SubscribeRequest(in.string(), in.strings(), in.bool());
  }
}
