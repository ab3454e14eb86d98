package dev.herald.storage;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the Webapp persists. Every method answers on the caller's context; a write's future completes only
 * after the write is committed. Failures the client should see are {@link dev.herald.shared.HeraldException}s
 * ({@code name_taken}, {@code channel_not_found}).
 *
 * <p>Two implementations share one SQL text: the embedded database (SQLite, a file under the data directory) and
 * PostgreSQL. See {@link SqlStorage}.
 */
public interface Storage {

  /** The team new users join; created on first start. */
  Future<Team> defaultTeam();

  Future<Team> team(String id);

  /** Creates a team (and its stream). Fails with {@code domain_taken} or {@code name_taken_in_org}. */
  Future<Team> createTeam(String name, String domain);

  /**
   * Creates a user with one token (given as its hash). The first user of a team becomes its owner. Fails with
   * {@code name_taken}.
   */
  Future<User> createUser(String teamId, String name, String realName, boolean isBot, String tokenHash);

  /** A user to create: what {@code users.register} takes, with the token already hashed. */
  record NewUser(String name, String realName, boolean isBot, String tokenHash) {}

  /**
   * Creates users in one transaction, all or none, in the order given (the bulk path of {@code users.register}).
   * Fails with {@code name_taken} if any name is taken or repeated.
   */
  Future<List<User>> createUsers(String teamId, List<NewUser> users);

  /** The user a token (hash) belongs to, or null. */
  Future<User> userByTokenHash(String tokenHash);

  /** The user, or null. */
  Future<User> user(String id);

  /** Forgets a token (given as its hash); true if it existed. */
  Future<Boolean> revokeToken(String tokenHash);

  /** Creates a conversation with its creator as first member. Fails with {@code name_taken}. */
  Future<Conversation> createConversation(String teamId, String name, boolean isPrivate, String creator);

  /** The conversation, or null. */
  Future<Conversation> conversation(String id);

  /** A conversation as one user finds it: whether they are a member, read with it in one query. */
  record Seen(Conversation conversation, boolean member) {}

  /** The conversation and whether {@code userId} is a member of it, or null if there is no such conversation. */
  Future<Seen> conversationSeenBy(String id, String userId);

  /**
   * Conversations of a team visible to {@code viewerId} (public ones, and private ones the viewer is in), ordered by
   * id, starting after {@code afterId} (null for the first page).
   */
  Future<List<Conversation>> conversations(
      String teamId, String viewerId, boolean excludeArchived, String afterId, int limit);

  /** Ids of the conversations the user is a member of. */
  Future<List<String>> conversationIdsOf(String userId);

  Future<Boolean> isMember(String conversationId, String userId);

  /** Adds a member; true if they were not one already. */
  Future<Boolean> addMember(String conversationId, String userId);

  /** Removes a member; true if they were one. */
  Future<Boolean> removeMember(String conversationId, String userId);

  /** Member ids ordered by id, after {@code afterUserId} (null for the first page). */
  Future<List<String>> members(String conversationId, String afterUserId, int limit);

  Future<Integer> memberCount(String conversationId);

  /**
   * Stores a message, giving it the channel's next sequence number and a ts unique and increasing within the
   * channel, in one transaction. Fails with {@code channel_not_found} if the channel has no stream.
   */
  Future<Message> postMessage(String channelId, String userId, String subtype, String text, Long threadTs,
      JsonObject extra);

  /** A message and the conversation it was posted in, as the post's access check read it. */
  record PostedIn(Conversation conversation, Message message) {}

  /**
   * Checks and posts in one transaction (one trip to the database): reads the conversation as {@code userId} sees
   * it ({@link #conversationSeenBy}; null if there is none), hands that to {@code admit}, which returns the
   * conversation or throws to refuse (the future fails with what it threw), then stores the message as
   * {@link #postMessage} does, not in a thread. {@code admit} runs wherever the read ran: it must not block or call
   * out.
   */
  Future<PostedIn> postMessageIfAdmitted(String channelId, String userId, String subtype, String text,
      JsonObject extra, java.util.function.Function<Seen, Conversation> admit);

  /**
   * Messages with {@code oldest < ts < latest} (bounds included when {@code inclusive}), the {@code limit} newest of
   * them, newest first. Thread replies are left out unless broadcast to the channel, as in Slack's history.
   */
  Future<List<Message>> history(String channelId, long latest, long oldest, boolean inclusive, int limit);

