package dev.herald.storage;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Everything the Webapp persists. Every method answers on the caller's context; a write's future completes only
 * after the write is committed. Failures the client should see are {@link dev.herald.shared.HeraldException}s
 * ({@code name_taken}, {@code channel_not_found}).
 *
 * <p>Two implementations share one SQL text: the embedded database (H2, a file under the data directory) and
 * PostgreSQL. See {@link SqlStorage}.
 */
public interface Storage {

  /** The team new users join; created on first start. */
  Future<Team> defaultTeam();

  Future<Team> team(String id);

  /** Creates a user with one token (given as its hash). Fails with {@code name_taken}. */
  Future<User> createUser(String teamId, String name, String realName, boolean isBot, String tokenHash);

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

  /**
   * Messages with {@code oldest < ts < latest} (bounds included when {@code inclusive}), the {@code limit} newest of
   * them, newest first.
   */
  Future<List<Message>> history(String channelId, long latest, long oldest, boolean inclusive, int limit);

  /** Takes the next position in a channel's stream for an event that is not a message (a join, a rename...). */
  Future<Position> nextPosition(String channelId);

  Future<Void> close();
}
