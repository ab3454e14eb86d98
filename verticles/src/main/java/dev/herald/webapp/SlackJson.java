package dev.herald.webapp;

import dev.herald.shared.protocol.SlackTs;
import dev.herald.storage.Bookmark;
import dev.herald.storage.Conversation;
import dev.herald.storage.Message;
import dev.herald.storage.Profile;
import dev.herald.storage.Reaction;
import dev.herald.storage.Team;
import dev.herald.storage.User;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/** Our records in the shapes of Slack's objects (as the Web API and the RTM events show them). */
public final class SlackJson {
  private SlackJson() {}

  public static JsonObject user(User user) {
    return user(user, null);
  }

  /** Slack's user object; {@code profile} may be null (then the profile holds what the user record has). */
  public static JsonObject user(User user, Profile profile) {
    long updated = (profile != null && profile.updated() > 0 ? profile.updated() : user.created()) / 1_000_000L;
    return new JsonObject()
        .put("id", user.id())
        .put("team_id", user.teamId())
        .put("name", user.name())
        .put("deleted", false)
        .put("color", "9f69e7")
        .put("real_name", profile != null ? profile.realName() : user.realName())
        .put("tz", "UTC")
        .put("tz_label", "Coordinated Universal Time")
        .put("tz_offset", 0)
        .put("profile", profile(user, profile))
        // A team's owner is its first user (there are no other roles yet); Slack's owners are admins too.
        .put("is_admin", user.isOwner())
        .put("is_owner", user.isOwner())
        .put("is_primary_owner", user.isOwner())
        .put("is_restricted", false)
        .put("is_ultra_restricted", false)
        .put("is_bot", user.isBot())
        .put("is_app_user", false)
        .put("updated", updated)
        .put("has_2fa", false);
  }

  /** Slack's profile object ({@code users.profile.get}, and inside a user). */
  public static JsonObject profile(User user, Profile p) {
    String realName = p != null ? p.realName() : user.realName();
    String displayName = p != null ? p.displayName() : "";
    JsonObject json = new JsonObject()
        .put("title", p != null ? p.title() : "")
        .put("phone", p != null ? p.phone() : "")
        .put("skype", "")
        .put("real_name", realName)
        .put("real_name_normalized", realName)
        .put("display_name", displayName)
        .put("display_name_normalized", displayName)
        .put("fields", new JsonObject())
        .put("status_text", p != null ? p.statusText() : "")
        .put("status_emoji", p != null ? p.statusEmoji() : "")
        .put("status_emoji_display_info", new JsonArray())
        .put("status_expiration", p != null ? p.statusExpiration() : 0)
        .put("avatar_hash", "")
        .put("first_name", p != null ? p.firstName() : "")
        .put("last_name", p != null ? p.lastName() : "")
        .put("team", user.teamId());
    if (p != null && !p.email().isEmpty()) {
      json.put("email", p.email());
    }
    return json;
  }

  public static JsonObject team(Team team) {
    return new JsonObject().put("id", team.id()).put("name", team.name()).put("domain", team.domain());
  }

  /** {@code team.info}'s fuller team object. */
  public static JsonObject teamInfo(Team team) {
    return team(team)
        .put("email_domain", "")
        .put("icon", new JsonObject().put("image_default", true))
        .put("avatar_base_url", "")
        .put("is_verified", false);
  }

  /** {@code channel_type} in message events: Slack's names for where a message was posted. */
  public static String channelType(Conversation c) {
    return switch (c.kind()) {
      case Conversation.IM -> "im";
      case Conversation.MPIM -> "mpim";
      case Conversation.GROUP -> "group";
      default -> "channel";
    };
  }

  /** The one-letter {@code channel_type} of member events ({@code C}, {@code G}, {@code D}). */
  public static String memberChannelType(Conversation c) {
    return c.isIm() ? "D" : c.isPrivate() ? "G" : "C";
  }

  public static JsonObject conversation(Conversation c, Boolean isMember, Integer numMembers) {
    return conversation(c, isMember, numMembers, null);
  }

