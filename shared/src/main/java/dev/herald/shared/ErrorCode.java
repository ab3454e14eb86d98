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
  INTERNAL_ERROR(22, "internal_error", 1, "internal error");

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
