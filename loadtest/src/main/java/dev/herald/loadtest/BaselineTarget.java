package dev.herald.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/** The {@link BaselineServer}: nothing to create, a socket URL names its channels, a post names its channel. */
public final class BaselineTarget implements Target {
  private final ServerUnderTest server;
  private final Api api;

  public BaselineTarget(Vertx vertx, ServerUnderTest server, int httpConnections) {
    this.server = server;
    this.api = new Api(vertx, server.api(), httpConnections);
  }

  public String name() {
    return "baseline";
  }

  public ServerUnderTest server() {
    return server;
  }

  public Future<Population> populate(int users, int channels) {
    List<Population.Member> members = new ArrayList<>(users);
    for (int i = 0; i < users; i++) {
      members.add(new Population.Member(i, "U" + i, "", Population.channelOf(i, channels)));
    }
    List<String> channelIds = new ArrayList<>(channels);
    for (int c = 0; c < channels; c++) {
      channelIds.add("C" + c);
    }
    return Future.succeededFuture(new Population(members, channelIds, Population.sizes(users, channels)));
  }

  public Future<String> socketUrl(Population population, Population.Member member) {
    return Future.succeededFuture(server.websocket() + "?user=" + member.userId() + "&channels="
        + population.channelId(member));
  }

  public Future<Boolean> post(Population population, Population.Member member, String text) {
    return api.post("/post", null, "user", member.userId(), "channel", population.channelId(member), "text", text)
        .map(Api::isOk);
  }
}
