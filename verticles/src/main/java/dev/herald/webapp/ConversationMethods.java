package dev.herald.webapp;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.protocol.SlackTs;
import dev.herald.storage.Conversation;
import dev.herald.storage.Message;
import dev.herald.storage.Storage;
import dev.herald.storage.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code conversations.*} methods. Membership changes emit two events: one on the conversation (its members see
 * who joined or left, in order with its messages) and one on the user's own channel (their sockets start or stop
 * receiving the conversation at once).
 */
public final class ConversationMethods {
  private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z0-9_-]+");
  private static final int MAX_NAME = 80;
  private static final int MAX_INVITES = 1000;

  private final Storage storage;
  private final Access access;
  private final EventPublisher publisher;

  public ConversationMethods(Storage storage, Access access, EventPublisher publisher) {
    this.storage = storage;
    this.access = access;
    this.publisher = publisher;
  }

  public Future<JsonObject> create(ApiCall call) {
    String name = call.request().string("name");
    if (name == null) {
      return Future.failedFuture(new HeraldException(ErrorCode.INVALID_NAME_REQUIRED));
    }
    if (name.length() > MAX_NAME) {
      return Future.failedFuture(new HeraldException(ErrorCode.INVALID_NAME_MAXLENGTH));
    }
    if (!CHANNEL_NAME.matcher(name).matches()) {
      return Future.failedFuture(new HeraldException(ErrorCode.INVALID_NAME_SPECIALS));
    }
    boolean isPrivate = call.request().bool("is_private", false);
    User user = call.user();
    return storage.createConversation(user.teamId(), name, isPrivate, user.id())
        .compose(c -> {
          Future<Void> created = isPrivate
              ? Future.succeededFuture()
              : publisher.publish(c.teamId(), "channel_created", user.id(), c.id(), new JsonObject()
                  .put("type", "channel_created")
                  .put("channel", SlackJson.conversation(c, null, null)));
          return Future.all(created, announceJoined(user, c)).map(SlackJson.conversation(c, true, 1));
        })
        .map(channel -> new JsonObject().put("channel", channel));
  }

  public Future<JsonObject> join(ApiCall call) {
    User user = call.user();
    String channelId = call.request().requiredString("channel", ErrorCode.CHANNEL_NOT_FOUND);
    return access.visible(user, channelId).compose(c -> {
      if (c.isPrivate()) {
        return Future.failedFuture(new HeraldException(ErrorCode.METHOD_NOT_SUPPORTED_FOR_CHANNEL_TYPE));
      }
      if (c.isArchived()) {
        return Future.failedFuture(new HeraldException(ErrorCode.IS_ARCHIVED));
      }
      return storage.addMember(c.id(), user.id()).compose(added -> {
        JsonObject body = new JsonObject().put("channel", SlackJson.conversation(c, true, null));
        if (!added) {
          return Future.succeededFuture(body.put("already_in_channel", true));
        }
        return memberJoined(user, c, null).map(body);
      });
    });
  }

  public Future<JsonObject> leave(ApiCall call) {
    User user = call.user();
    String channelId = call.request().requiredString("channel", ErrorCode.CHANNEL_NOT_FOUND);
    return access.member(user, channelId)
        .compose(c -> storage.removeMember(c.id(), user.id()).compose(removed -> {
          if (!removed) {
            return Future.failedFuture(new HeraldException(ErrorCode.NOT_IN_CHANNEL));
          }
          return memberLeft(user, c);
        }))
        .map(new JsonObject());
  }

  public Future<JsonObject> invite(ApiCall call) {
    User inviter = call.user();
    String channelId = call.request().requiredString("channel", ErrorCode.CHANNEL_NOT_FOUND);
    String users = call.request().requiredString("users", ErrorCode.NO_USER);
    Set<String> ids = new LinkedHashSet<>();
    for (String id : users.split(",")) {
      if (!id.isBlank()) {
        ids.add(id.trim());
      }
    }
    if (ids.isEmpty()) {
      return Future.failedFuture(new HeraldException(ErrorCode.NO_USER));
    }
    if (ids.size() > MAX_INVITES) {
      return Future.failedFuture(new HeraldException(ErrorCode.TOO_MANY_USERS));
    }
    if (ids.contains(inviter.id())) {
      return Future.failedFuture(new HeraldException(ErrorCode.CANT_INVITE_SELF));
    }
    return access.member(inviter, channelId).compose(c -> {
      if (c.isArchived()) {
        return Future.failedFuture(new HeraldException(ErrorCode.IS_ARCHIVED));
      }
      // Check every invitee before adding anyone, so a bad id changes nothing.
      List<Future<User>> lookups = new ArrayList<>();
      for (String id : ids) {
        lookups.add(storage.user(id).compose(u -> u == null || !u.teamId().equals(inviter.teamId())
            ? Future.failedFuture(new HeraldException(ErrorCode.USER_NOT_FOUND))
            : Future.succeededFuture(u)));
      }
      return Future.all(lookups).compose(found -> {
        List<Future<Void>> joins = new ArrayList<>();
        for (Future<User> lookup : lookups) {
          User invitee = lookup.result();
          joins.add(storage.addMember(c.id(), invitee.id())
              .compose(added -> added ? memberJoined(invitee, c, inviter.id()) : Future.succeededFuture()));
        }
        return Future.all(joins);
      }).map(v -> new JsonObject().put("channel", SlackJson.conversation(c, true, null)));
    });
  }

  public Future<JsonObject> info(ApiCall call) {
    User user = call.user();
    String channelId = call.request().requiredString("channel", ErrorCode.CHANNEL_NOT_FOUND);
    boolean withCount = call.request().bool("include_num_members", false);
    return access.visible(user, channelId).compose(c -> Future.all(
            storage.isMember(c.id(), user.id()),
            withCount ? storage.memberCount(c.id()) : Future.succeededFuture(null))
        .map(r -> new JsonObject().put("channel",
            SlackJson.conversation(c, r.<Boolean>resultAt(0), r.<Integer>resultAt(1)))));
  }

  public Future<JsonObject> list(ApiCall call) {
    ApiRequest request = call.request();
    User user = call.user();
    int limit = request.integer("limit", 100, 1, 1000);
    boolean excludeArchived = request.bool("exclude_archived", false);
    String after = Cursors.decode("list", request.string("cursor"));
    Set<String> types = new HashSet<>(List.of(
        (request.string("types") == null ? "public_channel" : request.string("types")).split(",")));
    boolean wantPublic = types.contains("public_channel");
    boolean wantPrivate = types.contains("private_channel");
    // Fetch one more than asked to know whether there is a next page.
    return Future.all(
            storage.conversations(user.teamId(), user.id(), excludeArchived, after, limit + 1),
            storage.conversationIdsOf(user.id()))
        .map(r -> {
          List<Conversation> page = r.resultAt(0);
          Set<String> mine = new HashSet<>(r.<List<String>>resultAt(1));
          JsonArray channels = new JsonArray();
          String next = "";
          for (int i = 0; i < page.size(); i++) {
            if (i == limit) {
              next = Cursors.encode("list", page.get(i - 1).id());
              break;
            }
            Conversation c = page.get(i);
            if (c.isPrivate() ? wantPrivate : wantPublic) {
              channels.add(SlackJson.conversation(c, mine.contains(c.id()), null));
            }
          }
          return new JsonObject().put("channels", channels)
              .put("response_metadata", new JsonObject().put("next_cursor", next));
        });
  }

  public Future<JsonObject> members(ApiCall call) {
    ApiRequest request = call.request();
    String channelId = request.requiredString("channel", ErrorCode.CHANNEL_NOT_FOUND);
    int limit = request.integer("limit", 100, 1, 1000);
    String after = Cursors.decode("members", request.string("cursor"));
    return access.visible(call.user(), channelId)
        .compose(c -> storage.members(c.id(), after, limit + 1))
        .map(ids -> {
          String next = "";
          if (ids.size() > limit) {
            ids = ids.subList(0, limit);
            next = Cursors.encode("members", ids.get(limit - 1));
          }
          return new JsonObject().put("members", new JsonArray(new ArrayList<>(ids)))
              .put("response_metadata", new JsonObject().put("next_cursor", next));
        });
  }

  /**
   * Newest first between {@code oldest} and {@code latest}; the cursor continues below the last message returned.
   */
  public Future<JsonObject> history(ApiCall call) {
    ApiRequest request = call.request();
    String channelId = request.requiredString("channel", ErrorCode.CHANNEL_NOT_FOUND);
    int limit = request.integer("limit", 100, 1, 999);
    boolean inclusive = request.bool("inclusive", false);
    long latest;
    long oldest;
    try {
      latest = request.string("latest") == null ? Long.MAX_VALUE : SlackTs.parse(request.string("latest"));
      oldest = request.string("oldest") == null ? 0 : SlackTs.parse(request.string("oldest"));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new HeraldException(ErrorCode.INVALID_ARGUMENTS, "latest and oldest must be ts"));
    }
    String cursor = Cursors.decode("history", request.string("cursor"));
    if (cursor != null) {
      try {
        latest = SlackTs.parse(cursor);
        inclusive = false;
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new HeraldException(ErrorCode.INVALID_CURSOR));
      }
    }
    long upper = latest;
    long lower = oldest;
    boolean incl = inclusive;
    return access.member(call.user(), channelId)
        .compose(c -> storage.history(c.id(), upper, lower, incl, limit + 1).map(messages -> {
          boolean hasMore = messages.size() > limit;
          List<Message> page = hasMore ? messages.subList(0, limit) : messages;
          JsonArray out = new JsonArray();
          for (Message m : page) {
            out.add(SlackJson.message(m, c.teamId()));
          }
          String next = hasMore ? Cursors.encode("history", SlackTs.format(page.get(page.size() - 1).ts())) : "";
          return new JsonObject().put("messages", out).put("has_more", hasMore).put("pin_count", 0)
              .put("response_metadata", new JsonObject().put("next_cursor", next));
        }));
  }

  // ---- membership events ----

  private Future<Void> memberJoined(User user, Conversation c, String inviterId) {
    JsonObject joined = new JsonObject()
        .put("type", "member_joined_channel")
        .put("user", user.id())
        .put("channel", c.id())
        .put("channel_type", c.isPrivate() ? "G" : "C")
        .put("team", c.teamId());
    if (inviterId != null) {
      joined.put("inviter", inviterId);
    }
    return Future.all(
            publisher.publish(c.id(), "member_joined_channel", user.id(), c.id(), joined),
            announceJoined(user, c))
        .mapEmpty();
  }

  private Future<Void> memberLeft(User user, Conversation c) {
    JsonObject left = new JsonObject()
        .put("type", "member_left_channel")
        .put("user", user.id())
        .put("channel", c.id())
        .put("channel_type", c.isPrivate() ? "G" : "C")
        .put("team", c.teamId());
    String type = c.isPrivate() ? "group_left" : "channel_left";
    return Future.all(
            publisher.publish(c.id(), "member_left_channel", user.id(), c.id(), left),
            publisher.publish(user.id(), type, user.id(), c.id(),
                new JsonObject().put("type", type).put("channel", c.id()).put("actor_id", user.id())))
        .mapEmpty();
  }

  /** Tells the user's own sockets they are in {@code c}: their Gateways subscribe to it on seeing this. */
  private Future<Void> announceJoined(User user, Conversation c) {
    String type = c.isPrivate() ? "group_joined" : "channel_joined";
    return publisher.publish(user.id(), type, user.id(), c.id(),
        new JsonObject().put("type", type).put("channel", SlackJson.conversation(c, true, null)));
  }
}
