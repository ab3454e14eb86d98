package dev.herald.cluster;

import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One user posting through {@code chat.postMessage} round-robin to channels and to whichever Webapps are listed,
 * until stopped. A post is acknowledged only by {@code ok:true} with a {@code ts}; an error, a broken connection or
 * no answer leaves it unacknowledged (the next post is simply a new message).
 */
final class ChaosPoster implements AutoCloseable {
  /** An acknowledged post. */
  record Ack(String channel, String ts, String sender, long sentAtMillis) {}

  private final TestUser user;
  private final Supplier<List<ApiClient>> apis;
  private final List<String> channels;
  private final long intervalMs;
  private final List<Ack> acks;
  private final AtomicInteger unacknowledged;
  private final Thread thread;
  private volatile boolean running = true;

  ChaosPoster(TestUser user, Supplier<List<ApiClient>> apis, List<String> channels, long intervalMs, int offset,
      List<Ack> acks, AtomicInteger unacknowledged) {
    this.user = user;
    this.apis = apis;
    this.channels = channels;
    this.intervalMs = intervalMs;
    this.acks = acks;
    this.unacknowledged = unacknowledged;
    this.thread = new Thread(() -> run(offset), "poster-" + user.name());
    thread.setDaemon(true);
    thread.start();
  }

  /** Acknowledged posts of every poster sharing {@code acks}. */
  static List<Ack> newAckList() {
    return new CopyOnWriteArrayList<>();
  }

  private void run(int offset) {
    int i = offset;
    while (running) {
      String channel = channels.get(i % channels.size());
      List<ApiClient> live = apis.get();
      ApiClient api = live.get(i % live.size());
      long sentAt = System.currentTimeMillis();
      try {
        JsonObject response = api.call("chat.postMessage", user.token(), "channel", channel,
            "text", user.name() + " #" + i);
        if (response.getBoolean("ok", false) && response.getString("ts") != null) {
          acks.add(new Ack(channel, response.getString("ts"), user.name(), sentAt));
        } else {
          unacknowledged.incrementAndGet();
        }
      } catch (AssertionError | RuntimeException e) {
        unacknowledged.incrementAndGet();
      }
      i++;
      long wait = sentAt + intervalMs - System.currentTimeMillis();
      if (wait > 0 && running) {
        LocalCluster.pause(wait);
      }
    }
  }

  /** Stops posting and waits for the post in flight (its answer still counts). */
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
