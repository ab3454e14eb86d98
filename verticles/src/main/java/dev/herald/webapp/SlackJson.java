package dev.herald.webapp;

import dev.herald.shared.protocol.SlackTs;
import dev.herald.storage.Conversation;
import dev.herald.storage.Message;
import dev.herald.storage.Team;
import dev.herald.storage.User;
import io.vertx.core.json.JsonObject;

/** Our records in the shapes of Slack's objects (as the Web API and the RTM events show them). */
public final class SlackJson {
  private SlackJson() {}

  public static JsonObject user(User user) {
    return new JsonObject()
        .put("id", user.id())
        .put("team_id", user.teamId())
        .put("name", user.name())
        .put("real_name", user.realName())
        .put("deleted", false)
        .put("is_bot", user.isBot())
        .put("is_admin", false)
        .put("updated", user.created() / 1_000_000L)
        .put("profile", new JsonObject()
            .put("real_name", user.realName())
            .put("display_name", user.name())
            .put("team", user.teamId()));
  }

  public static JsonObject team(Team team) {
    return new JsonObject().put("id", team.id()).put("name", team.name()).put("domain", team.domain());
  }

  /** {@code channel_type} in message events: Slack's names for where a message was posted. */
  public static String channelType(Conversation c) {
    return c.isPrivate() ? "group" : "channel";
  }

  public static JsonObject conversation(Conversation c, Boolean isMember, Integer numMembers) {
    JsonObject json = new JsonObject()
        .put("id", c.id())
        .put("name", c.name())
        .put("name_normalized", c.name())
        .put("is_channel", !c.isPrivate())
        .put("is_group", c.isPrivate())
        .put("is_im", false)
        .put("is_mpim", false)
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

  /** A message as {@code conversations.history} and {@code chat.postMessage} return it. */
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

  /** The {@code message} event the channel's members receive. */
  public static JsonObject messageEvent(Message m, Conversation c) {
    String ts = SlackTs.format(m.ts());
    return message(m, c.teamId()).put("channel", c.id()).put("event_ts", ts).put("channel_type", channelType(c));
  }
}
