package dev.herald.storage;

/** Where an event falls in its channel's stream: its sequence number and the time (microseconds) it was given. */
public record Position(long seq, long ts) {}
