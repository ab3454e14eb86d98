package dev.herald.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.gateway.GatewayVerticle;
import dev.herald.gateway.TicketBook;
import dev.herald.shared.bus.SubscribeRequest;
import dev.herald.shared.config.HeraldConfig;
import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.Audience;
import dev.herald.testing.HeraldFixture;
import dev.herald.testing.RtmClient;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A joiner whose Gateway is not yet receiving the conversation: it learns of the join only from
 * {@code channel_joined} on the user's own channel, which is not ordered with the conversation's events, so it must
 * replay the conversation from the seq the join took. Two Gateways, told apart by address: the default one on
 * 127.0.0.1 and a second on 127.0.0.2, each with its own tickets; {@code rtm.connect} asks whichever answers first, so
 * the test connects until each user's socket is on the Gateway it needs. The joiner's Gateway's subscription to the
 * conversation is held back on the bus until what followed the join has been delivered to the other Gateway, so the
 * race it would otherwise usually win is lost every time: only the replay can bring those events.
 */
class JoinAcrossGatewaysTest {
  private static final String SECOND_HOST = "127.0.0.2";
  private static final AtomicInteger names = new AtomicInteger();
  private static HeraldFixture herald;
  private static ApiClient api;
  private static volatile String holdSubscriptionsTo;
  private static final List<DeliveryContext<Object>> held = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    herald = HeraldFixture.start(HeraldFixture.newDataDir(),
        new JsonObject().put("gateway", new JsonObject().put("instances", 1)));
    api = herald.api();
    HeraldConfig second = herald.herald().config()
        .with(new JsonObject().put("gateway", new JsonObject().put("host", SECOND_HOST).put("port", 0)));
    HeraldFixture.await(herald.vertx().deployVerticle(
        new GatewayVerticle(second, new TicketBook(second.gateway().ticketTtlMs()))));
    herald.vertx().eventBus().addOutboundInterceptor(ctx -> {
      String hold = holdSubscriptionsTo;
      if (hold != null && ctx.message().body() instanceof SubscribeRequest r && r.subscribe()
          && r.channelIds().contains(hold)) {
        held.add(ctx);
        return;
      }
      ctx.next();
    });
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  @Test
  @DisplayName("a joiner alone on its Gateway gets its own channel_join and the first message after it, once each")
  void joinerOnAGatewayNotYetReceivingTheConversation() {
    TestUser a = api.register("a-" + names.incrementAndGet());
    TestUser b = api.register("b-" + names.incrementAndGet());
    String room = api.createChannel(a, "room-" + names.incrementAndGet(), false);
    try (RtmClient sa = connectOn(a, "127.0.0.1"); RtmClient sb = connectOn(b, SECOND_HOST)) {
      holdSubscriptionsTo = room;
      api.ok("conversations.join", b.token(), "channel", room);
      String first = "right after the join " + names.incrementAndGet();
      api.ok("chat.postMessage", a.token(), "channel", room, "text", first);
      Predicate<JsonObject> firstMessage = e -> first.equals(e.getString("text"));
      // Released by the room's Channel server before b's Gateway is subscribed.
      sa.await(firstMessage);
      long deadline = System.currentTimeMillis() + HeraldFixture.TIMEOUT_SECONDS * 1000;
      while (held.isEmpty() && System.currentTimeMillis() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
      }
      assertEquals(1, held.size(), "b's Gateway's subscription to the room was held back");
      holdSubscriptionsTo = null;
      held.forEach(DeliveryContext::next);
      JsonObject join = Audience.check(Audience.subtype("channel_join", room), List.of(sa, sb), List.of(),
          Audience.sentinel(api, a, room));
      assertEquals(b.id(), join.getString("user"));
      assertEquals(1, sb.matching(firstMessage).size(), "the message right after the join, once");
      assertEquals(1, sa.matching(firstMessage).size());
    }
  }

  /** Connects the user until {@code rtm.connect} hands out a URL on the given Gateway address. */
  private static RtmClient connectOn(TestUser user, String host) {
    for (int attempt = 0; attempt < 50; attempt++) {
      String url = api.ok("rtm.connect", user.token()).getString("url");
      if (url.startsWith("ws://" + host + ":")) {
        RtmClient client = RtmClient.open(herald.vertx(), url);
        client.await(e -> "hello".equals(e.getString("type")));
        return client;
      }
    }
    throw new AssertionError("rtm.connect never handed out a URL on " + host);
  }
}
