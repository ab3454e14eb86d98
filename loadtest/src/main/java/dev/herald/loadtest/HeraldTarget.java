package dev.herald.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Herald through its public Web API: users.registerBatch, conversations.create and .invite, rtm.connect, chat.postMessage. */
public final class HeraldTarget implements Target {
  /** conversations.invite takes at most 1,000 users per call; smaller calls keep each one's time bounded. */
  private static final int INVITE_BATCH = 250;

  private final ServerUnderTest server;
  private final Api api;
  private final String prefix;

  public HeraldTarget(Vertx vertx, ServerUnderTest server, int httpConnections) {
    this.server = server;
    this.api = new Api(vertx, server.api(), httpConnections);
    this.prefix = "/api/";
  }

  public String name() {
    return "herald";
  }

  public ServerUnderTest server() {
    return server;
  }

  /** users.registerBatch takes at most 1,000 names per call; 500 keeps two calls' transactions side by side. */
  private static final int REGISTER_BATCH = 500;

  /**
   * Registration through the API's bulk form, {@code users.registerBatch}: the same validation, storage and
   * {@code team_join} code as {@code users.register}, a transaction per 500 users instead of per user.
   */
  public Future<Population> populate(int users, int channels) {
    String run = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    Population.Member[] members = new Population.Member[users];
    String[] channelIds = new String[channels];
    long start = System.nanoTime();
    long[] registered = new long[1];
    int calls = (users + REGISTER_BATCH - 1) / REGISTER_BATCH;
    return Bounded.run(calls, 2, b -> {
      int first = b * REGISTER_BATCH;
      int last = Math.min(users, first + REGISTER_BATCH);
      List<String> names = new ArrayList<>();
      for (int i = first; i < last; i++) {
        names.add("lt" + run + "u" + i);
      }
      return api.ok(prefix + "users.registerBatch", null, "names", String.join(",", names)).onSuccess(json -> {
        JsonArray batch = json.getJsonArray("registered");
        for (int i = first; i < last; i++) {
          JsonObject one = batch.getJsonObject(i - first);
          members[i] = new Population.Member(i, one.getJsonObject("user").getString("id"), one.getString("token"),
              Population.channelOf(i, channels));
        }
      });
    })
        .onSuccess(v -> registered[0] = System.nanoTime())
        // Member c (the first of channel c) creates it; the rest are invited in batches.
        .compose(v -> Bounded.run(channels, 8, c -> api.ok(prefix + "conversations.create", members[c].token(),
                "name", "lt" + run + "c" + c)
            .compose(json -> {
              channelIds[c] = json.getJsonObject("channel").getString("id");
              List<String> invitees = new ArrayList<>();
              for (int i = c + channels; i < users; i += channels) {
                invitees.add(members[i].userId());
              }
              int batches = (invitees.size() + INVITE_BATCH - 1) / INVITE_BATCH;
              return Bounded.run(batches, 1, b -> api.ok(prefix + "conversations.invite", members[c].token(),
                  "channel", channelIds[c], "users",
                  String.join(",", invitees.subList(b * INVITE_BATCH,
                      Math.min(invitees.size(), (b + 1) * INVITE_BATCH)))));
            })))
        .onSuccess(v -> System.err.printf(java.util.Locale.ROOT,
            "loadtest: herald: %d users registered in %.1f s, %d channels with their members in %.1f s%n", users,
            (registered[0] - start) / 1e9, channels, (System.nanoTime() - registered[0]) / 1e9))
        .map(v -> new Population(Arrays.asList(members), Arrays.asList(channelIds),
            Population.sizes(users, channels)));
  }

  public Future<String> socketUrl(Population population, Population.Member member) {
    return api.ok(prefix + "rtm.connect", member.token()).map(json -> json.getString("url"));
  }

  public Future<Boolean> post(Population population, Population.Member member, String text) {
    return api.post(prefix + "chat.postMessage", member.token(), "channel", population.channelId(member), "text", text)
        .map(Api::isOk);
  }
}