  /** Takes the next position in a channel's stream for an event that is not a message (a join, a rename...). */
  Future<Position> nextPosition(String channelId);

  /** Takes the next {@code count} positions of a channel's stream at once, in order. */
  Future<List<Position>> nextPositions(String channelId, int count);

  // ---- the rest of the Web API (conversations.*, chat.*, reactions.*, pins.*, bookmarks.*, users.*) ----

  /** Users of a team ordered by id, after {@code afterId} (null for the first page). */
  Future<List<User>> users(String teamId, String afterId, int limit);

  /** Profiles of the given users (missing ids are left out), keyed by user id. */
  Future<Map<String, Profile>> profiles(Collection<String> userIds);

  /** Stores a user's profile (every field as given) and returns it; {@code real_name} is the user's too. */
  Future<Profile> updateProfile(Profile profile);

  /**
   * The DM or group DM of exactly these members, created (members included) if there is none yet.
   * {@code members} must be sorted; the result says whether it was created now.
   */
  Future<Opened> openDirect(String teamId, String kind, List<String> members, String creator);

  record Opened(Conversation conversation, boolean created) {}

  /**
   * Conversations of {@code kinds} in a team that {@code viewerId} may see (public channels, and the others they
   * are in), ordered by id after {@code afterId}. With {@code memberId}, only those {@code memberId} is in.
   */
  Future<List<Conversation>> conversations(String teamId, String viewerId, String memberId, Set<String> kinds,
      boolean excludeArchived, String afterId, int limit);

  /** Renames; fails with {@code name_taken}. */
  Future<Void> renameConversation(String id, String name);

  /** Archives or unarchives; false if it already was. */
  Future<Boolean> setArchived(String id, boolean archived);

  Future<Void> setTopic(String id, String topic, String userId, long at);

  Future<Void> setPurpose(String id, String purpose, String userId, long at);

  /** The member's read marker, or null if they are not a member. */
  Future<Long> lastRead(String conversationId, String userId);

  Future<Boolean> markRead(String conversationId, String userId, long ts);

  /** The message, or null. */
  Future<Message> message(String channelId, long ts);

  /** Messages with {@code oldest < ts < latest} (bounds included when inclusive), the oldest first. */
  Future<List<Message>> historyAscending(String channelId, long oldest, long latest, boolean inclusive, int limit);

  /** Replies in a thread (not the parent) between the bounds, oldest first. */
  Future<List<Message>> replies(String channelId, long threadTs, long oldest, long latest, boolean inclusive,
      int limit);

  /** Up to {@code limit} distinct users who replied in a thread, first repliers first. */
  Future<List<String>> replyUsers(String channelId, long threadTs, int limit);

  Future<Integer> replyUserCount(String channelId, long threadTs);

  /** Replaces a message's text and extra fields, taking a stream position; null if there is no such message. */
  Future<Change> updateMessage(String channelId, long ts, String text, JsonObject extra, String editedBy);

  /** Deletes a message, its reactions and pin, taking a stream position; null if there is no such message. */
  Future<Change> deleteMessage(String channelId, long ts);

  /** True if added, false if the user had already reacted so. */
  Future<Boolean> addReaction(String channelId, long ts, String name, String userId);

  Future<Boolean> removeReaction(String channelId, long ts, String name, String userId);

  /** Reactions on each of the messages, in the order each emoji was first used. */
  Future<Map<Long, List<Reaction>>> reactions(String channelId, Collection<Long> ts);

  /** Messages a user reacted to, newest reaction first, before position {@code before} (null: from the newest). */
  Future<List<ReactedItem>> reactedItems(String userId, ReactedItem before, int limit);

  /** True if pinned now, false if it already was. */
  Future<Boolean> addPin(String channelId, long ts, String userId);

  Future<Boolean> removePin(String channelId, long ts);

  /** Pins of a channel, the newest first. */
  Future<List<Pin>> pins(String channelId);

  Future<Void> addBookmark(Bookmark bookmark);

  /** The bookmark, or null. */
  Future<Bookmark> bookmark(String channelId, String id);

  Future<Void> updateBookmark(Bookmark bookmark);

  Future<Boolean> removeBookmark(String channelId, String id);

  /** Bookmarks of a channel, the oldest first. */
  Future<List<Bookmark>> bookmarks(String channelId);

  Future<Void> close();
}
