package dev.herald.shared;

/** A failure a client is told about with a Slack error code. Cheap: no stack trace, since it is expected. */
public final class HeraldException extends RuntimeException {
  private final ErrorCode code;

  public HeraldException(ErrorCode code) {
    this(code, code.slack);
  }

  public HeraldException(ErrorCode code, String detail) {
    super(detail, null, false, false);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  /** The error code behind any failure: ours as is, a bus reply failure by its code, anything else internal. */
  public static ErrorCode codeOf(Throwable failure) {
    if (failure instanceof HeraldException herald) {
      return herald.code;
    }
    if (failure instanceof io.vertx.core.eventbus.ReplyException reply) {
      return reply.failureType() == io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE
          ? ErrorCode.fromWire(reply.failureCode())
          : ErrorCode.SERVICE_UNAVAILABLE;
    }
    return ErrorCode.INTERNAL_ERROR;
  }
}
