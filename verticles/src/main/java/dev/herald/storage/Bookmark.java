package dev.herald.storage;

/** A channel bookmark (a link in the channel header). Times in microseconds. */
public record Bookmark(
    String id, String channelId, String title, String link, String emoji, String type, long created, long updated,
    String updatedBy) {}
