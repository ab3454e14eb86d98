package dev.herald.shared.bus;

import io.vertx.core.buffer.Buffer;

/**
 * One event on one channel (a conversation, a user's own channel or a team's channel), on its way from the Webapp
 * (or a Gateway, for transient events) through a Channel server to the Gateways.
 *
 * @param channelId the channel whose subscribers receive it; its owner on the hash ring routes it
 * @param seq per-channel sequence number, 1, 2, 3... in the order the channel's state changed; 0 for transient events
 * @param epoch identifies the Channel server's history of this channel; changes when that history is lost
 * @param type the Slack event type ({@code message}, {@code channel_joined}, {@code user_typing}, ...)
 * @param userId the user who caused it (a typer does not receive their own typing); may be null
 * @param targetId what a membership event is about: the conversation joined or left by a user; may be null
 * @param targetSeq for a join announced on a user's own channel ({@code channel_joined}, {@code im_created}...): the
 *     joined conversation's sequence number when the membership began, so that a Gateway which only now starts
 *     receiving that conversation replays what followed it; 0 otherwise
 * @param flags {@link #TRANSIENT} and friends
 * @param payload the Slack-shaped JSON the clients receive, encoded once at the edge that created the event
 */
public record ChannelEvent(
    String channelId, long seq, long epoch, String type, String userId, String targetId, long targetSeq, int flags,
    Buffer payload)
    implements BusMessage {

  /** Not persisted, not sequenced, first to be dropped for a slow client. */
  public static final int TRANSIENT = 1;

  public boolean isTransient() {
    return (flags & TRANSIENT) != 0;
  }

  /** The event as released by its Channel server: positioned in its epoch, the client frame stamped with both. */
  public ChannelEvent released(long epoch) {
    return new ChannelEvent(channelId, seq, epoch, type, userId, targetId, targetSeq, flags,
        dev.herald.shared.protocol.EventFrames.stamp(payload, seq, epoch));
  }

  @Override
  public void writeTo(Wire.Writer out) {
    out.string(channelId).longValue(seq).longValue(epoch).string(type).string(userId).string(targetId)
        .longValue(targetSeq).intValue(flags).bytes(payload);
  }

  public static ChannelEvent readFrom(Wire.Reader in) {
    return new ChannelEvent(in.string(), in.longValue(), in.longValue(), in.string(), in.string(), in.string(),
        in.longValue(), in.intValue(), in.bytes());
  }
}
