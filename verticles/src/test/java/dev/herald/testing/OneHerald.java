package dev.herald.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.herald.testing.ApiClient.TestUser;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One Herald with the default settings for a whole test class, and what most of its tests start from: users, a
 * public channel with members, sockets, and a sentinel message that shows a socket has caught up. A class that
 * needs other settings starts its own {@link HeraldFixture} instead.
 */
public abstract class OneHerald {
  protected static HeraldFixture herald;
  protected static ApiClient api;
  /** Makes every name unique within the run: users, channels, sentinel texts. */
  protected static final AtomicInteger names = new AtomicInteger();

  @BeforeAll
  static void startHerald() {
    herald = HeraldFixture.start();
    api = herald.api();
  }

  @AfterAll
  static void stopHerald() {
    herald.close();
  }

  protected static TestUser user(String name) {
    return api.register(name + "-" + names.incrementAndGet());
  }

  protected static RtmClient connect(TestUser user) {
    return RtmClient.connect(herald.vertx(), api, user.token());
  }

  /** A public channel created by {@code owner} and joined by {@code members}. */
  protected static String channel(TestUser owner, TestUser... members) {
    String id = api.createChannel(owner, "ch-" + names.incrementAndGet(), false);
    for (TestUser member : members) {
      api.ok("conversations.join", member.token(), "channel", id);
    }
    return id;
  }

  /** {@link Audience#sentinel} on this class's Herald. */
  protected static Supplier<Predicate<JsonObject>> sentinel(TestUser poster, String channel) {
    return Audience.sentinel(api, poster, channel);
  }

  /** The error of a response that must have failed. */
  protected static String error(JsonObject response) {
    assertFalse(response.getBoolean("ok"), response.encode());
    return response.getString("error");
  }
}
