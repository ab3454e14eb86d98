package dev.herald.webapp;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.protocol.SlackIds;
import dev.herald.storage.Conversation;
import dev.herald.storage.Storage;
import dev.herald.storage.User;
import io.vertx.core.Future;

/**
 * Who may see and act where. A conversation of another team, or a private one the user is not in, does not exist
 * as far as that user can tell ({@code channel_not_found}); a public one they have not joined answers
 * {@code not_in_channel} to reads and posts.
 */
public final class Access {
  private final Storage storage;

  public Access(Storage storage) {
    this.storage = storage;
  }

  /** The conversation if the user may know it exists. */
  public Future<Conversation> visible(User user, String channelId) {
    if (!SlackIds.looksValid(channelId)) {
      return Future.failedFuture(new HeraldException(ErrorCode.CHANNEL_NOT_FOUND));
    }
    return storage.conversation(channelId).compose(c -> {
      if (c == null || !c.teamId().equals(user.teamId())) {
        return Future.failedFuture(new HeraldException(ErrorCode.CHANNEL_NOT_FOUND));
      }
      if (!c.isPrivate()) {
        return Future.succeededFuture(c);
      }
      return storage.isMember(c.id(), user.id()).compose(member -> member
          ? Future.succeededFuture(c)
          : Future.failedFuture(new HeraldException(ErrorCode.CHANNEL_NOT_FOUND)));
    });
  }

  /** The conversation if the user is a member of it. */
  public Future<Conversation> member(User user, String channelId) {
    return visible(user, channelId).compose(c -> storage.isMember(c.id(), user.id()).compose(member -> member
        ? Future.succeededFuture(c)
        : Future.failedFuture(new HeraldException(ErrorCode.NOT_IN_CHANNEL))));
  }
}
