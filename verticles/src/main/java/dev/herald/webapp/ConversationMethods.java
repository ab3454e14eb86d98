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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code conversations.*} methods. Membership changes emit two events: one on the conversation (its members see
 * who joined or left, in order with its messages) and one on the user's own channel (their sockets start or stop
 * receiving the conversation at once). Changes everyone in the team should see about a public channel (created,
 * renamed, archived) go on the team's channel; about a private one, on the conversation itself.
 */
public final class ConversationMethods {
  private static final Pattern CHANNEL_NAME = Pattern.compile("[a-z0-9_-]+");
  private static final Pattern ONLY_PUNCTUATION = Pattern.compile("[_-]+");
  private static final int MAX_NAME = 80;
  private static final int MAX_INVITES = 1000;
  /** Slack's limit on topics and purposes. */
  static final int MAX_TOPIC = 250;

  private final Storage storage;
  private final Access access;
  private final EventPublisher publisher;
  private final Posting posting;
  private final ConversationViews views;
  private final MessageViews messages;

  public ConversationMethods(Storage storage, Access access, EventPublisher publisher, Posting posting) {
    this.storage = storage;
    this.access = access;
    this.publisher = publisher;
    this.posting = posting;
    this.views = new ConversationViews(storage);
    this.messages = new MessageViews(storage);
  }

  private static String channelParam(ApiCall call) {
    return call.request().requiredString("channel", ErrorCode.CHANNEL_NOT_FOUND);
  }

  private static ErrorCode validName(String name) {
    if (name == null) {
      return ErrorCode.INVALID_NAME_REQUIRED;
    }
    if (name.length() > MAX_NAME) {
      return ErrorCode.INVALID_NAME_MAXLENGTH;
    }
    if (!CHANNEL_NAME.matcher(name).matches()) {
      return ErrorCode.INVALID_NAME_SPECIALS;
    }
    if (ONLY_PUNCTUATION.matcher(name).matches()) {
      return ErrorCode.INVALID_NAME;
    }
    return null;
  }

  /** Joining, leaving, renaming, archiving and inviting are for channels, not DMs. */
  private static Future<Conversation> channelsOnly(Conversation c) {
    return c.isDirect()
        ? Future.failedFuture(new HeraldException(ErrorCode.METHOD_NOT_SUPPORTED_FOR_CHANNEL_TYPE))
        : Future.succeededFuture(c);
  }

