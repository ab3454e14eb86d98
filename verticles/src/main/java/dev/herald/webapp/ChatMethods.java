package dev.herald.webapp;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.protocol.SlackTs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code chat.*} methods. */
public final class ChatMethods {
  private final Posting posting;

  public ChatMethods(Posting posting) {
    this.posting = posting;
  }

  /** Answers once the message is durable; the live event is on its way to the channel's members. */
  public Future<JsonObject> postMessage(ApiCall call) {
    ApiRequest request = call.request();
    String channel = request.requiredString("channel", ErrorCode.CHANNEL_NOT_FOUND);
    JsonObject extra = new JsonObject();
    Object blocks = request.json("blocks");
    if (blocks != null) {
      extra.put("blocks", blocks);
    }
    Object attachments = request.json("attachments");
    if (attachments != null) {
      extra.put("attachments", attachments);
    }
    Long threadTs = null;
    String thread = request.string("thread_ts");
    if (thread != null) {
      try {
        threadTs = SlackTs.parse(thread);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new HeraldException(ErrorCode.INVALID_ARGUMENTS, "thread_ts is not a ts"));
      }
    }
    return posting.post(call.user(), channel, request.string("text"), extra.isEmpty() ? null : extra, threadTs)
        .map(posted -> new JsonObject()
            .put("channel", posted.conversation().id())
            .put("ts", SlackTs.format(posted.message().ts()))
            .put("message", SlackJson.message(posted.message(), posted.conversation().teamId())));
  }
}
