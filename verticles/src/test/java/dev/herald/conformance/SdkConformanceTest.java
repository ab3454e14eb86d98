package dev.herald.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.methods.response.users.UsersInfoResponse;
import com.slack.api.model.Message;
import com.slack.api.model.block.Blocks;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.BlockCompositions;
import com.slack.api.model.event.Event;
import com.slack.api.model.event.HelloEvent;
import com.slack.api.model.event.MessageChangedEvent;
import com.slack.api.model.event.MessageDeletedEvent;
import com.slack.api.model.event.MessageEvent;
import com.slack.api.model.event.ReactionAddedEvent;
import com.slack.api.model.event.UserTypingEvent;
import com.slack.api.rtm.RTMClient;
import com.slack.api.rtm.RTMEventHandler;
import com.slack.api.rtm.RTMEventsDispatcher;
import com.slack.api.rtm.RTMEventsDispatcherFactory;
import com.slack.api.rtm.message.Typing;
import com.slack.api.util.http.SlackHttpClient;
import dev.herald.testing.HeraldFixture;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import okhttp3.FormBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Slack's official SDKs, unmodified, against a running Herald: the Node {@code @slack/web-api} 7.x and 8.x with
 * {@code @slack/rtm-api} (scripts under {@code src/test/node}, installed by {@code npm ci} in scripts/test.sh), and
 * the Java {@code slack-api-client} (its MethodsClient, async client and RTM client). Each walks the same journey;
 * the server's tier-4 limit is kept tiny so the rate-limit step is really rate limited.
 */
class SdkConformanceTest {
  private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
  private static final long DEADLINE_MS = 20_000;

  private static HeraldFixture herald;
  private static String baseUrl;

  @BeforeAll
  static void start() {
    herald = HeraldFixture.start(HeraldFixture.newDataDir(), new JsonObject().put("webapp", new JsonObject()
        .put("rate_limits", new JsonObject()
            .put("enabled", true)
            // Tier 4 (users.info, the burst's method) at 2 calls per 4 s: even the Java async client, which paces
            // itself by Slack's published tiers, outruns it; each wait (Retry-After: 2) stays short.
            .put("window_seconds", 4)
            .put("tier4", 2)
            .put("min_burst", 1))));
    baseUrl = "http://127.0.0.1:" + herald.herald().webappPort() + "/api/";
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  // ---- Node: @slack/web-api 7.x and 8.x, @slack/rtm-api ----

  @Test
  @DisplayName("the Node SDK @slack/web-api 7.x with @slack/rtm-api completes the whole journey")
  void nodeWebApi7() throws Exception {
    runNode("web-api-7");
  }

  @Test
  @DisplayName("the Node SDK @slack/web-api 8.x with @slack/rtm-api completes the whole journey")
  void nodeWebApi8() throws Exception {
    runNode("web-api-8");
  }

  private static void runNode(String variant) throws Exception {
    if (!Files.isDirectory(NODE_DIR.resolve("node_modules").resolve(variant))) {
      fail("the Node SDKs are not installed: run `npm ci` in " + NODE_DIR + " (scripts/test.sh does)");
    }
    Process node = new ProcessBuilder("node", "conformance.js", variant, baseUrl)
        .directory(NODE_DIR.toFile())
        .redirectErrorStream(true)
        .start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(node.getInputStream()));
    boolean finished = node.waitFor(150, TimeUnit.SECONDS);
    if (!finished) {
      node.destroyForcibly();
    }
    String log = output.get(10, TimeUnit.SECONDS);
    System.out.println("---- node conformance.js " + variant + " ----\n" + log);
    assertTrue(finished, "node did not finish within 150 s:\n" + log);
    assertEquals(0, node.exitValue(), "node conformance.js " + variant + " failed:\n" + log);
    assertTrue(log.contains(variant + ": all steps passed"), log);
  }

  private static String readAll(InputStream in) {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }

  // ---- Java: com.slack.api:slack-api-client ----

  /** A registered user, with a MethodsClient bound to their token. */
  private record SdkUser(String id, String token, MethodsClient methods) {}

  private static SdkUser register(Slack slack, String name) throws Exception {
    // users.register is Herald's own; the SDK's raw form runner reaches any method.
    try (Response response = slack.methods().runPostForm(new FormBody.Builder().add("name", name), "users.register")) {
      assertEquals(200, response.code());
      JsonObject body = new JsonObject(response.body().string());
      assertTrue(body.getBoolean("ok"), body.encode());
      String token = body.getString("token");
      return new SdkUser(body.getJsonObject("user").getString("id"), token, slack.methods(token));
    }
  }

  /** Events an RTM client received, parsed by the SDK's own typed dispatcher. */
  private static final class Received {
    private final List<Event> events = new ArrayList<>();

