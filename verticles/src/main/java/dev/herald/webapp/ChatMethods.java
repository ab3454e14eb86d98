package dev.herald.webapp;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.protocol.SlackTs;
import dev.herald.storage.Change;
import dev.herald.storage.Conversation;
import dev.herald.storage.Message;
import dev.herald.storage.Storage;
import dev.herald.storage.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * {@code chat.*} methods. Edits and deletes take their place in the channel's stream in the same transaction as
 * the change, so {@code message_changed}/{@code message_deleted} reach members in order with the messages.
 */
public final class ChatMethods {
  private final Storage storage;
  private final Access access;
  private final Posting posting;
  private final EventPublisher publisher;
  private final Supplier<String> baseUrl;

  public ChatMethods(Storage storage, Access access, Posting posting, EventPublisher publisher,
      Supplier<String> baseUrl) {
    this.storage = storage;
    this.access = access;
    this.posting = posting;
    this.publisher = publisher;
    this.baseUrl = baseUrl;
  }

  /** {@code blocks} and {@code attachments}: native in JSON bodies, JSON strings in forms. */
  private static JsonObject richContent(ApiRequest request) {
    JsonObject extra = new JsonObject();
    Object blocks = jsonOrFail(request, "blocks", ErrorCode.INVALID_BLOCKS);
    if (blocks != null) {
      extra.put("blocks", blocks);
    }
    Object attachments = jsonOrFail(request, "attachments", ErrorCode.INVALID_ATTACHMENTS);
    if (attachments != null) {
      extra.put("attachments", attachments);
    }
    return extra;
  }

  private static Object jsonOrFail(ApiRequest request, String name, ErrorCode code) {
    try {
      return request.json(name);
    } catch (HeraldException e) {
      throw new HeraldException(code, name + " must be JSON");
    }
  }

  /** Answers once the message is durable; the live event is on its way to the channel's members. */
  public Future<JsonObject> postMessage(ApiCall call) {
    ApiRequest request = call.request();
    String channel = request.requiredString("channel", ErrorCode.CHANNEL_NOT_FOUND);
    JsonObject extra = richContent(request);
    Long threadTs = request.ts("thread_ts", ErrorCode.INVALID_THREAD_TS);
    boolean broadcast = threadTs != null && request.bool("reply_broadcast", false);
    return posting.post(call.user(), channel, request.string("text"), extra.isEmpty() ? null : extra, threadTs,
            broadcast, null)
        .map(ChatMethods::posted);
  }

  /** {@code /me} messages: stored and shown with subtype {@code me_message}. */
  public Future<JsonObject> meMessage(ApiCall call) {
    ApiRequest request = call.request();
    String channel = request.requiredString("channel", ErrorCode.CHANNEL_NOT_FOUND);
    return posting.post(call.user(), channel, request.string("text"), null, null, false, "me_message")
        .map(posted -> new JsonObject()
            .put("channel", posted.conversation().id())
            .put("ts", SlackTs.format(posted.message().ts())));
  }

  private static JsonObject posted(Posting.Posted posted) {
    JsonObject message = SlackJson.message(posted.message(), posted.conversation().teamId());
    if (posted.parent() != null) {
      message.put("parent_user_id", posted.parent().userId());
    }
    return new JsonObject()
        .put("channel", posted.conversation().id())
        .put("ts", SlackTs.format(posted.message().ts()))
        .put("message", message);
  }

  /** The message at {@code ts} in a conversation the caller is in, if the caller wrote it. */
  private Future<Message> ownMessage(User user, Conversation c, long ts, ErrorCode notOwn) {
    return storage.message(c.id(), ts).compose(m -> {
      if (m == null) {
        return Future.failedFuture(new HeraldException(ErrorCode.MESSAGE_NOT_FOUND));
      }
      if (!m.userId().equals(user.id())) {
        return Future.failedFuture(new HeraldException(notOwn));
      }
      return Future.succeededFuture(m);
    });
  }

  /**
   * New text, blocks or attachments for one's own message. Blocks and attachments not given are kept (an empty
   * array removes them), as in Slack; text not given is kept when new blocks or attachments come.
   */
  public Future<JsonObject> update(ApiCall call) {
    ApiRequest request = call.request();
    User user = call.user();
    String channel = request.requiredString("channel", ErrorCode.CHANNEL_NOT_FOUND);
    long ts = request.requiredTs("ts", ErrorCode.MESSAGE_NOT_FOUND, ErrorCode.MESSAGE_NOT_FOUND);
    JsonObject changes = richContent(request);
    String text = request.string("text");
    return access.member(user, channel).compose(c -> {
      if (c.isArchived()) {
        return Future.failedFuture(new HeraldException(ErrorCode.IS_INACTIVE));
      }
      return ownMessage(user, c, ts, ErrorCode.CANT_UPDATE_MESSAGE).compose(before -> {
        JsonObject extra = before.extra() == null ? new JsonObject() : before.extra().copy();
        for (String field : changes.fieldNames()) {
          JsonArray value = changes.getValue(field) instanceof JsonArray a ? a : null;
          if (value != null && value.isEmpty()) {
            extra.remove(field);
          } else {
            extra.put(field, changes.getValue(field));
          }
        }
        String newText = text != null ? text : changes.isEmpty() ? null : before.text();
        Posting.checkBody(newText, extra);
        return storage.updateMessage(c.id(), ts, newText, extra.isEmpty() ? null : extra, user.id())
            .map(change -> {
              publishChanged(c, change);
              JsonObject message = SlackJson.message(change.after(), c.teamId());
              return new JsonObject()
                  .put("channel", c.id())
                  .put("ts", SlackTs.format(ts))
                  .put("text", newText)
                  .put("message", message);
            });
      });
    });
  }

