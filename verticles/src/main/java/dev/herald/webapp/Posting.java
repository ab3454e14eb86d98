package dev.herald.webapp;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.protocol.SlackIds;
import dev.herald.shared.protocol.SlackTs;
import dev.herald.storage.Conversation;
import dev.herald.storage.Message;
import dev.herald.storage.Position;
import dev.herald.storage.Storage;
import dev.herald.storage.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Posting a message, however it arrives ({@code chat.postMessage}, {@code chat.meMessage}, an RTM {@code message}
 * frame, a topic change, a member joining or leaving): check, store durably, then hand the event to an Admin server. The future completes once
 * the message is committed. A thread reply also tells the channel its parent changed ({@code message_replied}).
 */
public final class Posting {
  /** Slack truncates beyond 40,000 characters; we refuse instead of silently cutting. */
  public static final int MAX_TEXT = 40_000;
  /** Slack's limit on attachments per message. */
  public static final int MAX_ATTACHMENTS = 100;

  private final Storage storage;
  private final Access access;
  private final EventPublisher publisher;

  public Posting(Storage storage, Access access, EventPublisher publisher) {
    this.storage = storage;
    this.access = access;
    this.publisher = publisher;
  }

  /** The posted message, where, and (for a reply) its thread's parent as it was before the reply. */
  public record Posted(Conversation conversation, Message message, Message parent) {
    public Posted(Conversation conversation, Message message) {
      this(conversation, message, null);
    }
  }

  public Future<Posted> post(User user, String channelId, String text, JsonObject extra, Long threadTs) {
    return post(user, channelId, text, extra, threadTs, false, null);
  }

  /**
   * Posts {@code text} (and {@code extra}: blocks, attachments) as {@code user}. With {@code threadTs} it is a reply
   * in that thread (a reply's ts stands for its parent's, as in Slack); {@code broadcast} also shows it in the channel.
   */
  public Future<Posted> post(User user, String channelId, String text, JsonObject extra, Long threadTs,
      boolean broadcast, String subtype) {
    try {
      checkBody(text, extra);
    } catch (HeraldException e) {
      return Future.failedFuture(e);
    }
    if (threadTs == null) {
      // The common case, checked and stored in one trip to the database.
      if (!SlackIds.looksValid(channelId)) {
        return Future.failedFuture(new HeraldException(ErrorCode.CHANNEL_NOT_FOUND));
      }
      return storage.postMessageIfAdmitted(channelId, user.id(), subtype, text == null ? "" : text,
              withBotId(user, extra), seen -> Access.admitPoster(user, seen))
          .map(posted -> published(user, posted.conversation(), posted.message(), null, false));
    }
    return access.member(user, channelId).compose(c -> {
      if (c.isArchived()) {
        return Future.failedFuture(new HeraldException(ErrorCode.IS_ARCHIVED));
      }
      return threadParent(c, threadTs).compose(p -> store(user, c, text, extra, p, broadcast, subtype));
    });
  }

  /**
   * Posts a membership notice ({@code channel_join}, {@code channel_leave}) that the caller has already decided on:
   * no membership check, since a leaver's notice is posted after they have left, as Slack shows it.
   */
  public Future<Posted> announce(User user, Conversation c, String text, JsonObject extra, String subtype) {
    return store(user, c, text, extra, null, false, subtype);
  }

  /** Stores the message in {@code c} (under {@code p} if a reply), then publishes it on the channel. */
  private Future<Posted> store(User user, Conversation c, String text, JsonObject given, Message p,
      boolean broadcast, String subtype) {
    String kind = p != null && broadcast ? "thread_broadcast" : subtype;
    return storage.postMessage(c.id(), user.id(), kind, text == null ? "" : text, p == null ? null : p.ts(),
            withBotId(user, given))
        .map(m -> published(user, c, m, p, broadcast));
  }

  /** Slack marks a bot user's messages with its bot_id (events and history alike); ours is the user id's B twin. */
  private static JsonObject withBotId(User user, JsonObject given) {
    return user.isBot() ? (given == null ? new JsonObject() : given.copy()).put("bot_id", botId(user.id())) : given;
  }

