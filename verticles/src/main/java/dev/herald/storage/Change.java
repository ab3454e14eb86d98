package dev.herald.storage;

/**
 * A message edited or deleted: the message before, after (null when deleted), and the stream position the change
 * took in the same transaction, so its event is ordered with the channel's messages.
 */
public record Change(Message before, Message after, Position position) {}
