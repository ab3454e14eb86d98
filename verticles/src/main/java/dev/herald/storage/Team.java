package dev.herald.storage;

public record Team(String id, String name, String domain, long created) {}