  /** Hands the stored message {@code m} (a reply under {@code p}, if not null) to the channel's members. */
  private Posted published(User user, Conversation c, Message m, Message p, boolean broadcast) {
    JsonObject event = SlackJson.messageEvent(m, c);
    if (p != null) {
      event.put("parent_user_id", p.userId());
      if (broadcast) {
        event.put("root", SlackJson.message(p, c.teamId()));
      }
    }
    publisher.publish(c.id(), new Position(m.seq(), m.ts()), "message", user.id(), null, event);
    if (p != null) {
      announceReplied(c, p.ts());
    }
    return new Posted(c, m, p);
  }

  /** Refuses what Slack refuses: no content, too long, malformed blocks or attachments. */
  public static void checkBody(String text, JsonObject extra) {
    Object blocks = extra == null ? null : extra.getValue("blocks");
    Object attachments = extra == null ? null : extra.getValue("attachments");
    if (blocks != null && !(blocks instanceof JsonArray)) {
      throw new HeraldException(ErrorCode.INVALID_BLOCKS, "blocks must be an array");
    }
    if (attachments != null && !(attachments instanceof JsonArray)) {
      throw new HeraldException(ErrorCode.INVALID_ATTACHMENTS, "attachments must be an array");
    }
    if (attachments instanceof JsonArray a && a.size() > MAX_ATTACHMENTS) {
      throw new HeraldException(ErrorCode.TOO_MANY_ATTACHMENTS);
    }
    boolean hasBody = text != null && !text.isBlank()
        || blocks instanceof JsonArray b && !b.isEmpty()
        || attachments instanceof JsonArray a2 && !a2.isEmpty();
    if (!hasBody) {
      throw new HeraldException(ErrorCode.NO_TEXT);
    }
    if (text != null && text.length() > MAX_TEXT) {
      throw new HeraldException(ErrorCode.MSG_TOO_LONG);
    }
  }

  /** The parent a reply goes under: the message at {@code ts}, or its own parent if it is itself a reply. */
  private Future<Message> threadParent(Conversation c, long ts) {
    return storage.message(c.id(), ts).compose(m -> {
      if (m == null) {
        return Future.failedFuture(new HeraldException(ErrorCode.INVALID_THREAD_TS));
      }
      return m.isReply() ? storage.message(c.id(), m.threadTs()).compose(p -> p == null
          ? Future.failedFuture(new HeraldException(ErrorCode.INVALID_THREAD_TS))
          : Future.succeededFuture(p)) : Future.succeededFuture(m);
    });
  }

  /** Slack's {@code message_replied}: the parent, now with its thread summary. Best effort after the commit. */
  private void announceReplied(Conversation c, long parentTs) {
    Future<Message> parent = storage.message(c.id(), parentTs);
    Future<java.util.List<String>> users = storage.replyUsers(c.id(), parentTs, 5);
    Future<Integer> userCount = storage.replyUserCount(c.id(), parentTs);
    Future.all(parent, users, userCount).compose(done -> {
      Message p = parent.result();
      if (p == null) {
        return Future.succeededFuture();
      }
      JsonObject message = SlackJson.withThread(SlackJson.message(p, c.teamId()), p, users.result(),
          userCount.result());
      JsonArray replies = new JsonArray();
      for (String u : users.result()) {
        replies.add(new JsonObject().put("user", u));
      }
      message.put("replies", replies);
      return publisher.publish(c.id(), "message", null, null, new JsonObject()
          .put("type", "message")
          .put("subtype", "message_replied")
          .put("hidden", true)
          .put("channel", c.id())
          .put("channel_type", SlackJson.channelType(c))
          .put("message", message), true);
    });
  }

  /** A bot user's {@code bot_id}: Slack's bots have both a user id and a B id. */
  static String botId(String userId) {
    return "B" + userId.substring(1);
  }

  /** The {@code ts} the client sees for a message. */
  static String ts(Message m) {
    return SlackTs.format(m.ts());
  }
}
