package dev.herald.webapp;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** A Web API method: the response body without {@code ok}, or a failed future carrying a Slack error. */
@FunctionalInterface
public interface ApiMethod {
  Future<JsonObject> call(ApiCall call);
}
