package dev.herald.storage;

/**
 * A conversation: a public channel, a private one, a DM or a group DM ({@link #kind}). Times are microseconds since
 * the epoch. DMs and group DMs are private: only their members can see them.
 */
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
    long purposeSet,
    String kind) {

  public static final String CHANNEL = "channel";
  public static final String GROUP = "group";
  public static final String IM = "im";
  public static final String MPIM = "mpim";

  /** A public or private channel, its kind following {@code isPrivate}. */
  public Conversation(String id, String teamId, String name, boolean isPrivate, String creator, long created,
      boolean isArchived, String topic, String topicCreator, long topicSet, String purpose, String purposeCreator,
      long purposeSet) {
    this(id, teamId, name, isPrivate, creator, created, isArchived, topic, topicCreator, topicSet, purpose,
        purposeCreator, purposeSet, isPrivate ? GROUP : CHANNEL);
  }

  public boolean isIm() {
    return IM.equals(kind);
  }

  public boolean isMpim() {
    return MPIM.equals(kind);
  }

  /** A DM or group DM: no name of its own, no topic changes, no joining, renaming or archiving. */
  public boolean isDirect() {
    return isIm() || isMpim();
  }

  public Conversation withName(String newName) {
    return new Conversation(id, teamId, newName, isPrivate, creator, created, isArchived, topic, topicCreator,
        topicSet, purpose, purposeCreator, purposeSet, kind);
  }

  public Conversation withArchived(boolean archived) {
    return new Conversation(id, teamId, name, isPrivate, creator, created, archived, topic, topicCreator, topicSet,
        purpose, purposeCreator, purposeSet, kind);
  }

  public Conversation withTopic(String value, String by, long at) {
    return new Conversation(id, teamId, name, isPrivate, creator, created, isArchived, value, by, at, purpose,
        purposeCreator, purposeSet, kind);
  }

  public Conversation withPurpose(String value, String by, long at) {
    return new Conversation(id, teamId, name, isPrivate, creator, created, isArchived, topic, topicCreator, topicSet,
        value, by, at, kind);
  }
}
