package dev.herald.storage;

import java.util.List;

/** One emoji on one message: who reacted with it, in the order they did. */
public record Reaction(String name, List<String> users) {}