  public Future<JsonObject> create(ApiCall call) {
    String name = call.request().string("name");
    ErrorCode invalid = validName(name);
    if (invalid != null) {
      return Future.failedFuture(new HeraldException(invalid));
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
          // A new conversation has no events yet: the creator's sockets replay from its beginning.
          return Future.all(created, announceJoined(user, c, 0)).map(SlackJson.conversation(c, true, 1));
        })
        .map(channel -> new JsonObject().put("channel", channel));
  }

  public Future<JsonObject> join(ApiCall call) {
    User user = call.user();
    return access.visible(user, channelParam(call)).compose(ConversationMethods::channelsOnly).compose(c -> {
      if (c.isPrivate()) {
        return Future.failedFuture(new HeraldException(ErrorCode.METHOD_NOT_SUPPORTED_FOR_CHANNEL_TYPE));
      }
      if (c.isArchived()) {
        return Future.failedFuture(new HeraldException(ErrorCode.IS_ARCHIVED));
      }
      return storage.addMember(c.id(), user.id()).compose(added -> {
        JsonObject body = new JsonObject().put("channel", SlackJson.conversation(c, true, null));
        if (!added) {
          // Slack's answer for a repeated join: success, with a warning the SDKs log.
          return Future.succeededFuture(body.put("warning", "already_in_channel")
              .put("response_metadata", new JsonObject().put("warnings", new JsonArray().add("already_in_channel"))));
        }
        return memberJoined(user, c, null).map(body);
      });
    });
  }

  public Future<JsonObject> leave(ApiCall call) {
    User user = call.user();
    return access.visible(user, channelParam(call)).compose(ConversationMethods::channelsOnly).compose(c -> {
      if (c.isArchived()) {
        return Future.failedFuture(new HeraldException(ErrorCode.IS_ARCHIVED));
      }
      return storage.isMember(c.id(), user.id()).compose(member -> {
        if (!member) {
          // Slack documents this odd answer: not ok, yet no error code.
          return Future.succeededFuture(new JsonObject().put("ok", false).put("not_in_channel", true));
        }
        Future<Integer> count = c.isPrivate() ? storage.memberCount(c.id()) : Future.succeededFuture(2);
        return count.compose(n -> n <= 1
            ? Future.failedFuture(new HeraldException(ErrorCode.LAST_MEMBER))
            : storage.removeMember(c.id(), user.id())
                .compose(removed -> removed ? memberLeft(user, c, user.id()) : Future.succeededFuture())
                .map(v -> new JsonObject()));
      });
    });
  }

  public Future<JsonObject> invite(ApiCall call) {
    User inviter = call.user();
    String channelId = channelParam(call);
    Set<String> ids = new LinkedHashSet<>(call.request().csv("users"));
    if (ids.isEmpty()) {
      return Future.failedFuture(new HeraldException(ErrorCode.NO_USER));
    }
    if (ids.size() > MAX_INVITES) {
      return Future.failedFuture(new HeraldException(ErrorCode.TOO_MANY_USERS));
    }
    if (ids.contains(inviter.id())) {
      return Future.failedFuture(new HeraldException(ErrorCode.CANT_INVITE_SELF));
    }
    return access.member(inviter, channelId).compose(ConversationMethods::channelsOnly).compose(c -> {
      if (c.isArchived()) {
        return Future.failedFuture(new HeraldException(ErrorCode.IS_ARCHIVED));
      }
      // Check every invitee before adding anyone, so a bad id changes nothing.
      List<Future<User>> lookups = new ArrayList<>();
      for (String id : ids) {
        lookups.add(access.teamUser(inviter, id).compose(u -> storage.isMember(c.id(), u.id()).compose(member -> member
            ? Future.failedFuture(new HeraldException(ErrorCode.ALREADY_IN_CHANNEL))
            : Future.succeededFuture(u))));
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

  public Future<JsonObject> kick(ApiCall call) {
    User kicker = call.user();
    String channelId = channelParam(call);
    String userId = call.request().requiredString("user", ErrorCode.NO_USER);
    if (userId.equals(kicker.id())) {
      return Future.failedFuture(new HeraldException(ErrorCode.CANT_KICK_SELF));
    }
    return access.member(kicker, channelId).compose(ConversationMethods::channelsOnly)
        .compose(c -> access.teamUser(kicker, userId).compose(target -> storage.removeMember(c.id(), target.id())
            .compose(removed -> removed
                ? memberLeft(target, c, kicker.id())
                : Future.failedFuture(new HeraldException(ErrorCode.NOT_IN_CHANNEL)))))
        .map(v -> new JsonObject().put("errors", new JsonObject()));
  }

  public Future<JsonObject> info(ApiCall call) {
    User user = call.user();
    boolean withCount = call.request().bool("include_num_members", false);
    return access.visible(user, channelParam(call)).compose(c -> Future.all(
            storage.lastRead(c.id(), user.id()),
            withCount ? storage.memberCount(c.id()) : Future.succeededFuture(null))
        .compose(r -> {
          Long lastRead = r.resultAt(0);
          return views.one(c, user, lastRead != null, r.<Integer>resultAt(1)).map(json -> {
            if (lastRead != null) {
              // Slack's "never read" is ten zeros, a dot and six more.
              json.put("last_read", lastRead == 0 ? "0000000000.000000" : SlackTs.format(lastRead));
            }
            return new JsonObject().put("channel", json);
          });
        }));
  }

  /** Slack's {@code types} names to our kinds; {@code public_channel} when absent. */
  static Set<String> kinds(ApiRequest request) {
    List<String> types = request.csv("types");
    if (types.isEmpty()) {
      types = List.of("public_channel");
    }
    Set<String> kinds = new TreeSet<>();
    for (String type : types) {
      switch (type) {
        case "public_channel" -> kinds.add(Conversation.CHANNEL);
        case "private_channel" -> kinds.add(Conversation.GROUP);
        case "im" -> kinds.add(Conversation.IM);
        case "mpim" -> kinds.add(Conversation.MPIM);
        default -> throw new HeraldException(ErrorCode.INVALID_TYPES, "unknown type " + type);
      }
    }
    return kinds;
  }

  public Future<JsonObject> list(ApiCall call) {
    return listConversations(call, null);
  }

  /**
   * {@code conversations.list}, or {@code users.conversations} when {@code memberId} is given: one page, by id. A
   * page holds exactly {@code limit} conversations unless it is the last.
   */
  Future<JsonObject> listConversations(ApiCall call, String memberId) {
    ApiRequest request = call.request();
    User user = call.user();
    int limit = request.integer("limit", 100, 1, 1000);
    boolean excludeArchived = request.bool("exclude_archived", false);
    Set<String> kinds = kinds(request);
    String after = Cursors.decode("list", request.string("cursor"));
    // Fetch one more than asked to know whether there is a next page.
    return Future.all(
            storage.conversations(user.teamId(), user.id(), memberId, kinds, excludeArchived, after, limit + 1),
            views.memberships(user))
        .compose(r -> {
          List<Conversation> page = r.resultAt(0);
          String next = "";
          if (page.size() > limit) {
            page = page.subList(0, limit);
            next = Cursors.encode("list", page.get(limit - 1).id());
          }
          String cursor = next;
          return views.page(page, user, r.resultAt(1)).map(channels -> new JsonObject()
              .put("channels", channels)
              .put("response_metadata", new JsonObject().put("next_cursor", cursor)));
        });
  }

  public Future<JsonObject> members(ApiCall call) {
    ApiRequest request = call.request();
    String channelId = channelParam(call);
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

  /** Inclusive microsecond bounds from Slack's {@code latest}/{@code oldest}/{@code inclusive}. */
  private record Window(long lower, long upper) {
    static Window of(ApiRequest request) {
      Long latest = request.ts("latest", ErrorCode.INVALID_TS_LATEST);
      Long oldest = request.ts("oldest", ErrorCode.INVALID_TS_OLDEST);
      boolean inclusive = request.bool("inclusive", false);
      long upper = latest == null ? Long.MAX_VALUE : inclusive ? latest : latest - 1;
      long lower = oldest == null ? 0 : inclusive ? oldest : oldest + 1;
      return new Window(lower, upper);
    }
  }

  /**
   * Newest first, between {@code oldest} and {@code latest}. Given only {@code oldest}, Slack returns the messages
   * closest to it (paging forward in time); otherwise those closest to {@code latest} (paging back). The cursor
   * remembers which way, and where the page ended.
   */
  public Future<JsonObject> history(ApiCall call) {
    ApiRequest request = call.request();
    String channelId = channelParam(call);
    int limit = request.integer("limit", 100, 1, 999);
    Window window = Window.of(request);
    boolean forward = request.string("oldest") != null && request.string("latest") == null;
    String cursor = Cursors.decode("history", request.string("cursor"));
    long lower = window.lower();
    long upper = window.upper();
    if (cursor != null) {
      long at;
      try {
        forward = cursor.startsWith("a:");
        if (!forward && !cursor.startsWith("d:")) {
          throw new IllegalArgumentException(cursor);
        }
        at = SlackTs.parse(cursor.substring(2));
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new HeraldException(ErrorCode.INVALID_CURSOR));
      }
      if (forward) {
        lower = Math.max(lower, at + 1);
      } else {
        upper = Math.min(upper, at - 1);
      }
    }
    boolean ascending = forward;
    long from = lower;
    long to = upper;
    return access.member(call.user(), channelId).compose(c -> {
      Future<List<Message>> fetched = ascending
          ? storage.historyAscending(c.id(), from, to, true, limit + 1)
          : storage.history(c.id(), to, from, true, limit + 1);
      return Future.all(fetched, storage.pins(c.id())).compose(r -> {
        List<Message> found = r.resultAt(0);
        boolean hasMore = found.size() > limit;
        List<Message> page = new ArrayList<>(hasMore ? found.subList(0, limit) : found);
        String next = "";
        if (hasMore) {
          Message edge = page.get(page.size() - 1);
          next = Cursors.encode("history", (ascending ? "a:" : "d:") + SlackTs.format(edge.ts()));
        }
        if (ascending) {
          java.util.Collections.reverse(page);
        }
        String nextCursor = next;
        int pinCount = r.<List<?>>resultAt(1).size();
        return messages.page(c, page).map(out -> new JsonObject()
            .put("messages", out)
            .put("has_more", hasMore)
            .put("pin_count", pinCount)
            .put("channel_actions_ts", null)
            .put("channel_actions_count", 0)
            .put("response_metadata", new JsonObject().put("next_cursor", nextCursor)));
      });
    });
  }

  /**
   * A thread: its parent first (on every page, as Slack does), then replies oldest first. {@code ts} may be the
   * parent's or any reply's.
   */
  public Future<JsonObject> replies(ApiCall call) {
    ApiRequest request = call.request();
    String channelId = channelParam(call);
    long ts = request.requiredTs("ts", ErrorCode.INVALID_ARGUMENTS, ErrorCode.THREAD_NOT_FOUND);
    int limit = request.integer("limit", 1000, 1, 1000);
    Window window = Window.of(request);
    String cursor = Cursors.decode("replies", request.string("cursor"));
    long lower = window.lower();
    if (cursor != null) {
      try {
        lower = Math.max(lower, SlackTs.parse(cursor) + 1);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new HeraldException(ErrorCode.INVALID_CURSOR));
      }
    }
    long from = lower;
    return access.member(call.user(), channelId).compose(c -> storage.message(c.id(), ts)
        .compose(m -> m != null && m.isReply() ? storage.message(c.id(), m.threadTs()) : Future.succeededFuture(m))
        .compose(parent -> {
          if (parent == null) {
            return Future.failedFuture(new HeraldException(ErrorCode.THREAD_NOT_FOUND));
          }
          return storage.replies(c.id(), parent.ts(), from, window.upper(), true, limit + 1).compose(found -> {
            boolean hasMore = found.size() > limit;
            List<Message> page = new ArrayList<>();
            page.add(parent);
            page.addAll(hasMore ? found.subList(0, limit) : found);
            String next = hasMore ? Cursors.encode("replies", SlackTs.format(page.get(page.size() - 1).ts())) : "";
            return messages.page(c, page).map(out -> new JsonObject()
                .put("messages", out)
                .put("has_more", hasMore)
                .put("response_metadata", new JsonObject().put("next_cursor", next)));
          });
        }));
  }

  public Future<JsonObject> rename(ApiCall call) {
    User user = call.user();
    String name = call.request().string("name");
    ErrorCode invalid = validName(name);
    if (invalid != null) {
      return Future.failedFuture(new HeraldException(invalid));
    }
    return access.member(user, channelParam(call)).compose(ConversationMethods::channelsOnly).compose(c -> {
      if (c.isArchived()) {
        return Future.failedFuture(new HeraldException(ErrorCode.IS_ARCHIVED));
      }
      Conversation renamed = c.withName(name);
      return storage.renameConversation(c.id(), name).compose(v -> {
        String type = c.isPrivate() ? "group_rename" : "channel_rename";
        JsonObject event = new JsonObject().put("type", type).put("channel", new JsonObject()
            .put("id", c.id()).put("name", name).put("name_normalized", name)
            .put("created", c.created() / 1_000_000L)
            .put("is_channel", !c.isPrivate()).put("is_mpim", false));
        return Future.all(
            publisher.publish(c.isPrivate() ? c.id() : c.teamId(), type, user.id(), c.id(), event),
            posting.post(user, c.id(), "renamed the channel from \"" + c.name() + "\" to \"" + name + "\"",
                new JsonObject().put("old_name", c.name()).put("name", name), null, false, "channel_name"));
      }).map(v -> new JsonObject().put("channel", SlackJson.conversation(renamed, true, null)));
    });
  }

  public Future<JsonObject> archive(ApiCall call) {
    return setArchived(call, true);
  }

  public Future<JsonObject> unarchive(ApiCall call) {
    return setArchived(call, false);
  }

  private Future<JsonObject> setArchived(ApiCall call, boolean archived) {
    User user = call.user();
    Future<Conversation> target = archived
        ? access.member(user, channelParam(call))
        : access.visible(user, channelParam(call));
    return target.compose(ConversationMethods::channelsOnly).compose(c -> storage.setArchived(c.id(), archived)
        .compose(changed -> {
          if (!changed) {
            return Future.failedFuture(new HeraldException(
                archived ? ErrorCode.ALREADY_ARCHIVED : ErrorCode.NOT_ARCHIVED));
          }
          String type = (c.isPrivate() ? "group_" : "channel_") + (archived ? "archive" : "unarchive");
          return publisher.publish(c.isPrivate() ? c.id() : c.teamId(), type, user.id(), c.id(),
              new JsonObject().put("type", type).put("channel", c.id()).put("user", user.id()));
        }))
        .map(v -> new JsonObject());
  }

  public Future<JsonObject> setTopic(ApiCall call) {
    return setTopicOrPurpose(call, "topic");
  }

  public Future<JsonObject> setPurpose(ApiCall call) {
    return setTopicOrPurpose(call, "purpose");
  }

  /** Stores it, then says so in the channel with a {@code channel_topic}/{@code channel_purpose} message. */
  private Future<JsonObject> setTopicOrPurpose(ApiCall call, String what) {
    User user = call.user();
    String value = call.request().string(what);
    String text = value == null ? "" : value;
    if (text.length() > MAX_TOPIC) {
      return Future.failedFuture(new HeraldException(ErrorCode.TOO_LONG));
    }
    return access.member(user, channelParam(call)).compose(c -> {
      if (c.isArchived()) {
        return Future.failedFuture(new HeraldException(ErrorCode.IS_ARCHIVED));
      }
      long now = SlackTs.nowMicros();
      boolean topic = what.equals("topic");
      Future<Void> stored = topic
          ? storage.setTopic(c.id(), text, user.id(), now)
          : storage.setPurpose(c.id(), text, user.id(), now);
      Conversation updated = topic ? c.withTopic(text, user.id(), now) : c.withPurpose(text, user.id(), now);
      String announcement = text.isEmpty() ? "cleared the channel " + what : "set the channel " + what + ": " + text;
      return stored
          .compose(v -> posting.post(user, c.id(), announcement, new JsonObject().put(what, text), null, false,
              "channel_" + what))
          .compose(v -> views.one(updated, user, true, null))
          .map(channel -> new JsonObject().put("channel", channel));
    });
  }

  /** Moves the caller's read marker and tells their other sockets ({@code channel_marked} and friends). */
  public Future<JsonObject> mark(ApiCall call) {
    User user = call.user();
    long ts = call.request().requiredTs("ts", ErrorCode.INVALID_TIMESTAMP, ErrorCode.INVALID_TIMESTAMP);
    return access.member(user, channelParam(call)).compose(c -> storage.markRead(c.id(), user.id(), ts)
        .compose(marked -> {
          String type = switch (c.kind()) {
            case Conversation.IM -> "im_marked";
            case Conversation.MPIM -> "mpim_marked";
            case Conversation.GROUP -> "group_marked";
            default -> "channel_marked";
          };
          return publisher.publish(user.id(), type, user.id(), c.id(), new JsonObject()
              .put("type", type).put("channel", c.id()).put("ts", SlackTs.format(ts))
              .put("unread_count", 0).put("unread_count_display", 0).put("num_mentions", 0));
        }))
        .map(v -> new JsonObject());
  }

  /**
   * Opens (or finds) the DM with one user or the group DM with several: the caller is always a member. New ones
   * are announced to every member's own channel, so their connected sockets start receiving them.
   */
  public Future<JsonObject> open(ApiCall call) {
    User user = call.user();
    ApiRequest request = call.request();
    boolean returnIm = request.bool("return_im", false);
    String channelId = request.string("channel");
    List<String> users = request.csv("users");
    if (channelId != null && users.isEmpty()) {
      return access.visible(user, channelId).compose(c -> c.isDirect()
          ? views.one(c, user, true, null).map(json -> opened(json, returnIm, true))
          : Future.failedFuture(new HeraldException(ErrorCode.METHOD_NOT_SUPPORTED_FOR_CHANNEL_TYPE)));
    }
    if (users.isEmpty()) {
      return Future.failedFuture(new HeraldException(ErrorCode.USERS_LIST_NOT_SUPPLIED));
    }
    TreeSet<String> members = new TreeSet<>(users);
    members.add(user.id());
    if (members.size() > ConversationViews.MAX_DIRECT_MEMBERS) {
      return Future.failedFuture(new HeraldException(ErrorCode.TOO_MANY_USERS));
    }
    List<Future<User>> lookups = new ArrayList<>();
    for (String id : members) {
      lookups.add(access.teamUser(user, id));
    }
    String kind = members.size() <= 2 ? Conversation.IM : Conversation.MPIM;
    return Future.all(lookups)
        .compose(v -> storage.openDirect(user.teamId(), kind, List.copyOf(members), user.id()))
        .compose(opened -> {
          Conversation c = opened.conversation();
          Future<Void> announced = opened.created() ? announceDirect(c, List.copyOf(members)) : Future.succeededFuture();
          return announced.compose(v -> views.one(c, user, true, null))
              .map(json -> opened(json, returnIm || !c.isIm(), !opened.created()));
        });
  }

  private static JsonObject opened(JsonObject channel, boolean full, boolean existing) {
    JsonObject body = new JsonObject().put("channel", full ? channel : new JsonObject().put("id", channel.getString("id")));
    if (existing) {
      body.put("no_op", true).put("already_open", true);
    }
    return body;
  }

  private Future<Void> announceDirect(Conversation c, List<String> members) {
    List<Future<Void>> events = new ArrayList<>();
    for (String member : members) {
      JsonObject channel = SlackJson.conversation(c, true, null,
          ConversationViews.directLabel(c, members, member));
      String type = c.isIm() ? "im_created" : "mpim_joined";
      events.add(publisher.publishJoin(member, type, c.id(), 0,
          new JsonObject().put("type", type).put("user", c.creator()).put("channel", channel)));
    }
    return Future.all(events).mapEmpty();
  }

  // ---- membership events ----

  private Future<Void> memberJoined(User user, Conversation c, String inviterId) {
    JsonObject joined = new JsonObject()
        .put("type", "member_joined_channel")
        .put("user", user.id())
        .put("channel", c.id())
        .put("channel_type", SlackJson.memberChannelType(c))
        .put("team", c.teamId());
    if (inviterId != null) {
      joined.put("inviter", inviterId);
    }
    // The channel_join message is sequenced after member_joined_channel, which adds the joiner's sockets on the
    // Gateways already receiving the channel: so the joiner sees their own join message, as in Slack. A Gateway that
    // is not yet receiving it learns of the join from channel_joined, which carries member_joined_channel's seq: it
    // subscribes, then replays what followed, the join message included.
    JsonObject noticeExtra = inviterId == null ? null : new JsonObject().put("inviter", inviterId);
    return publisher.publishAt(c.id(), "member_joined_channel", user.id(), c.id(), joined)
        .compose(position -> Future.all(
            notice(user, c, "has joined the channel", noticeExtra, "channel_join"),
            announceJoined(user, c, position.seq())))
        .mapEmpty();
  }

  /**
   * Slack's {@code channel_join}/{@code channel_leave} message, a real message of the channel's history. Private
   * channels get them too; DMs never reach here (their membership does not change).
   */
  private Future<Void> notice(User user, Conversation c, String what, JsonObject extra, String subtype) {
    return posting.announce(user, c, "<@" + user.id() + "> " + what, extra, subtype).mapEmpty();
  }

  /** {@code actorId} is who removed the user: themselves on leave, the kicker on kick. */
  private Future<Void> memberLeft(User user, Conversation c, String actorId) {
    JsonObject left = new JsonObject()
        .put("type", "member_left_channel")
        .put("user", user.id())
        .put("channel", c.id())
        .put("channel_type", SlackJson.memberChannelType(c))
        .put("team", c.teamId());
    String type = c.isPrivate() ? "group_left" : "channel_left";
    // The channel_leave message is sequenced after member_left_channel, which removes the leaver's sockets: the
    // remaining members see it, the leaver does not (nor anything later).
    return Future.all(
            publisher.publish(c.id(), "member_left_channel", user.id(), c.id(), left)
                .compose(v -> notice(user, c, "has left the channel", null, "channel_leave")),
            publisher.publish(user.id(), type, user.id(), c.id(),
                new JsonObject().put("type", type).put("channel", c.id()).put("actor_id", actorId)))
        .mapEmpty();
  }

  /**
   * Tells the user's own sockets they are in {@code c} since its seq {@code joinedAt}: their Gateways subscribe to it
   * on seeing this, and replay what they missed of it since then.
   */
  private Future<Void> announceJoined(User user, Conversation c, long joinedAt) {
    String type = c.isPrivate() ? "group_joined" : "channel_joined";
    return publisher.publishJoin(user.id(), type, c.id(), joinedAt,
        new JsonObject().put("type", type).put("channel", SlackJson.conversation(c, true, null)));
  }
}
