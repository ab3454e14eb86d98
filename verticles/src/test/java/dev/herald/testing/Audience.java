package dev.herald.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * "Exactly once to these sockets, never to those", without sleeping: wait for the event at every recipient, then
 * trigger a later sentinel event that every socket receives, and count what arrived before it.
 */
public final class Audience {
  private Audience() {}

  /**
   * @param sentinel triggers the sentinel and returns a predicate matching it; it must reach every socket
   * @return the event as the first recipient received it
   */
  public static JsonObject check(Predicate<JsonObject> event, List<RtmClient> to, List<RtmClient> never,
      Supplier<Predicate<JsonObject>> sentinel) {
    JsonObject first = null;
    for (RtmClient socket : to) {
      JsonObject got = socket.await(event);
      first = first == null ? got : first;
    }
    Predicate<JsonObject> after = sentinel.get();
    List<RtmClient> all = new ArrayList<>(to);
    all.addAll(never);
    for (RtmClient socket : all) {
      socket.await(after);
    }
    for (int i = 0; i < to.size(); i++) {
      assertEquals(1, to.get(i).matching(event).size(), "recipient " + i + " gets it exactly once");
    }
    for (int i = 0; i < never.size(); i++) {
      assertEquals(List.of(), never.get(i).matching(event), "non-recipient " + i + " gets nothing");
    }
    return first;
  }

  private static final java.util.concurrent.atomic.AtomicInteger SENTINELS = new java.util.concurrent.atomic.AtomicInteger();

  /**
   * For {@link #check}: posts a fresh message to {@code channel} as {@code poster} and matches it. Once a socket has
   * it, any event published before it would have reached that socket too.
   */
  public static Supplier<Predicate<JsonObject>> sentinel(ApiClient api, ApiClient.TestUser poster, String channel) {
    return () -> {
      String text = "sentinel " + SENTINELS.incrementAndGet();
      api.ok("chat.postMessage", poster.token(), "channel", channel, "text", text);
      return e -> text.equals(e.getString("text"));
    };
  }

  public static Predicate<JsonObject> type(String type) {
    return e -> type.equals(e.getString("type"));
  }

  public static Predicate<JsonObject> type(String type, String channel) {
    return e -> type.equals(e.getString("type")) && channel.equals(channelOf(e));
  }

  public static Predicate<JsonObject> subtype(String subtype, String channel) {
    return e -> "message".equals(e.getString("type")) && subtype.equals(e.getString("subtype"))
        && channel.equals(e.getString("channel"));
  }

  /** {@code channel} is an id in most events and an object in some ({@code channel_created}, {@code channel_rename}). */
  public static String channelOf(JsonObject e) {
    Object c = e.getValue("channel");
    if (c instanceof JsonObject o) {
      return o.getString("id");
    }
    return c instanceof String s ? s : e.getString("channel_id");
  }
}
