package dev.herald.storage;

/**
 * The editable part of a user ({@code users.profile.*}). {@code statusExpiration} is in seconds, as Slack gives it;
 * {@code updated} in microseconds.
 */
public record Profile(
    String userId,
    String realName,
    String displayName,
    String firstName,
    String lastName,
    String title,
    String phone,
    String email,
    String statusText,
    String statusEmoji,
    long statusExpiration,
    long updated) {}
