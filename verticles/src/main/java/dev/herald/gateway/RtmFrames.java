package dev.herald.gateway;

import dev.herald.shared.ErrorCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** The frames the Gateway itself writes (everything else is an event's bytes as they arrived). */
public final class RtmFrames {
  private RtmFrames() {}

  /**
   * Every frame type a client may send, as {@code GatewayVerticle.onFrame} dispatches them (anything else is
   * {@code unknown_type}). The access-control suite drives its RTM cases from this list, so keep the two in step.
   */
  public static final java.util.Set<String> CLIENT_TYPES = java.util.Set.of("ping", "message", "presence_sub", "typing");

  public static final Buffer HELLO = new JsonObject().put("type", "hello").toBuffer();

  public static final Buffer GOODBYE = new JsonObject().put("type", "goodbye").toBuffer();

  /** Slack's answer to an expired, used or unknown socket URL. */
  public static final Buffer URL_EXPIRED = new JsonObject().put("type", "error")
      .put("error", new JsonObject().put("code", 1).put("msg", "Socket URL has expired")).toBuffer();

  /**
   * Slack's {@code channel_history_changed}, which makes clients reload the channel's history: sent when a resume
   * cannot replay what was missed ({@code reason}: {@code gap}, {@code epoch_changed}, {@code unavailable}), with the
   * position to resume from next time.
   */
  public static Buffer historyChanged(String channelId, String reason, long seq, long epoch) {
    String now = dev.herald.shared.protocol.SlackTs.format(dev.herald.shared.protocol.SlackTs.nowMicros());
    return new JsonObject().put("type", "channel_history_changed").put("channel", channelId).put("reason", reason)
        .put("latest", now).put("ts", now).put("event_ts", now)
        .put("seq", seq).put("epoch", dev.herald.shared.protocol.EventFrames.epochText(epoch)).toBuffer();
  }

  /** {@code pong} echoing the ping's other fields, as Slack does. */
  public static Buffer pong(JsonObject ping) {
    JsonObject pong = ping.copy();
    pong.remove("id");
    pong.put("type", "pong");
    pong.put("reply_to", ping.getValue("id"));
    return pong.toBuffer();
  }

  public static Buffer ok(Object replyTo, String ts, String text) {
    return new JsonObject().put("ok", true).put("reply_to", replyTo).put("ts", ts).put("text", text).toBuffer();
  }

  /** An error reply to frame {@code replyTo}, or a bare error event when the frame had no usable id. */
  public static Buffer error(Object replyTo, ErrorCode code, String detail) {
    JsonObject error = new JsonObject().put("code", code.rtmCode).put("msg", detail == null ? code.rtmMessage : detail);
    if (replyTo == null) {
      return new JsonObject().put("type", "error").put("error", error).toBuffer();
    }
    return new JsonObject().put("ok", false).put("reply_to", replyTo).put("error", error).toBuffer();
  }
}
