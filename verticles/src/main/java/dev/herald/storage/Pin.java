package dev.herald.storage;

/** A pinned message. {@code created} in microseconds. */
public record Pin(String channelId, long ts, String pinnedBy, long created) {}
