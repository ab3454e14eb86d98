package dev.herald.shared.bus;

import java.util.List;

/**
 * A Gateway asks a Channel server to start ({@code subscribe}) or stop sending it these channels' events.
 *
 * @param handoff the channels moved here on a ring change: the Channel server first replays the recent events it
 *     routed for them while this Gateway was still moving over, so a ring change loses nothing
 */
public record SubscribeRequest(String gatewayId, List<String> channelIds, boolean subscribe, boolean handoff)
    implements BusMessage {

  public SubscribeRequest(String gatewayId, List<String> channelIds, boolean subscribe) {
    this(gatewayId, channelIds, subscribe, false);
  }

  @Override
  public void writeTo(Wire.Writer out) {
    out.string(gatewayId).strings(channelIds).bool(subscribe).bool(handoff);
  }

  public static SubscribeRequest readFrom(Wire.Reader in) {
    return new SubscribeRequest(in.string(), in.strings(), in.bool(), in.bool());
  }
}
