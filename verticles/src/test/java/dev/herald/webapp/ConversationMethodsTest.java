package dev.herald.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.HeraldFixture;
import dev.herald.testing.RtmClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code conversations.*}: parameters, responses, error codes and the events each change sends. */
class ConversationMethodsTest {
  private static HeraldFixture herald;
  private static ApiClient api;
  private static final AtomicInteger names = new AtomicInteger();

  @BeforeAll
  static void start() {
    herald = HeraldFixture.start();
    api = herald.api();
  }

  @AfterAll
  static void stop() {
    herald.close();
  }

  private static TestUser user(String name) {
    return api.register(name + "-" + names.incrementAndGet());
  }

  private static String name(String prefix) {
    return prefix + "-" + names.incrementAndGet();
  }

  private static String channel(TestUser owner, TestUser... members) {
    String id = api.createChannel(owner, name("conv"), false);
    for (TestUser member : members) {
      api.ok("conversations.join", member.token(), "channel", id);
    }
    return id;
  }

  private static String error(JsonObject response) {
    assertFalse(response.getBoolean("ok"), response.encode());
    return response.getString("error");
  }

  private static RtmClient connect(TestUser user) {
    return RtmClient.connect(herald.vertx(), api, user.token());
  }

  private static List<String> post(TestUser user, String room, int count) {
    List<String> ts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ts.add(api.ok("chat.postMessage", user.token(), "channel", room, "text", "m" + i).getString("ts"));
    }
    return ts;
  }

  private static List<String> tsOf(JsonObject response) {
    List<String> out = new ArrayList<>();
    response.getJsonArray("messages").forEach(m -> out.add(((JsonObject) m).getString("ts")));
    return out;
  }

  @Test
  @DisplayName("conversations.create validates names as Slack does and refuses a taken one")
  void createErrors() {
    TestUser a = user("a");
    assertEquals("invalid_name_required", error(api.call("conversations.create", a.token())));
    assertEquals("invalid_name_specials", error(api.call("conversations.create", a.token(), "name", "Has Caps")));
    assertEquals("invalid_name_maxlength", error(api.call("conversations.create", a.token(),
        "name", "x".repeat(81))));
    assertEquals("invalid_name", error(api.call("conversations.create", a.token(), "name", "---")));
    assertEquals("invalid_arguments", error(api.call("conversations.create", a.token(), "name", name("x"),
        "is_private", "maybe")));
    String taken = name("taken");
    JsonObject created = api.ok("conversations.create", a.token(), "name", taken);
    JsonObject channel = created.getJsonObject("channel");
    assertEquals(taken, channel.getString("name"));
    assertEquals(true, channel.getBoolean("is_channel"));
    assertEquals(true, channel.getBoolean("is_member"));
    assertEquals(a.id(), channel.getString("creator"));
    assertEquals("name_taken", error(api.call("conversations.create", a.token(), "name", taken)));
  }

  @Test
  @DisplayName("conversations.join is idempotent with Slack's warning and refuses private and archived channels")
  void join() {
    TestUser a = user("a");
    TestUser b = user("b");
    String room = channel(a);
    api.ok("conversations.join", b.token(), "channel", room);
    JsonObject again = api.ok("conversations.join", b.token(), "channel", room);
    assertEquals("already_in_channel", again.getString("warning"));
    assertEquals(new JsonArray().add("already_in_channel"),
        again.getJsonObject("response_metadata").getJsonArray("warnings"));
    String secret = api.createChannel(a, name("secret"), true);
    assertEquals("channel_not_found", error(api.call("conversations.join", b.token(), "channel", secret)));
    assertEquals("method_not_supported_for_channel_type",
        error(api.call("conversations.join", a.token(), "channel", secret)));
    String archived = channel(a);
    api.ok("conversations.archive", a.token(), "channel", archived);
    assertEquals("is_archived", error(api.call("conversations.join", b.token(), "channel", archived)));
    assertEquals("channel_not_found", error(api.call("conversations.join", b.token())));
  }

  @Test
  @DisplayName("conversations.leave answers not_in_channel as Slack does and keeps a private channel's last member")
  void leave() {
    TestUser a = user("a");
    TestUser b = user("b");
    String room = channel(a, b);
    api.ok("conversations.leave", b.token(), "channel", room);
    JsonObject again = api.call("conversations.leave", b.token(), "channel", room);
    assertEquals(false, again.getBoolean("ok"));
    assertEquals(true, again.getBoolean("not_in_channel"));
    String secret = api.createChannel(a, name("secret"), true);
    assertEquals("last_member", error(api.call("conversations.leave", a.token(), "channel", secret)));
    JsonObject dm = api.ok("conversations.open", a.token(), "users", b.id());
    assertEquals("method_not_supported_for_channel_type", error(api.call("conversations.leave", a.token(),
        "channel", dm.getJsonObject("channel").getString("id"))));
  }

  @Test
  @DisplayName("conversations.invite adds members with member_joined_channel and refuses bad invitees, changing nothing")
  void invite() {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser c = user("c");
    String room = channel(a);
    try (RtmClient sa = connect(a); RtmClient sb = connect(b)) {
      api.ok("conversations.invite", a.token(), "channel", room, "users", b.id());
      JsonObject joined = sa.await(e -> "member_joined_channel".equals(e.getString("type"))
          && b.id().equals(e.getString("user")));
      assertEquals(a.id(), joined.getString("inviter"));
      assertEquals("C", joined.getString("channel_type"));
      sb.await(e -> "channel_joined".equals(e.getString("type")));
    }
    assertEquals("already_in_channel", error(api.call("conversations.invite", a.token(), "channel", room,
        "users", b.id() + "," + c.id())));
    assertEquals("user_not_found", error(api.call("conversations.invite", a.token(), "channel", room,
        "users", c.id() + ",U0NOBODY")));
    assertEquals("cant_invite_self", error(api.call("conversations.invite", a.token(), "channel", room,
        "users", a.id())));
    assertEquals("no_user", error(api.call("conversations.invite", a.token(), "channel", room)));
    assertEquals("not_in_channel", error(api.call("conversations.invite", c.token(), "channel", room,
        "users", a.id())));
    assertEquals(List.of(a.id(), b.id()).stream().sorted().toList(),
        api.ok("conversations.members", a.token(), "channel", room).getJsonArray("members").getList());
  }

  @Test
  @DisplayName("conversations.kick removes a member, who is told by channel_left with the kicker as actor")
  void kick() {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser c = user("c");
    String room = channel(a, b);
    try (RtmClient sa = connect(a); RtmClient sb = connect(b)) {
      api.ok("conversations.kick", a.token(), "channel", room, "user", b.id());
      JsonObject left = sb.await(e -> "channel_left".equals(e.getString("type")));
      assertEquals(room, left.getString("channel"));
      assertEquals(a.id(), left.getString("actor_id"));
      sa.await(e -> "member_left_channel".equals(e.getString("type")) && b.id().equals(e.getString("user")));
      // b's socket no longer receives the channel.
      api.ok("chat.postMessage", a.token(), "channel", room, "text", "after the kick");
      sa.await(e -> "after the kick".equals(e.getString("text")));
    }
    assertEquals("not_in_channel", error(api.call("conversations.kick", a.token(), "channel", room,
        "user", b.id())));
    assertEquals("cant_kick_self", error(api.call("conversations.kick", a.token(), "channel", room,
        "user", a.id())));
    assertEquals("user_not_found", error(api.call("conversations.kick", a.token(), "channel", room,
        "user", "U0NOBODY")));
    assertEquals("no_user", error(api.call("conversations.kick", a.token(), "channel", room)));
    assertEquals("not_in_channel", error(api.call("conversations.kick", c.token(), "channel", room,
        "user", a.id())));
  }

  @Test
  @DisplayName("conversations.list filters by types and exclude_archived and pages by cursor to an empty next_cursor")
  void list() {
    TestUser a = user("a");
    TestUser b = user("b");
    String open = channel(a);
    String secret = api.createChannel(a, name("secret"), true);
    String archived = channel(a);
    api.ok("conversations.archive", a.token(), "channel", archived);
    String dm = api.ok("conversations.open", a.token(), "users", b.id()).getJsonObject("channel").getString("id");

    Set<String> all = listAll(a, "public_channel,private_channel,im,mpim", false, 2);
    assertTrue(all.containsAll(List.of(open, secret, archived, dm)), all.toString());
    Set<String> publicOnly = listAll(a, null, false, 1000);
    assertTrue(publicOnly.contains(open) && publicOnly.contains(archived));
    assertFalse(publicOnly.contains(secret) || publicOnly.contains(dm));
    assertFalse(listAll(a, null, true, 1000).contains(archived));
    Set<String> ims = listAll(a, "im", false, 1000);
    assertEquals(Set.of(dm), ims);
    assertFalse(listAll(b, "private_channel", false, 1000).contains(secret));

    JsonObject last = api.ok("conversations.list", a.token(), "types", "im", "limit", "1000");
    assertEquals("", last.getJsonObject("response_metadata").getString("next_cursor"));
    JsonObject imObject = last.getJsonArray("channels").getJsonObject(0);
    assertEquals(true, imObject.getBoolean("is_im"));
    assertEquals(b.id(), imObject.getString("user"));
    assertEquals("invalid_types", error(api.call("conversations.list", a.token(), "types", "rooms")));
    assertEquals("invalid_cursor", error(api.call("conversations.list", a.token(), "cursor", "bogus!")));
    String membersCursor = api.ok("conversations.members", a.token(), "channel", open, "limit", "1")
        .getJsonObject("response_metadata").getString("next_cursor");
    assertEquals("", membersCursor, "one member, one page");
  }

  private static Set<String> listAll(TestUser user, String types, boolean excludeArchived, int limit) {
    Set<String> ids = new HashSet<>();
    String cursor = "";
    int pages = 0;
    do {
      List<String> params = new ArrayList<>(List.of("limit", Integer.toString(limit),
          "exclude_archived", Boolean.toString(excludeArchived)));
      if (types != null) {
        params.addAll(List.of("types", types));
      }
      if (!cursor.isEmpty()) {
        params.addAll(List.of("cursor", cursor));
      }
      JsonObject page = api.ok("conversations.list", user.token(), params.toArray(String[]::new));
      assertTrue(page.getJsonArray("channels").size() <= limit);
      page.getJsonArray("channels").forEach(c -> assertTrue(ids.add(((JsonObject) c).getString("id"))));
      cursor = page.getJsonObject("response_metadata").getString("next_cursor");
      assertTrue(++pages < 1000);
    } while (!cursor.isEmpty());
    return ids;
  }

  @Test
  @DisplayName("conversations.history follows Slack's latest, oldest, inclusive, limit and cursor semantics")
  void historySemantics() {
    TestUser a = user("a");
    String room = channel(a);
    List<String> ts = post(a, room, 6);
    List<String> newestFirst = new ArrayList<>(ts);
    java.util.Collections.reverse(newestFirst);

    JsonObject all = api.ok("conversations.history", a.token(), "channel", room);
    assertEquals(newestFirst, tsOf(all));
    assertEquals(false, all.getBoolean("has_more"));
    assertEquals("", all.getJsonObject("response_metadata").getString("next_cursor"));

    // latest and oldest exclude their own ts unless inclusive.
    assertEquals(List.of(ts.get(3), ts.get(2)), tsOf(api.ok("conversations.history", a.token(), "channel", room,
        "latest", ts.get(4), "oldest", ts.get(1))));
    assertEquals(List.of(ts.get(4), ts.get(3), ts.get(2), ts.get(1)), tsOf(api.ok("conversations.history",
        a.token(), "channel", room, "latest", ts.get(4), "oldest", ts.get(1), "inclusive", "true")));
    // Both bounds: the messages closest to latest.
    assertEquals(List.of(ts.get(3), ts.get(2)), tsOf(api.ok("conversations.history", a.token(), "channel", room,
        "latest", ts.get(4), "oldest", ts.get(0), "limit", "2")));
    // Only oldest: the messages closest to oldest, still newest first.
    JsonObject forward = api.ok("conversations.history", a.token(), "channel", room, "oldest", ts.get(0),
        "limit", "2");
    assertEquals(List.of(ts.get(2), ts.get(1)), tsOf(forward));
    assertEquals(true, forward.getBoolean("has_more"));
    JsonObject forwardNext = api.ok("conversations.history", a.token(), "channel", room, "oldest", ts.get(0),
        "limit", "2", "cursor", forward.getJsonObject("response_metadata").getString("next_cursor"));
    assertEquals(List.of(ts.get(4), ts.get(3)), tsOf(forwardNext));

    // Paging back with the cursor visits every message once.
    List<String> paged = new ArrayList<>();
    String cursor = "";
    do {
      JsonObject page = cursor.isEmpty()
          ? api.ok("conversations.history", a.token(), "channel", room, "limit", "4")
          : api.ok("conversations.history", a.token(), "channel", room, "limit", "4", "cursor", cursor);
      paged.addAll(tsOf(page));
      cursor = page.getJsonObject("response_metadata").getString("next_cursor");
      assertEquals(!cursor.isEmpty(), page.getBoolean("has_more"));
    } while (!cursor.isEmpty());
    assertEquals(newestFirst, paged);

    // ts values are strings, unique and sortable.
    assertEquals(6, new HashSet<>(ts).size());
    for (int i = 1; i < ts.size(); i++) {
      assertTrue(ts.get(i - 1).compareTo(ts.get(i)) < 0);
    }
    assertEquals("invalid_ts_latest", error(api.call("conversations.history", a.token(), "channel", room,
        "latest", "soon")));
    assertEquals("invalid_ts_oldest", error(api.call("conversations.history", a.token(), "channel", room,
        "oldest", "-1")));
    assertEquals("invalid_cursor", error(api.call("conversations.history", a.token(), "channel", room,
        "cursor", Cursors.encode("history", "sideways"))));
    assertEquals("invalid_cursor", error(api.call("conversations.history", a.token(), "channel", room,
        "cursor", Cursors.encode("list", "C1"))));
    assertEquals("invalid_arguments", error(api.call("conversations.history", a.token(), "channel", room,
        "limit", "many")));
  }

  @Test
  @DisplayName("conversations.replies returns the parent then the replies, paged by cursor, and thread_not_found otherwise")
  void replies() {
    TestUser a = user("a");
    TestUser outsider = user("out");
    String room = channel(a);
    String parent = api.ok("chat.postMessage", a.token(), "channel", room, "text", "parent").getString("ts");
    List<String> replies = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      replies.add(api.ok("chat.postMessage", a.token(), "channel", room, "text", "r" + i, "thread_ts", parent)
          .getString("ts"));
    }
    JsonObject first = api.ok("conversations.replies", a.token(), "channel", room, "ts", parent, "limit", "2");
    assertEquals(List.of(parent, replies.get(0), replies.get(1)), tsOf(first));
    assertEquals(true, first.getBoolean("has_more"));
    JsonObject parentJson = first.getJsonArray("messages").getJsonObject(0);
    assertEquals(3, parentJson.getInteger("reply_count"));
    assertEquals(replies.get(2), parentJson.getString("latest_reply"));
    assertEquals(a.id(), first.getJsonArray("messages").getJsonObject(1).getString("parent_user_id"));
    JsonObject second = api.ok("conversations.replies", a.token(), "channel", room, "ts", parent, "limit", "2",
        "cursor", first.getJsonObject("response_metadata").getString("next_cursor"));
    assertEquals(List.of(parent, replies.get(2)), tsOf(second));
    assertEquals("", second.getJsonObject("response_metadata").getString("next_cursor"));
    assertEquals("thread_not_found", error(api.call("conversations.replies", a.token(), "channel", room,
        "ts", "1.000001")));
    assertEquals("thread_not_found", error(api.call("conversations.replies", a.token(), "channel", room,
        "ts", "noon")));
    assertEquals("invalid_arguments", error(api.call("conversations.replies", a.token(), "channel", room)));
    assertEquals("not_in_channel", error(api.call("conversations.replies", outsider.token(), "channel", room,
        "ts", parent)));
  }

  @Test
  @DisplayName("conversations.info tells membership, member count and the caller's read marker")
  void infoAndMark() {
    TestUser a = user("a");
    TestUser b = user("b");
    String room = channel(a, b);
    List<String> ts = post(a, room, 2);
    JsonObject info = api.ok("conversations.info", b.token(), "channel", room, "include_num_members", "true")
        .getJsonObject("channel");
    assertEquals(true, info.getBoolean("is_member"));
    assertEquals(2, info.getInteger("num_members"));
    assertEquals("0000000000.000000".length(), info.getString("last_read").length());
    try (RtmClient sb = connect(b)) {
      api.ok("conversations.mark", b.token(), "channel", room, "ts", ts.get(1));
      JsonObject marked = sb.await(e -> "channel_marked".equals(e.getString("type")));
      assertEquals(room, marked.getString("channel"));
      assertEquals(ts.get(1), marked.getString("ts"));
    }
    assertEquals(ts.get(1), api.ok("conversations.info", b.token(), "channel", room).getJsonObject("channel")
        .getString("last_read"));
    assertNull(api.ok("conversations.info", b.token(), "channel", room).getJsonObject("channel")
        .getValue("num_members"));
    assertEquals("invalid_timestamp", error(api.call("conversations.mark", b.token(), "channel", room,
        "ts", "later")));
    assertEquals("invalid_timestamp", error(api.call("conversations.mark", b.token(), "channel", room)));
    TestUser outsider = user("out");
    assertEquals("not_in_channel", error(api.call("conversations.mark", outsider.token(), "channel", room,
        "ts", ts.get(0))));
    assertEquals(false, api.ok("conversations.info", outsider.token(), "channel", room).getJsonObject("channel")
        .getBoolean("is_member"));
    assertEquals("channel_not_found", error(api.call("conversations.info", a.token(), "channel", "C0NOPE")));
  }

  @Test
  @DisplayName("conversations.rename renames with a channel_rename event and a channel_name message")
  void rename() {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser outsider = user("out");
    String room = channel(a, b);
    String newName = name("renamed");
    try (RtmClient so = connect(outsider); RtmClient sb = connect(b)) {
      JsonObject renamed = api.ok("conversations.rename", a.token(), "channel", room, "name", newName);
      assertEquals(newName, renamed.getJsonObject("channel").getString("name"));
      // A public channel's rename reaches the whole team.
      JsonObject event = so.await(e -> "channel_rename".equals(e.getString("type")));
      assertEquals(room, event.getJsonObject("channel").getString("id"));
      assertEquals(newName, event.getJsonObject("channel").getString("name"));
      JsonObject message = sb.await(e -> "channel_name".equals(e.getString("subtype")));
      assertEquals(newName, message.getString("name"));
    }
    assertEquals(newName, api.ok("conversations.info", a.token(), "channel", room).getJsonObject("channel")
        .getString("name"));
    String other = channel(a);
    assertEquals("name_taken", error(api.call("conversations.rename", a.token(), "channel", other,
        "name", newName)));
    assertEquals("invalid_name_specials", error(api.call("conversations.rename", a.token(), "channel", other,
        "name", "No Way")));
    assertEquals("not_in_channel", error(api.call("conversations.rename", outsider.token(), "channel", room,
        "name", name("x"))));
  }

  @Test
  @DisplayName("conversations.archive and unarchive flip the state once, tell the team, and block posting meanwhile")
  void archiveAndUnarchive() {
    TestUser a = user("a");
    TestUser outsider = user("out");
    String room = channel(a);
    try (RtmClient so = connect(outsider)) {
      api.ok("conversations.archive", a.token(), "channel", room);
      JsonObject archived = so.await(e -> "channel_archive".equals(e.getString("type")));
      assertEquals(room, archived.getString("channel"));
      assertEquals(a.id(), archived.getString("user"));
      assertEquals("already_archived", error(api.call("conversations.archive", a.token(), "channel", room)));
      assertEquals("is_archived", error(api.call("chat.postMessage", a.token(), "channel", room, "text", "x")));
      assertEquals(true, api.ok("conversations.info", a.token(), "channel", room).getJsonObject("channel")
          .getBoolean("is_archived"));
      api.ok("conversations.unarchive", a.token(), "channel", room);
      so.await(e -> "channel_unarchive".equals(e.getString("type")));
    }
    assertEquals("not_archived", error(api.call("conversations.unarchive", a.token(), "channel", room)));
    api.ok("chat.postMessage", a.token(), "channel", room, "text", "back");
    assertEquals("not_in_channel", error(api.call("conversations.archive", outsider.token(), "channel", room)));
  }

  @Test
  @DisplayName("conversations.setTopic and setPurpose store the value and post channel_topic and channel_purpose")
  void topicAndPurpose() {
    TestUser a = user("a");
    TestUser b = user("b");
    String room = channel(a, b);
    try (RtmClient sb = connect(b)) {
      JsonObject topic = api.ok("conversations.setTopic", a.token(), "channel", room, "topic", "deploys");
      assertEquals("deploys", topic.getJsonObject("channel").getJsonObject("topic").getString("value"));
      JsonObject topicMessage = sb.await(e -> "channel_topic".equals(e.getString("subtype")));
      assertEquals("deploys", topicMessage.getString("topic"));
      assertEquals(a.id(), topicMessage.getString("user"));
      api.ok("conversations.setPurpose", a.token(), "channel", room, "purpose", "ship it");
      JsonObject purposeMessage = sb.await(e -> "channel_purpose".equals(e.getString("subtype")));
      assertEquals("ship it", purposeMessage.getString("purpose"));
    }
    JsonObject info = api.ok("conversations.info", a.token(), "channel", room).getJsonObject("channel");
    assertEquals("deploys", info.getJsonObject("topic").getString("value"));
    assertEquals(a.id(), info.getJsonObject("topic").getString("creator"));
    assertEquals("ship it", info.getJsonObject("purpose").getString("value"));
    assertEquals("too_long", error(api.call("conversations.setTopic", a.token(), "channel", room,
        "topic", "t".repeat(ConversationMethods.MAX_TOPIC + 1))));
    assertEquals("too_long", error(api.call("conversations.setPurpose", a.token(), "channel", room,
        "purpose", "p".repeat(ConversationMethods.MAX_TOPIC + 1))));
    TestUser outsider = user("out");
    assertEquals("not_in_channel", error(api.call("conversations.setTopic", outsider.token(), "channel", room,
        "topic", "mine")));
  }

  @Test
  @DisplayName("conversations.open finds or creates DMs and group DMs, and both sides receive them at once")
  void open() {
    TestUser a = user("a");
    TestUser b = user("b");
    TestUser c = user("c");
    try (RtmClient sa = connect(a); RtmClient sb = connect(b)) {
      JsonObject opened = api.ok("conversations.open", a.token(), "users", b.id());
      String dm = opened.getJsonObject("channel").getString("id");
      assertTrue(dm.startsWith("D"), dm);
      assertNull(opened.getValue("already_open"));
      JsonObject created = sb.await(e -> "im_created".equals(e.getString("type")));
      assertEquals(dm, created.getJsonObject("channel").getString("id"));
      assertEquals(a.id(), created.getJsonObject("channel").getString("user"));
      sa.await(e -> "im_created".equals(e.getString("type")));
      // The same pair, either way round, gets the same DM.
      JsonObject again = api.ok("conversations.open", b.token(), "users", a.id(), "return_im", "true");
      assertEquals(dm, again.getJsonObject("channel").getString("id"));
      assertEquals(true, again.getBoolean("already_open"));
      assertEquals(true, again.getJsonObject("channel").getBoolean("is_im"));
      assertEquals(a.id(), again.getJsonObject("channel").getString("user"));
      // Messages flow at once, on the sockets opened before the DM existed.
      api.ok("chat.postMessage", a.token(), "channel", dm, "text", "direct");
      JsonObject direct = sb.await(e -> "direct".equals(e.getString("text")));
      assertEquals("im", direct.getString("channel_type"));
    }
    JsonObject group = api.ok("conversations.open", a.token(), "users", b.id() + "," + c.id());
    JsonObject mpim = group.getJsonObject("channel");
    assertEquals(true, mpim.getBoolean("is_mpim"));
    assertTrue(mpim.getString("name").startsWith("mpdm-"));
    assertEquals(3, api.ok("conversations.members", c.token(), "channel", mpim.getString("id"))
        .getJsonArray("members").size());
    assertEquals(mpim.getString("id"), api.ok("conversations.open", c.token(), "channel", mpim.getString("id"))
        .getJsonObject("channel").getString("id"));
    TestUser outsider = user("out");
    assertEquals("channel_not_found", error(api.call("conversations.history", outsider.token(),
        "channel", mpim.getString("id"))));
    assertEquals("users_list_not_supplied", error(api.call("conversations.open", a.token())));
    assertEquals("user_not_found", error(api.call("conversations.open", a.token(), "users", "U0NOBODY")));
    List<String> crowd = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      crowd.add(user("crowd").id());
    }
    assertEquals("too_many_users", error(api.call("conversations.open", a.token(), "users",
        String.join(",", crowd))));
    String room = channel(a);
    assertEquals("method_not_supported_for_channel_type", error(api.call("conversations.open", a.token(),
        "channel", room)));
  }
}
