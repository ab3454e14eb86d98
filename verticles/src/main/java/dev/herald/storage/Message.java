package dev.herald.storage;

import io.vertx.core.json.JsonObject;

/**
 * A stored message. {@code ts} is microseconds (unique and increasing per channel); {@code seq} is the channel's
 * event sequence number the post was given; {@code extra} holds Slack fields kept verbatim (blocks, attachments).
 * A thread reply has {@code threadTs} (its parent's ts); a parent counts its replies.
 */
public record Message(
    String channelId,
    long ts,
    long seq,
    String userId,
    String subtype,
    String text,
    Long threadTs,
    JsonObject extra,
    Long editedTs,
    String editedBy,
    int replyCount,
    Long latestReply) {

  public Message(String channelId, long ts, long seq, String userId, String subtype, String text, Long threadTs,
      JsonObject extra, Long editedTs, String editedBy) {
    this(channelId, ts, seq, userId, subtype, text, threadTs, extra, editedTs, editedBy, 0, null);
  }

  /** A reply in a thread (broadcast or not), as opposed to a parent or a plain message. */
  public boolean isReply() {
    return threadTs != null && threadTs != ts;
  }
}