  /**
   * A conversation object. For a DM, {@code imUser} is the other member (the one the viewer talks to); for a group
   * DM its members name it.
   */
  public static JsonObject conversation(Conversation c, Boolean isMember, Integer numMembers, String imUser) {
    if (c.isIm()) {
      return new JsonObject()
          .put("id", c.id())
          .put("created", c.created() / 1_000_000L)
          .put("is_im", true)
          .put("is_channel", false)
          .put("is_group", false)
          .put("is_mpim", false)
          .put("is_private", true)
          .put("is_archived", c.isArchived())
          .put("is_org_shared", false)
          .put("context_team_id", c.teamId())
          .put("user", imUser)
          .put("is_user_deleted", false)
          .put("priority", 0);
    }
    String name = c.isMpim() ? mpimName(c, imUser) : c.name();
    JsonObject json = new JsonObject()
        .put("id", c.id())
        .put("name", name)
        .put("name_normalized", name)
        .put("is_channel", c.kind().equals(Conversation.CHANNEL))
        .put("is_group", c.kind().equals(Conversation.GROUP))
        .put("is_im", false)
        .put("is_mpim", c.isMpim())
        .put("is_private", c.isPrivate())
        .put("is_archived", c.isArchived())
        .put("is_general", false)
        .put("is_shared", false)
        .put("is_org_shared", false)
        .put("is_ext_shared", false)
        .put("context_team_id", c.teamId())
        .put("created", c.created() / 1_000_000L)
        .put("creator", c.creator())
        .put("unlinked", 0)
        .put("topic", new JsonObject().put("value", c.topic()).put("creator", c.topicCreator())
            .put("last_set", c.topicSet() / 1_000_000L))
        .put("purpose", new JsonObject().put("value", c.purpose()).put("creator", c.purposeCreator())
            .put("last_set", c.purposeSet() / 1_000_000L));
    if (isMember != null) {
      json.put("is_member", isMember);
    }
    if (numMembers != null) {
      json.put("num_members", numMembers);
    }
    return json;
  }

  /** Slack names group DMs {@code mpdm-<member>--<member>-1}; {@code members} is their comma-separated ids. */
  private static String mpimName(Conversation c, String members) {
    if (members == null) {
      return c.name();
    }
    return "mpdm-" + String.join("--", members.toLowerCase(Locale.ROOT).split(",")) + "-1";
  }

  /** A message as {@code conversations.history} and {@code chat.postMessage} return it (no thread or reactions). */
  public static JsonObject message(Message m, String teamId) {
    JsonObject json = new JsonObject().put("type", "message");
    if (m.subtype() != null) {
      json.put("subtype", m.subtype());
    }
    json.put("user", m.userId()).put("text", m.text()).put("ts", SlackTs.format(m.ts())).put("team", teamId);
    if (m.threadTs() != null) {
      json.put("thread_ts", SlackTs.format(m.threadTs()));
    }
    if (m.extra() != null) {
      json.mergeIn(m.extra());
    }
    if (m.editedTs() != null) {
      json.put("edited", new JsonObject().put("user", m.editedBy()).put("ts", SlackTs.format(m.editedTs())));
    }
    return json;
  }

  /** A thread parent's summary fields. */
  public static JsonObject withThread(JsonObject message, Message parent, List<String> replyUsers, int replyUsersCount) {
    if (parent.replyCount() <= 0) {
      return message;
    }
    return message
        .put("thread_ts", SlackTs.format(parent.ts()))
        .put("reply_count", parent.replyCount())
        .put("reply_users_count", replyUsersCount)
        .put("latest_reply", parent.latestReply() == null ? null : SlackTs.format(parent.latestReply()))
        .put("reply_users", new JsonArray(List.copyOf(replyUsers)))
        .put("is_locked", false)
        .put("subscribed", false);
  }

  public static JsonArray reactions(List<Reaction> reactions) {
    JsonArray out = new JsonArray();
    for (Reaction r : reactions) {
      out.add(new JsonObject().put("name", r.name()).put("users", new JsonArray(List.copyOf(r.users())))
          .put("count", r.users().size()));
    }
    return out;
  }

  /** The {@code message} event the channel's members receive. */
  public static JsonObject messageEvent(Message m, Conversation c) {
    String ts = SlackTs.format(m.ts());
    return message(m, c.teamId()).put("channel", c.id()).put("event_ts", ts).put("channel_type", channelType(c));
  }

  /** Slack's permalink form: {@code <base>archives/<channel>/p<ts without the dot>}. */
  public static String permalink(String baseUrl, String channelId, long ts, Long threadTs) {
    String link = baseUrl + "archives/" + channelId + "/p" + SlackTs.format(ts).replace(".", "");
    if (threadTs != null && threadTs != ts) {
      link += "?thread_ts=" + SlackTs.format(threadTs) + "&cid=" + channelId;
    }
    return link;
  }

  public static JsonObject bookmark(Bookmark b, String teamId) {
    return new JsonObject()
        .put("id", b.id())
        .put("channel_id", b.channelId())
        .put("title", b.title())
        .put("link", b.link())
        .put("emoji", b.emoji().isEmpty() ? null : b.emoji())
        .put("icon_url", null)
        .put("type", b.type())
        .put("entity_id", null)
        .put("date_created", b.created() / 1_000_000L)
        .put("date_updated", b.updated() / 1_000_000L)
        .put("rank", "U")
        .put("last_updated_by_user_id", b.updatedBy())
        .put("last_updated_by_team_id", teamId)
        .put("shortcut_id", null)
        .put("app_id", null);
  }
}
