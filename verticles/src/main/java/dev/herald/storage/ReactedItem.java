package dev.herald.storage;

/** A message a user reacted to ({@code reactions.list}), with when they first did. */
public record ReactedItem(String channelId, long ts, long reactedAt) {}
