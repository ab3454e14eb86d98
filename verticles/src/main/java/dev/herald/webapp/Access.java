package dev.herald.webapp;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.protocol.SlackIds;
import dev.herald.storage.Conversation;
import dev.herald.storage.Storage;
import dev.herald.storage.User;
import io.vertx.core.Future;

/**
 * Who may see and act where, the one place the team and privacy boundaries are drawn. A conversation of another
 * team, or a private one the user is not in, does not exist as far as that user can tell ({@code channel_not_found});
 * a public one they have not joined answers {@code not_in_channel} to reads and posts. A user of another team does
 * not exist either ({@code user_not_found}): the same answer as for an id nobody has, so ids of other teams cannot
 * be probed.
 */
public final class Access {
  private final Storage storage;

  public Access(Storage storage) {
    this.storage = storage;
  }

  /** The conversation if the user may know it exists. */
  public Future<Conversation> visible(User user, String channelId) {
    return seen(user, channelId).map(Storage.Seen::conversation);
  }

  /** The conversation if the user is a member of it. */
  public Future<Conversation> member(User user, String channelId) {
    return seen(user, channelId).compose(seen -> seen.member()
        ? Future.succeededFuture(seen.conversation())
        : Future.failedFuture(new HeraldException(ErrorCode.NOT_IN_CHANNEL)));
  }

  /** The conversation and the user's membership, if the user may know it exists (one read for both). */
  private Future<Storage.Seen> seen(User user, String channelId) {
    if (!SlackIds.looksValid(channelId)) {
      return Future.failedFuture(new HeraldException(ErrorCode.CHANNEL_NOT_FOUND));
    }
    return storage.conversationSeenBy(channelId, user.id()).map(seen -> {
      visible(user, seen);
      return seen;
    });
  }

  /** The conversation of {@code seen} (null: none) if the user may know it exists; throws otherwise. */
  private static Conversation visible(User user, Storage.Seen seen) {
    Conversation c = seen == null ? null : seen.conversation();
    if (c == null || !c.teamId().equals(user.teamId()) || c.isPrivate() && !seen.member()) {
      throw new HeraldException(ErrorCode.CHANNEL_NOT_FOUND);
    }
    return c;
  }

  /**
   * Whether the user may post where {@code seen} says: {@link #member}'s rules, and not archived. Pure, for
   * {@link Storage#postMessageIfAdmitted}, which checks and posts in one trip; throws to refuse.
   */
  public static Conversation admitPoster(User user, Storage.Seen seen) {
    Conversation c = visible(user, seen);
    if (!seen.member()) {
      throw new HeraldException(ErrorCode.NOT_IN_CHANNEL);
    }
    if (c.isArchived()) {
      throw new HeraldException(ErrorCode.IS_ARCHIVED);
    }
    return c;
  }

  /** A user of the caller's team, the caller included; {@code user_not_found} for anyone else. */
  public Future<User> teamUser(User caller, String userId) {
    if (caller.id().equals(userId)) {
      return Future.succeededFuture(caller);
    }
    if (!SlackIds.looksValid(userId)) {
      return Future.failedFuture(new HeraldException(ErrorCode.USER_NOT_FOUND));
    }
    return storage.user(userId).compose(u -> u == null || !u.teamId().equals(caller.teamId())
        ? Future.failedFuture(new HeraldException(ErrorCode.USER_NOT_FOUND))
        : Future.succeededFuture(u));
  }
}
