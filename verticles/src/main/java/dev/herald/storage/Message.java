package dev.herald.storage;

import io.vertx.core.json.JsonObject;

/**
 * A stored message. {@code ts} is microseconds (unique and increasing per channel); {@code seq} is the channel's
 * event sequence number the post was given; {@code extra} holds Slack fields kept verbatim (blocks, attachments).
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
    String editedBy) {}
