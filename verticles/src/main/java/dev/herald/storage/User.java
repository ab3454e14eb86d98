package dev.herald.storage;

public record User(String id, String teamId, String name, String realName, boolean isBot, long created) {}