    <E extends Event> void collect(RTMEventsDispatcher dispatcher, Class<E> type) {
      dispatcher.register(new RTMEventHandler<E>() {
        @Override
        public Class<E> getEventClass() {
          return type;
        }

        @Override
        public void handle(E event) {
          synchronized (events) {
            events.add(event);
            events.notifyAll();
          }
        }
      });
    }

    <E extends Event> E await(Class<E> type, Predicate<E> match) throws InterruptedException {
      long deadline = System.currentTimeMillis() + DEADLINE_MS;
      synchronized (events) {
        while (true) {
          for (Event e : events) {
            if (type.isInstance(e) && match.test(type.cast(e))) {
              return type.cast(e);
            }
          }
          long left = deadline - System.currentTimeMillis();
          if (left <= 0) {
            throw new AssertionError("no " + type.getSimpleName() + " matched within the deadline; got " + events);
          }
          events.wait(Math.min(left, 200));
        }
      }
    }
  }

  private static RTMClient connect(Slack slack, SdkUser user, Received received, List<String> raw) throws Exception {
    RTMClient rtm = slack.rtmConnect(user.token());
    assertEquals(user.id(), rtm.getConnectedBotUser().getId());
    RTMEventsDispatcher dispatcher = RTMEventsDispatcherFactory.getInstance();
    for (Class<? extends Event> type : List.of(HelloEvent.class, MessageEvent.class, MessageChangedEvent.class,
        MessageDeletedEvent.class, ReactionAddedEvent.class, UserTypingEvent.class)) {
      received.collect(dispatcher, type);
    }
    rtm.addMessageHandler(dispatcher.toMessageHandler());
    rtm.addMessageHandler(message -> {
      synchronized (raw) {
        raw.add(message);
        raw.notifyAll();
      }
    });
    rtm.connect();
    received.await(HelloEvent.class, e -> true);
    return rtm;
  }

