package dev.herald.shared;

import java.util.HashMap;
import java.util.Map;

/**
 * The one table of error codes. Each code is a Slack Web API error string; its {@link #wire} number travels as the
 * failure code of a {@code ReplyException} on the event bus, and {@link #rtmCode}/{@link #rtmMessage} are what an
 * RTM client sees in an error reply.
 */
public enum ErrorCode {
  NOT_AUTHED(1, "not_authed", 4, "not authed"),
  INVALID_AUTH(2, "invalid_auth", 4, "invalid auth"),
  CHANNEL_NOT_FOUND(3, "channel_not_found", 4, "channel not found"),
  NOT_IN_CHANNEL(4, "not_in_channel", 4, "not in channel"),
  INVALID_ARGUMENTS(5, "invalid_arguments", 2, "invalid arguments"),
  NAME_TAKEN(6, "name_taken", 2, "name taken"),
  INVALID_NAME(7, "invalid_name", 2, "invalid name"),
  INVALID_NAME_REQUIRED(23, "invalid_name_required", 2, "name is required"),
  INVALID_NAME_SPECIALS(24, "invalid_name_specials", 2, "name has invalid characters"),
  INVALID_NAME_MAXLENGTH(25, "invalid_name_maxlength", 2, "name is too long"),
  USER_NOT_IN_CHANNEL(26, "user_not_in_channel", 2, "user not in channel"),
  TOO_MANY_USERS(27, "too_many_users", 2, "too many users"),
  NO_USER(28, "no_user", 2, "no user given"),
  INVALID_PRESENCE(29, "invalid_presence", 2, "presence must be auto or away"),
  NO_TEXT(8, "no_text", 2, "message text is missing"),
  MSG_TOO_LONG(9, "msg_too_long", 2, "message text is too long"),
  USER_NOT_FOUND(10, "user_not_found", 2, "user not found"),
  ALREADY_IN_CHANNEL(11, "already_in_channel", 2, "already in channel"),
  CANT_INVITE_SELF(12, "cant_invite_self", 2, "cannot invite self"),
  IS_ARCHIVED(13, "is_archived", 2, "channel is archived"),
  METHOD_NOT_SUPPORTED_FOR_CHANNEL_TYPE(14, "method_not_supported_for_channel_type", 2, "not supported for this channel type"),
  UNKNOWN_METHOD(15, "unknown_method", 3, "unknown method"),
  INVALID_CURSOR(16, "invalid_cursor", 2, "invalid cursor"),
  INVALID_JSON(17, "invalid_json", 2, "invalid JSON"),
  REQUEST_TOO_LARGE(18, "request_too_large", 2, "request too large"),
  RATELIMITED(19, "ratelimited", 5, "rate limited"),
  UNKNOWN_TYPE(20, "unknown_type", 3, "unsupported message type"),
  SERVICE_UNAVAILABLE(21, "service_unavailable", 1, "service unavailable, retry"),
  INTERNAL_ERROR(22, "internal_error", 1, "internal error"),

