package dev.herald.webapp;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.protocol.SlackIds;
import dev.herald.shared.protocol.SlackTs;
import dev.herald.storage.Bookmark;
import dev.herald.storage.Conversation;
import dev.herald.storage.Storage;
import dev.herald.storage.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * {@code bookmarks.*}: links in a channel's header. Slack documents no RTM event for them; ours follow its style:
 * {@code bookmark_added}, {@code bookmark_updated} and {@code bookmark_removed} on the channel, each carrying the
 * bookmark (only {@code id} and {@code channel_id} once removed).
 */
public final class BookmarkMethods {
  private static final Pattern EMOJI = Pattern.compile(":[a-z0-9_+'-]{1,100}:");
  private static final int MAX_TITLE = 255;
  private static final int MAX_LINK = 4000;

  private final Storage storage;
  private final Access access;
  private final EventPublisher publisher;

  public BookmarkMethods(Storage storage, Access access, EventPublisher publisher) {
    this.storage = storage;
    this.access = access;
    this.publisher = publisher;
  }

  private Future<Conversation> channel(ApiCall call) {
    return access.member(call.user(), call.request().requiredString("channel_id", ErrorCode.CHANNEL_NOT_FOUND));
  }

  private static String link(String link) {
    if (link == null || !(link.startsWith("http://") || link.startsWith("https://")) || link.length() > MAX_LINK) {
      throw new HeraldException(ErrorCode.INVALID_LINK);
    }
    return link;
  }

  private static String emoji(String emoji) {
    if (emoji != null && !EMOJI.matcher(emoji).matches()) {
      throw new HeraldException(ErrorCode.INVALID_EMOJI);
    }
    return emoji == null ? "" : emoji;
  }

  private static String title(String title) {
    if (title == null || title.length() > MAX_TITLE) {
      throw new HeraldException(ErrorCode.INVALID_ARGUMENTS, "title is required, at most " + MAX_TITLE + " characters");
    }
    return title;
  }

  public Future<JsonObject> add(ApiCall call) {
    ApiRequest request = call.request();
    User user = call.user();
    String type = request.string("type");
    if (!"link".equals(type)) {
      return Future.failedFuture(new HeraldException(ErrorCode.INVALID_BOOKMARK_TYPE));
    }
    String title = title(request.string("title"));
    String link = link(request.string("link"));
    String emoji = emoji(request.string("emoji"));
    return channel(call).compose(c -> {
      if (c.isArchived()) {
        return Future.failedFuture(new HeraldException(ErrorCode.IS_ARCHIVED));
      }
      long now = SlackTs.nowMicros();
      Bookmark b = new Bookmark("Bk" + SlackIds.channel().substring(1), c.id(), title, link, emoji, type, now, now,
          user.id());
      return storage.addBookmark(b).compose(v -> announce(c, user, "bookmark_added", SlackJson.bookmark(b, c.teamId())))
          .map(v -> new JsonObject().put("bookmark", SlackJson.bookmark(b, c.teamId())));
    });
  }

  public Future<JsonObject> edit(ApiCall call) {
    ApiRequest request = call.request();
    User user = call.user();
    String id = request.requiredString("bookmark_id", ErrorCode.NOT_FOUND);
    String title = request.string("title") == null ? null : title(request.string("title"));
    String link = request.string("link") == null ? null : link(request.string("link"));
    String emoji = request.string("emoji") == null ? null : emoji(request.string("emoji"));
    return channel(call).compose(c -> storage.bookmark(c.id(), id).compose(b -> {
      if (b == null) {
        return Future.failedFuture(new HeraldException(ErrorCode.NOT_FOUND));
      }
      Bookmark edited = new Bookmark(b.id(), b.channelId(), title == null ? b.title() : title,
          link == null ? b.link() : link, emoji == null ? b.emoji() : emoji, b.type(), b.created(),
          SlackTs.nowMicros(), user.id());
      JsonObject json = SlackJson.bookmark(edited, c.teamId());
      return storage.updateBookmark(edited).compose(v -> announce(c, user, "bookmark_updated", json))
          .map(v -> new JsonObject().put("bookmark", json));
    }));
  }

  public Future<JsonObject> remove(ApiCall call) {
    User user = call.user();
    String id = call.request().requiredString("bookmark_id", ErrorCode.NOT_FOUND);
    return channel(call).compose(c -> storage.removeBookmark(c.id(), id).compose(removed -> removed
        ? announce(c, user, "bookmark_removed", new JsonObject().put("id", id).put("channel_id", c.id()))
        : Future.failedFuture(new HeraldException(ErrorCode.NOT_FOUND))))
        .map(v -> new JsonObject());
  }

  public Future<JsonObject> list(ApiCall call) {
    return channel(call).compose(c -> storage.bookmarks(c.id()).map(bookmarks -> {
      JsonArray out = new JsonArray();
      bookmarks.forEach(b -> out.add(SlackJson.bookmark(b, c.teamId())));
      return new JsonObject().put("bookmarks", out);
    }));
  }

  private Future<Void> announce(Conversation c, User user, String type, JsonObject bookmark) {
    return publisher.publish(c.id(), type, user.id(), null, new JsonObject()
        .put("type", type).put("channel_id", c.id()).put("user", user.id()).put("bookmark", bookmark));
  }
}