  private static JsonObject awaitRaw(List<String> raw, Predicate<JsonObject> match) throws InterruptedException {
    long deadline = System.currentTimeMillis() + DEADLINE_MS;
    synchronized (raw) {
      while (true) {
        for (String text : raw) {
          JsonObject frame = new JsonObject(text);
          if (match.test(frame)) {
            return frame;
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          throw new AssertionError("no matching frame within the deadline; got " + raw);
        }
        raw.wait(Math.min(left, 200));
      }
    }
  }

  @Test
  @DisplayName("the Java SDK slack-api-client (MethodsClient, async client and RTM client) completes the whole journey")
  void javaSlackApiClient() throws Exception {
    AtomicInteger rateLimitedResponses = new AtomicInteger();
    AtomicLong lastRetryAfter = new AtomicLong(-1);
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(baseUrl);
    // The SDK runs its response listeners only on HTTP 200, so 429s are counted on the wire by an OkHttp
    // interceptor handed to the SDK's own HTTP client.
    okhttp3.OkHttpClient wire = new okhttp3.OkHttpClient.Builder().addInterceptor(chain -> {
      Response response = chain.proceed(chain.request());
      if (response.code() == 429) {
        rateLimitedResponses.incrementAndGet();
        lastRetryAfter.set(Long.parseLong(response.header("Retry-After", "-1")));
      }
      return response;
    }).build();
    Slack slack = Slack.getInstance(config, new SlackHttpClient(wire));
    String suffix = "j" + System.nanoTime() % 1_000_000;

    // register → create channel → join
    SdkUser alice = register(slack, "alice-" + suffix);
    SdkUser bob = register(slack, "bob-" + suffix);
    SdkUser carol = register(slack, "carol-" + suffix);
    assertEquals(alice.id(), alice.methods().authTest(r -> r).getUserId());
    var created = alice.methods().conversationsCreate(r -> r.name("java-" + suffix));
    assertTrue(created.isOk(), created.getError());
    String channel = created.getChannel().getId();
    var joined = bob.methods().conversationsJoin(r -> r.channel(channel));
    assertTrue(joined.isOk(), joined.getError());

    // RTM connect: the SDK's rtmConnect calls rtm.connect and users.info, then opens the socket.
    Received aliceEvents = new Received();
    Received bobEvents = new Received();
    List<String> aliceRaw = new ArrayList<>();
    List<String> bobRaw = new ArrayList<>();
    try (RTMClient aliceRtm = connect(slack, alice, aliceEvents, aliceRaw);
        RTMClient bobRtm = connect(slack, bob, bobEvents, bobRaw)) {

      // post over HTTP with blocks → bob's socket, parsed as the SDK's MessageEvent
      List<LayoutBlock> blocks = List.of(Blocks.section(s -> s.text(BlockCompositions.markdownText("*hello* from java"))));
      ChatPostMessageResponse posted = alice.methods().chatPostMessage(r -> r.channel(channel)
          .text("hello from java").blocks(blocks));
      assertTrue(posted.isOk(), posted.getError());
      assertEquals(1, posted.getMessage().getBlocks().size());
      MessageEvent seen = bobEvents.await(MessageEvent.class, e -> posted.getTs().equals(e.getTs()));
      assertEquals("hello from java", seen.getText());
      assertEquals(alice.id(), seen.getUser());
      assertEquals(channel, seen.getChannel());
      assertEquals("channel", seen.getChannelType());
      assertEquals(1, seen.getBlocks().size());

      // post over RTM → acknowledged with reply_to and ts → alice's socket
      long id = 42;
      bobRtm.sendMessage(com.slack.api.rtm.message.Message.builder().id(id).channel(channel)
          .text("hello over java rtm").build().toJSONString());
      JsonObject ack = awaitRaw(bobRaw, f -> f.getValue("reply_to") instanceof Number n && n.longValue() == id);
      assertTrue(ack.getBoolean("ok"), ack.encode());
      String rtmTs = ack.getString("ts");
      MessageEvent overRtm = aliceEvents.await(MessageEvent.class, e -> rtmTs.equals(e.getTs()));
      assertEquals(bob.id(), overRtm.getUser());

      // typing → user_typing on the other socket only
      aliceRtm.sendMessage(Typing.builder().id(43L).channel(channel).build().toJSONString());
      UserTypingEvent typing = bobEvents.await(UserTypingEvent.class, e -> alice.id().equals(e.getUser()));
      assertEquals(channel, typing.getChannel());

      // react, edit, delete → typed events
      var reacted = bob.methods().reactionsAdd(r -> r.channel(channel).timestamp(posted.getTs()).name("tada"));
      assertTrue(reacted.isOk(), reacted.getError());
      ReactionAddedEvent reaction = aliceEvents.await(ReactionAddedEvent.class,
          e -> posted.getTs().equals(e.getItem().getTs()));
      assertEquals("tada", reaction.getReaction());
      assertEquals(alice.id(), reaction.getItemUser());

      var updated = alice.methods().chatUpdate(r -> r.channel(channel).ts(posted.getTs()).text("edited from java"));
      assertTrue(updated.isOk(), updated.getError());
      MessageChangedEvent changed = bobEvents.await(MessageChangedEvent.class,
          e -> posted.getTs().equals(e.getMessage().getTs()));
      assertEquals("edited from java", changed.getMessage().getText());
      assertEquals(alice.id(), changed.getMessage().getEdited().getUser());

      var deleted = alice.methods().chatDelete(r -> r.channel(channel).ts(posted.getTs()));
      assertTrue(deleted.isOk(), deleted.getError());
      MessageDeletedEvent gone = bobEvents.await(MessageDeletedEvent.class,
          e -> posted.getTs().equals(e.getDeletedTs()));
      assertEquals(channel, gone.getChannel());

      // paginate history: the Java SDK has no paginator, so its cursor fields drive the loop
      List<String> expected = new ArrayList<>(List.of(rtmTs));
      for (int i = 0; i < 7; i++) {
        int n = i;
        expected.add(alice.methods().chatPostMessage(r -> r.channel(channel).text("page " + n)).getTs());
      }
      List<Message> paged = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        String at = cursor;
        ConversationsHistoryResponse page = alice.methods().conversationsHistory(r -> r.channel(channel).limit(3)
            .cursor(at));
        assertTrue(page.isOk(), page.getError());
        paged.addAll(page.getMessages());
        assertNotNull(page.getResponseMetadata(), "response_metadata must always be present");
        cursor = page.getResponseMetadata().getNextCursor();
        pages++;
      } while (cursor != null && !cursor.isEmpty());
      // The oldest message is bob's channel_join, posted when he joined; then what was posted since, each once.
      Message join = paged.remove(paged.size() - 1);
      assertEquals("channel_join", join.getSubtype());
      assertEquals(bob.id(), join.getUser());
      java.util.Collections.reverse(expected);
      assertEquals(expected, paged.stream().map(Message::getTs).toList());
      assertEquals(3, pages);
    }

    // a burst the server rate-limits: the async client waits Retry-After out and retries each call
    List<CompletableFuture<UsersInfoResponse>> burst = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      burst.add(slack.methodsAsync(carol.token()).usersInfo(r -> r.user(alice.id())));
    }
    for (CompletableFuture<UsersInfoResponse> call : burst) {
      UsersInfoResponse info = call.get(60, TimeUnit.SECONDS);
      assertTrue(info.isOk(), info.getError());
      assertEquals(alice.id(), info.getUser().getId());
    }
    assertTrue(rateLimitedResponses.get() >= 1, "the server never rate-limited the burst");
    assertTrue(lastRetryAfter.get() >= 1, "Retry-After must be a positive integer");

    // an API error: HTTP 200, ok=false, Slack's error code where the SDK puts it
    ChatPostMessageResponse lost = alice.methods().chatPostMessage(r -> r.channel("C0NOTACHANNEL").text("lost"));
    assertFalse(lost.isOk());
    assertEquals("channel_not_found", lost.getError());
  }
}