  private void publishChanged(Conversation c, Change change) {
    String eventTs = SlackTs.format(change.position().ts());
    publisher.publish(c.id(), change.position(), "message", null, null, new JsonObject()
        .put("type", "message")
        .put("subtype", "message_changed")
        .put("hidden", true)
        .put("channel", c.id())
        .put("channel_type", SlackJson.channelType(c))
        .put("ts", eventTs)
        .put("event_ts", eventTs)
        .put("message", SlackJson.message(change.after(), c.teamId()))
        .put("previous_message", SlackJson.message(change.before(), c.teamId())));
  }

  public Future<JsonObject> delete(ApiCall call) {
    ApiRequest request = call.request();
    User user = call.user();
    String channel = request.requiredString("channel", ErrorCode.CHANNEL_NOT_FOUND);
    long ts = request.requiredTs("ts", ErrorCode.MESSAGE_NOT_FOUND, ErrorCode.MESSAGE_NOT_FOUND);
    return access.member(user, channel).compose(c -> ownMessage(user, c, ts, ErrorCode.CANT_DELETE_MESSAGE)
        .compose(m -> storage.deleteMessage(c.id(), ts))
        .map(change -> {
          String eventTs = SlackTs.format(change.position().ts());
          publisher.publish(c.id(), change.position(), "message", null, null, new JsonObject()
              .put("type", "message")
              .put("subtype", "message_deleted")
              .put("hidden", true)
              .put("channel", c.id())
              .put("channel_type", SlackJson.channelType(c))
              .put("ts", eventTs)
              .put("event_ts", eventTs)
              .put("deleted_ts", SlackTs.format(ts))
              .put("previous_message", SlackJson.message(change.before(), c.teamId())));
          return new JsonObject().put("channel", c.id()).put("ts", SlackTs.format(ts));
        }));
  }

  /**
   * A message only {@code user} sees, on their sockets only, never stored: it goes on their own channel, and its
   * {@code message_ts} is the position it took there.
   */
  public Future<JsonObject> postEphemeral(ApiCall call) {
    ApiRequest request = call.request();
    User sender = call.user();
    String channel = request.requiredString("channel", ErrorCode.CHANNEL_NOT_FOUND);
    String userId = request.requiredString("user", ErrorCode.USER_NOT_IN_CHANNEL);
    JsonObject extra = richContent(request);
    String text = request.string("text");
    Long threadTs = request.ts("thread_ts", ErrorCode.INVALID_THREAD_TS);
    Posting.checkBody(text, extra);
    return access.member(sender, channel).compose(c -> {
      if (c.isArchived()) {
        return Future.failedFuture(new HeraldException(ErrorCode.IS_ARCHIVED));
      }
      return storage.isMember(c.id(), userId).compose(member -> {
        if (!member) {
          return Future.failedFuture(new HeraldException(ErrorCode.USER_NOT_IN_CHANNEL));
        }
        JsonObject event = new JsonObject()
            .put("type", "message")
            .put("user", sender.id())
            .put("text", text == null ? "" : text)
            .put("team", c.teamId())
            .put("channel", c.id())
            .put("channel_type", SlackJson.channelType(c))
            .put("is_ephemeral", true)
            .mergeIn(extra);
        if (threadTs != null) {
          event.put("thread_ts", SlackTs.format(threadTs));
        }
        return publisher.publish(userId, "message", sender.id(), c.id(), event, true)
            .map(v -> new JsonObject().put("message_ts", event.getString("ts")));
      });
    });
  }

  public Future<JsonObject> getPermalink(ApiCall call) {
    ApiRequest request = call.request();
    String channel = request.requiredString("channel", ErrorCode.CHANNEL_NOT_FOUND);
    long ts = request.requiredTs("message_ts", ErrorCode.MESSAGE_NOT_FOUND, ErrorCode.MESSAGE_NOT_FOUND);
    return access.visible(call.user(), channel).compose(c -> storage.message(c.id(), ts).compose(m -> m == null
        ? Future.failedFuture(new HeraldException(ErrorCode.MESSAGE_NOT_FOUND))
        : Future.succeededFuture(new JsonObject()
            .put("channel", c.id())
            .put("permalink", SlackJson.permalink(baseUrl.get(), c.id(), m.ts(), m.threadTs())))));
  }
}
