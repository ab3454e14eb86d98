package dev.herald.cluster;

import static dev.herald.testing.RtmClient.messageIn;

import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.RtmClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Clients and a steady stream of posts for the multi-JVM tests. */
final class Traffic {
  private Traffic() {}

  /** One accepted post: where, its {@code ts}, and when the request was sent. */
  record Post(String channel, String ts, long sentAtMillis) {}

  /** Connects {@code user} to the Gateway listening on {@code gatewayPort} (tickets go to any Gateway; retry). */
  static RtmClient connectOn(Vertx vertx, ApiClient api, TestUser user, int gatewayPort) {
    for (int attempt = 0; attempt < 40; attempt++) {
      String url = api.ok("rtm.connect", user.token()).getString("url");
      if (url.contains(":" + gatewayPort + "/")) {
        RtmClient client = RtmClient.open(vertx, url);
        client.await(e -> "hello".equals(e.getString("type")));
        return client;
      }
    }
    throw new AssertionError("rtm.connect never handed out the Gateway on port " + gatewayPort);
  }

  /** Posts round-robin to {@code channels}, alternating Webapps (and their users), until stopped. */
  static final class Poster implements AutoCloseable {
    private final List<ApiClient> apis;
    private final List<TestUser> users;
    private final List<String> channels;
    private final long intervalMs;
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    Poster(List<ApiClient> apis, List<TestUser> users, List<String> channels, long intervalMs) {
      this.apis = apis;
      this.users = users;
      this.channels = channels;
      this.intervalMs = intervalMs;
      this.thread = new Thread(this::run, "poster");
      thread.setDaemon(true);
      thread.start();
    }

    private void run() {
      int i = 0;
      while (running) {
        String channel = channels.get(i % channels.size());
        int via = i % apis.size();
        long sentAt = System.currentTimeMillis();
        try {
          JsonObject response = apis.get(via).call("chat.postMessage", users.get(via).token(), "channel", channel,
              "text", "stream " + i);
          if (response.getBoolean("ok", false)) {
            posts.add(new Post(channel, response.getString("ts"), sentAt));
          } else {
            failures.add(response.encode());
          }
        } catch (AssertionError e) {
          failures.add(e.toString());
        }
        i++;
        long next = sentAt + intervalMs;
        long wait = next - System.currentTimeMillis();
        if (wait > 0) {
          LocalCluster.pause(wait);
        }
      }
    }

    List<Post> posts() {
      return List.copyOf(posts);
    }

    List<Post> postsSentFrom(long millis) {
      return posts.stream().filter(p -> p.sentAtMillis() >= millis).toList();
    }

    List<String> failures() {
      return List.copyOf(failures);
    }

    /** Waits (bounded) until {@code count} posts have been accepted in all. */
    void awaitPosts(int count) {
      long deadline = System.currentTimeMillis() + 30_000;
      while (posts.size() < count) {
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError("only " + posts.size() + " of " + count + " posts accepted; failures "
              + failures);
        }
        LocalCluster.pause(10);
      }
    }

    /** Waits until {@code more} further posts have been accepted: traffic keeps flowing for a while. */
    void awaitMore(int more) {
      awaitPosts(posts.size() + more);
    }

    /** Stops posting and waits for the post in flight. */
    @Override
    public void close() {
      running = false;
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether a frame is a {@code message} in one of {@code channels} with one of {@code tss}. */
  static Predicate<JsonObject> messageWithTs(List<Post> posts) {
    Map<String, String> byTs = new HashMap<>();
    posts.forEach(p -> byTs.put(p.ts(), p.channel()));
    return e -> {
      String channel = byTs.get(e.getString("ts"));
      return channel != null && messageIn(channel).test(e);
    };
  }

  /**
   * Waits (bounded) until {@code client} has every post, then checks each arrived once and each channel's messages
   * arrived in {@code ts} order. Returns a description of what is wrong, or null.
   */
  static String checkDelivered(RtmClient client, List<Post> posts, long timeoutMs) {
    Predicate<JsonObject> wanted = messageWithTs(posts);
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (client.matching(wanted).size() < posts.size() && System.currentTimeMillis() < deadline) {
      LocalCluster.pause(20);
    }
    List<JsonObject> got = client.matching(wanted);
    Map<String, Integer> count = new HashMap<>();
    got.forEach(e -> count.merge(e.getString("ts"), 1, Integer::sum));
    List<String> missing = new ArrayList<>();
    List<String> duplicated = new ArrayList<>();
    for (Post p : posts) {
      int n = count.getOrDefault(p.ts(), 0);
      if (n == 0) {
        missing.add(p.channel() + "@" + p.ts());
      } else if (n > 1) {
        duplicated.add(p.channel() + "@" + p.ts() + " x" + n);
      }
    }
    Map<String, BigDecimal> lastTs = new HashMap<>();
    List<String> disorder = new ArrayList<>();
    for (JsonObject e : got) {
      BigDecimal ts = new BigDecimal(e.getString("ts"));
      BigDecimal before = lastTs.put(e.getString("channel"), ts);
      if (before != null && before.compareTo(ts) >= 0) {
        disorder.add(e.getString("channel") + ": " + ts + " after " + before);
      }
    }
    if (missing.isEmpty() && duplicated.isEmpty() && disorder.isEmpty()) {
      return null;
    }
    return "of " + posts.size() + " posts, missing " + missing.size() + " " + first(missing) + ", duplicated "
        + first(duplicated) + ", out of order " + first(disorder);
  }

  private static List<String> first(List<String> items) {
    return items.subList(0, Math.min(items.size(), 5));
  }
}