  // The rest of the Web API surface (issue 3): wire numbers 300 and up.
  MESSAGE_NOT_FOUND(300, "message_not_found", 2, "message not found"),
  INVALID_THREAD_TS(301, "invalid_thread_ts", 2, "invalid thread_ts"),
  THREAD_NOT_FOUND(302, "thread_not_found", 2, "thread not found"),
  CANT_UPDATE_MESSAGE(303, "cant_update_message", 2, "cannot update this message"),
  CANT_DELETE_MESSAGE(304, "cant_delete_message", 2, "cannot delete this message"),
  ALREADY_REACTED(305, "already_reacted", 2, "already reacted"),
  NO_REACTION(306, "no_reaction", 2, "no such reaction"),
  NO_ITEM_SPECIFIED(307, "no_item_specified", 2, "channel and timestamp are required"),
  BAD_TIMESTAMP(308, "bad_timestamp", 2, "bad timestamp"),
  INVALID_TIMESTAMP(309, "invalid_timestamp", 2, "invalid timestamp"),
  INVALID_TS_LATEST(310, "invalid_ts_latest", 2, "invalid latest"),
  INVALID_TS_OLDEST(311, "invalid_ts_oldest", 2, "invalid oldest"),
  ALREADY_PINNED(312, "already_pinned", 2, "already pinned"),
  NO_PIN(313, "no_pin", 2, "not pinned"),
  CANT_KICK_SELF(314, "cant_kick_self", 2, "cannot kick self"),
  ALREADY_ARCHIVED(315, "already_archived", 2, "already archived"),
  NOT_ARCHIVED(316, "not_archived", 2, "not archived"),
  TOO_LONG(317, "too_long", 2, "too long"),
  USERS_LIST_NOT_SUPPLIED(318, "users_list_not_supplied", 2, "users are required"),
  TEAM_NOT_FOUND(319, "team_not_found", 2, "team not found"),
  INVALID_PROFILE(321, "invalid_profile", 2, "invalid profile"),
  NOT_AUTHORIZED(322, "not_authorized", 2, "not authorized"),
  INVALID_BLOCKS(323, "invalid_blocks", 2, "invalid blocks"),
  INVALID_ATTACHMENTS(324, "invalid_attachments", 2, "invalid attachments"),
  TOO_MANY_ATTACHMENTS(325, "too_many_attachments", 2, "too many attachments"),
  INVALID_BOOKMARK_TYPE(326, "invalid_bookmark_type", 2, "invalid bookmark type"),
  INVALID_LINK(327, "invalid_link", 2, "invalid link"),
  INVALID_EMOJI(328, "invalid_emoji", 2, "invalid emoji"),
  NOT_FOUND(329, "not_found", 2, "not found"),
  LAST_MEMBER(330, "last_member", 2, "last member cannot leave"),
  CANT_INVITE(332, "cant_invite", 2, "cannot invite to this conversation"),
  TOO_MANY_REACTIONS(333, "too_many_reactions", 2, "too many reactions"),
  NOT_ENOUGH_USERS(334, "not_enough_users", 2, "not enough users"),
  IS_INACTIVE(335, "is_inactive", 2, "conversation is archived"),
  INVALID_TYPES(336, "invalid_types", 2, "invalid types"),

  // Several teams (issue 7): admin.teams.create, users.register's team_id.
  DOMAIN_TAKEN(337, "domain_taken", 2, "team domain taken"),
  NAME_TAKEN_IN_ORG(338, "name_taken_in_org", 2, "team name taken"),
  NOT_AN_ADMIN(339, "not_an_admin", 2, "only the owner may do this"),
  MUST_PROVIDE_TEAM_DOMAIN(340, "must_provide_team_domain", 2, "team domain is required"),
  MUST_PROVIDE_TEAM_NAME(341, "must_provide_team_name", 2, "team name is required"),
  BAD_URL(342, "bad_url", 2, "invalid team domain");

  /** Stable number used as the event-bus failure code. Never reuse a retired number. */
  public final int wire;
  /** Slack Web API error string. */
  public final String slack;
  /** RTM error reply code. */
  public final int rtmCode;
  /** RTM error reply message. */
  public final String rtmMessage;

  ErrorCode(int wire, String slack, int rtmCode, String rtmMessage) {
    this.wire = wire;
    this.slack = slack;
    this.rtmCode = rtmCode;
    this.rtmMessage = rtmMessage;
  }

  private static final Map<Integer, ErrorCode> BY_WIRE = new HashMap<>();

  static {
    for (ErrorCode code : values()) {
      if (BY_WIRE.put(code.wire, code) != null) {
        throw new IllegalStateException("duplicate wire code " + code.wire);
      }
    }
  }

  /** The code for an event-bus failure code; anything unknown (timeouts, no handlers) is a retryable outage. */
  public static ErrorCode fromWire(int wire) {
    ErrorCode code = BY_WIRE.get(wire);
    return code == null ? SERVICE_UNAVAILABLE : code;
  }
}
