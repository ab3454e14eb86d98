package dev.herald.webapp;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.storage.Storage;
import dev.herald.storage.User;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * {@code team.info}: the caller's own team; other teams do not exist for them. {@code admin.teams.create}: a new
 * team, for the installation's owner only.
 */
public final class TeamMethods {
  /** Slack's domains: at most 21 characters (its {@code bad_url}); we also keep them to what a host name allows. */
  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,19}[a-z0-9])?");
  private static final int MAX_TEAM_NAME = 255;

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

  /**
   * {@code admin.teams.create}: {@code team_domain}, {@code team_name}. Slack keeps it to org owners and admins;
   * Herald's one owner role is the first user of each team, and only the owner of the default team (the
   * installation's first user, the nearest thing to an org owner) may create teams. Anyone else: {@code not_an_admin}.
   * The new team has no users; the first to register in it ({@code users.register} with {@code team_id}) owns it.
   */
  public Future<JsonObject> create(ApiCall call) {
    String domain = call.request().string("team_domain");
    String name = call.request().string("team_name");
    if (domain == null || domain.isBlank()) {
      return Future.failedFuture(new HeraldException(ErrorCode.MUST_PROVIDE_TEAM_DOMAIN));
    }
    if (name == null || name.isBlank()) {
      return Future.failedFuture(new HeraldException(ErrorCode.MUST_PROVIDE_TEAM_NAME));
    }
    if (!DOMAIN.matcher(domain).matches()) {
      return Future.failedFuture(new HeraldException(ErrorCode.BAD_URL));
    }
    String teamName = name.trim();
    if (teamName.length() > MAX_TEAM_NAME) {
      return Future.failedFuture(new HeraldException(ErrorCode.INVALID_ARGUMENTS, "team_name is too long"));
    }
    // Free text that every database must store: PostgreSQL refuses NUL, and no one can read a lone surrogate.
    if (teamName.codePoints().anyMatch(cp -> Character.isISOControl(cp) || Character.isSurrogate((char) cp))) {
      return Future.failedFuture(new HeraldException(ErrorCode.INVALID_ARGUMENTS, "team_name has control characters"));
    }
    User caller = call.user();
    return storage.defaultTeam().compose(home -> {
      if (!caller.isOwner() || !caller.teamId().equals(home.id())) {
        return Future.failedFuture(new HeraldException(ErrorCode.NOT_AN_ADMIN));
      }
      return storage.createTeam(teamName, domain).map(team -> new JsonObject().put("team", team.id()));
    });
  }
}
