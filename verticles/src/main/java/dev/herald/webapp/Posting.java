package dev.herald.webapp;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.storage.Conversation;
import dev.herald.storage.Message;
import dev.herald.storage.Position;
import dev.herald.storage.Storage;
import dev.herald.storage.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Posting a message, however it arrives ({@code chat.postMessage} or an RTM {@code message} frame): check, store
 * durably, then hand the event to an Admin server. The future completes once the message is committed.
 */
public final class Posting {
  /** Slack truncates beyond 40,000 characters; we refuse instead of silently cutting. */
  public static final int MAX_TEXT = 40_000;

  private final Storage storage;
  private final Access access;
  private final EventPublisher publisher;

  public Posting(Storage storage, Access access, EventPublisher publisher) {
    this.storage = storage;
    this.access = access;
    this.publisher = publisher;
  }

  public record Posted(Conversation conversation, Message message) {}

  public Future<Posted> post(User user, String channelId, String text, JsonObject extra, Long threadTs) {
    boolean hasBody = text != null && !text.isBlank()
        || extra != null && (extra.containsKey("blocks") || extra.containsKey("attachments"));
    if (!hasBody) {
      return Future.failedFuture(new HeraldException(ErrorCode.NO_TEXT));
    }
    if (text != null && text.length() > MAX_TEXT) {
      return Future.failedFuture(new HeraldException(ErrorCode.MSG_TOO_LONG));
    }
    return access.member(user, channelId).compose(c -> {
      if (c.isArchived()) {
        return Future.failedFuture(new HeraldException(ErrorCode.IS_ARCHIVED));
      }
      return storage.postMessage(c.id(), user.id(), null, text == null ? "" : text, threadTs, extra)
          .map(m -> {
            publisher.publish(c.id(), new Position(m.seq(), m.ts()), "message", user.id(), null,
                SlackJson.messageEvent(m, c));
            return new Posted(c, m);
          });
    });
  }
}
