package dev.herald.webapp;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.storage.Storage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code team.info}: the caller's own team; other teams do not exist for them. */
public final class TeamMethods {
  private final Storage storage;

  public TeamMethods(Storage storage) {
    this.storage = storage;
  }

  public Future<JsonObject> info(ApiCall call) {
    String teamId = call.request().string("team");
    if (teamId != null && !teamId.equals(call.user().teamId())) {
      return Future.failedFuture(new HeraldException(ErrorCode.TEAM_NOT_FOUND));
    }
    return storage.team(call.user().teamId()).compose(team -> team == null
        ? Future.failedFuture(new HeraldException(ErrorCode.TEAM_NOT_FOUND))
        : Future.succeededFuture(new JsonObject().put("team", SlackJson.teamInfo(team))));
  }
}
