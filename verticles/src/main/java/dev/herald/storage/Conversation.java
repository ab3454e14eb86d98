package dev.herald.storage;

/** A channel people talk in. Times are microseconds since the epoch. */
public record Conversation(
    String id,
    String teamId,
    String name,
    boolean isPrivate,
    String creator,
    long created,
    boolean isArchived,
    String topic,
    String topicCreator,
    long topicSet,
    String purpose,
    String purposeCreator,
    long purposeSet) {}
