package dev.herald.storage;

/** A user; {@code isOwner} for the first user of their team, its owner (the default team's owner may create teams). */
public record User(String id, String teamId, String name, String realName, boolean isBot, long created,
    boolean isOwner) {}
