package dev.herald.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.gateway.RtmFrames;
import dev.herald.shared.ErrorCode;
import dev.herald.testing.ApiClient;
import dev.herald.testing.ApiClient.TestUser;
import dev.herald.testing.HeraldFixture;
import dev.herald.testing.RtmClient;
import dev.herald.webapp.WebApi;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The access-control suite (issue 7): every Web API method that names a conversation, message or user, and every
 * RTM frame that names a conversation or user, tried by someone on the wrong side of a boundary: another team, a
 * private channel they are not in, a DM and a group DM they are not in. Each attempt must fail with Slack's error
 * and change nothing: the targets read the same to their members afterwards, and the members' sockets hear
 * nothing of the attacker.
 *
 * <p>The cases are keyed by method name and checked against {@link WebApi#methods()}: a new method fails the suite
 * until it gets a case here or a stated reason why it names nothing (there are no file methods yet; a {@code files.*}
 * method would land here too).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CrossTeamAccessTest {
  /** A conversation someone must not reach, with a message (that has a reply, a pin and a reaction) in it. */
  record Target(String boundary, TestUser attacker, String channel, String ts, TestUser member, String bookmark) {
    @Override
    public String toString() {
      return boundary + " " + channel;
    }
  }

  /** One attempt: parameters, and the error it must get. */
  record Attempt(String[] params, String error) {
    static Attempt of(String error, String... params) {
      return new Attempt(params, error);
    }
  }

  private static final String CHANNEL_NOT_FOUND = ErrorCode.CHANNEL_NOT_FOUND.slack;
  private static final String USER_NOT_FOUND = ErrorCode.USER_NOT_FOUND.slack;

  private static HeraldFixture herald;
  private static ApiClient api;
  private static TestUser owner;
  private static TestUser alice;
  private static TestUser bob;
  private static TestUser carol;
  private static TestUser mallory;
  private static TestUser bert;
  private static TestUser bea;
  private static String teamA;
  private static String teamB;
  /** Each attacker's own public channel, where they may invite and kick: the user boundary is tried there. */
  private static final Map<String, String> OWN = new LinkedHashMap<>();
  private static final List<Target> TARGETS = new ArrayList<>();

  @BeforeAll
  static void start() {
    herald = HeraldFixture.start();
    api = herald.api();
    owner = api.register("owner");
    alice = api.register("alice");
    bob = api.register("bob");
    carol = api.register("carol");
    mallory = api.register("mallory");
    teamA = api.ok("auth.test", alice.token()).getString("team_id");
    teamB = api.ok("admin.teams.create", owner.token(), "team_domain", "beta", "team_name", "Beta")
        .getString("team");
    bert = registerIn(teamB, "bert");
    bea = registerIn(teamB, "bea");
    OWN.put(mallory.id(), api.createChannel(mallory, "mallory-own", false));
    OWN.put(bert.id(), api.createChannel(bert, "bert-own", false));

    // Team boundary, both ways: a public channel is as invisible as anything else to another team.
    String apub = api.createChannel(alice, "a-public", false);
    api.ok("conversations.join", bob.token(), "channel", apub);
    TARGETS.add(populate("team", bert, apub, alice, bob));
    String bpub = api.createChannel(bert, "b-public", false);
    api.ok("conversations.join", bea.token(), "channel", bpub);
    TARGETS.add(populate("team", mallory, bpub, bea, bert));
    String bdm = api.ok("conversations.open", bert.token(), "users", bea.id()).getJsonObject("channel").getString("id");
    TARGETS.add(populate("team", mallory, bdm, bea, bert));
    // Privacy boundaries within a team.
    String secret = api.createChannel(alice, "secret", true);
    api.ok("conversations.invite", alice.token(), "channel", secret, "users", bob.id());
    TARGETS.add(populate("private", mallory, secret, alice, bob));
    String dm = api.ok("conversations.open", alice.token(), "users", bob.id()).getJsonObject("channel").getString("id");
    TARGETS.add(populate("dm", mallory, dm, alice, bob));
    String mpim = api.ok("conversations.open", alice.token(), "users", bob.id() + "," + carol.id())
        .getJsonObject("channel").getString("id");
    TARGETS.add(populate("mpim", mallory, mpim, alice, bob));
  }

  @AfterAll
  static void stop() {
    if (herald != null) {
      herald.close();
    }
  }

  private static TestUser registerIn(String team, String name) {
    JsonObject response = api.ok("users.register", null, "name", name, "team_id", team);
    return new TestUser(response.getJsonObject("user").getString("id"), name, response.getString("token"));
  }

  /** A message with a reply, a pin, a reaction and (where the kind allows) a bookmark. */
  private static Target populate(String boundary, TestUser attacker, String channel, TestUser member,
      TestUser other) {
    String ts = api.ok("chat.postMessage", member.token(), "channel", channel, "text", "private words")
        .getString("ts");
    api.ok("chat.postMessage", other.token(), "channel", channel, "text", "a reply", "thread_ts", ts);
    api.ok("pins.add", member.token(), "channel", channel, "timestamp", ts);
    api.ok("reactions.add", member.token(), "channel", channel, "timestamp", ts, "name", "eyes");
    JsonObject bookmark = api.call("bookmarks.add", member.token(), "channel_id", channel, "title", "plans",
        "type", "link", "link", "https://example.com/plans");
    String bookmarkId = bookmark.getBoolean("ok")
        ? bookmark.getJsonObject("bookmark").getString("id")
        : "Bk0000000000";
    return new Target(boundary, attacker, channel, ts, member, bookmarkId);
  }

  // ---- the cases ----

  /** Methods that name no conversation, message or user of anyone else, and why they need no case. */
  private static final Map<String, String> NAMES_NOTHING = Map.ofEntries(
      Map.entry("api.test", "echoes its arguments"),
      Map.entry("auth.test", "the caller only"),
      Map.entry("auth.revoke", "the caller's token only"),
      Map.entry("rtm.connect", "its resume names channels: tried in rtmFrames"),
      Map.entry("users.register", "team_id: tried in teams"),
      Map.entry("users.registerBatch", "team_id: the same code as users.register, tried in teams"),
      Map.entry("admin.teams.create", "tried in teams"),
      Map.entry("conversations.create", "creates in the caller's team"),
      Map.entry("conversations.list", "lists: tried in lists"),
      Map.entry("users.list", "lists: tried in lists"),
      Map.entry("users.setPresence", "the caller only"));

  /** Per method, the attempts against one target. */
  private static final Map<String, Function<Target, List<Attempt>>> CASES = new LinkedHashMap<>();

  private static void channel(String method, Function<Target, String[]> params) {
    CASES.put(method, t -> List.of(new Attempt(params.apply(t), CHANNEL_NOT_FOUND)));
  }

  /** A method whose only target is a user: tried across the team boundary (within a team users are public). */
  private static void user(String method, String error, Function<Target, String[]> params) {
    CASES.put(method, t -> t.boundary().equals("team") ? List.of(new Attempt(params.apply(t), error)) : List.of());
  }

  /** A method naming both: the conversation, then (team boundary) the attacker's own channel with the user. */
  private static void both(String method, String userError, Function<Target, String[]> onTarget,
      Function<Target, String[]> onOwn) {
    CASES.put(method, t -> {
      List<Attempt> attempts = new ArrayList<>();
      attempts.add(new Attempt(onTarget.apply(t), CHANNEL_NOT_FOUND));
      if (t.boundary().equals("team")) {
        attempts.add(new Attempt(onOwn.apply(t), userError));
      }
      return attempts;
    });
  }

  private static String own(Target t) {
    return OWN.get(t.attacker().id());
  }

  static {
    channel("conversations.info", t -> new String[] {"channel", t.channel(), "include_num_members", "true"});
    channel("conversations.history", t -> new String[] {"channel", t.channel()});
    channel("conversations.replies", t -> new String[] {"channel", t.channel(), "ts", t.ts()});
    channel("conversations.members", t -> new String[] {"channel", t.channel()});
    channel("conversations.join", t -> new String[] {"channel", t.channel()});
    channel("conversations.leave", t -> new String[] {"channel", t.channel()});
    channel("conversations.rename", t -> new String[] {"channel", t.channel(), "name", "pwned"});
    channel("conversations.archive", t -> new String[] {"channel", t.channel()});
    channel("conversations.unarchive", t -> new String[] {"channel", t.channel()});
    channel("conversations.setTopic", t -> new String[] {"channel", t.channel(), "topic", "pwned"});
    channel("conversations.setPurpose", t -> new String[] {"channel", t.channel(), "purpose", "pwned"});
    channel("conversations.mark", t -> new String[] {"channel", t.channel(), "ts", t.ts()});
    both("conversations.invite", USER_NOT_FOUND,
        // Not the attacker's own id: cant_invite_self is checked before the channel.
        t -> new String[] {"channel", t.channel(), "users", t.member().id()},
        t -> new String[] {"channel", own(t), "users", t.member().id()});
    both("conversations.kick", USER_NOT_FOUND,
        t -> new String[] {"channel", t.channel(), "user", t.member().id()},
        t -> new String[] {"channel", own(t), "user", t.member().id()});
    both("conversations.open", USER_NOT_FOUND,
        t -> new String[] {"channel", t.channel()},
        t -> new String[] {"users", t.member().id()});
    channel("chat.postMessage", t -> new String[] {"channel", t.channel(), "text", "in"});
    channel("chat.meMessage", t -> new String[] {"channel", t.channel(), "text", "in"});
    // Another team's user is not in the caller's channel, like any non-member: Slack's user_not_in_channel.
    both("chat.postEphemeral", ErrorCode.USER_NOT_IN_CHANNEL.slack,
        t -> new String[] {"channel", t.channel(), "text", "in", "user", t.member().id()},
        t -> new String[] {"channel", own(t), "text", "in", "user", t.member().id()});
    channel("chat.update", t -> new String[] {"channel", t.channel(), "ts", t.ts(), "text", "pwned"});
    channel("chat.delete", t -> new String[] {"channel", t.channel(), "ts", t.ts()});
    channel("chat.getPermalink", t -> new String[] {"channel", t.channel(), "message_ts", t.ts()});
    channel("reactions.add", t -> new String[] {"channel", t.channel(), "timestamp", t.ts(), "name", "fire"});
    channel("reactions.remove", t -> new String[] {"channel", t.channel(), "timestamp", t.ts(), "name", "eyes"});
    channel("reactions.get", t -> new String[] {"channel", t.channel(), "timestamp", t.ts(), "full", "true"});
    user("reactions.list", USER_NOT_FOUND, t -> new String[] {"user", t.member().id()});
    channel("pins.add", t -> new String[] {"channel", t.channel(), "timestamp", t.ts()});
    channel("pins.remove", t -> new String[] {"channel", t.channel(), "timestamp", t.ts()});
    channel("pins.list", t -> new String[] {"channel", t.channel()});
    channel("bookmarks.add", t -> new String[] {"channel_id", t.channel(), "title", "t", "type", "link",
        "link", "https://example.com/pwned"});
    channel("bookmarks.edit", t -> new String[] {"channel_id", t.channel(), "bookmark_id", t.bookmark(),
        "title", "pwned"});
    channel("bookmarks.remove", t -> new String[] {"channel_id", t.channel(), "bookmark_id", t.bookmark()});
    channel("bookmarks.list", t -> new String[] {"channel_id", t.channel()});
    user("users.info", USER_NOT_FOUND, t -> new String[] {"user", t.member().id()});
    user("users.profile.get", USER_NOT_FOUND, t -> new String[] {"user", t.member().id()});
    user("users.getPresence", USER_NOT_FOUND, t -> new String[] {"user", t.member().id()});
    user("users.conversations", USER_NOT_FOUND, t -> new String[] {"user", t.member().id(),
        "types", "public_channel,private_channel,mpim,im"});
    // Only one's own profile may be set, whoever the other is.
    user("users.profile.set", ErrorCode.NOT_AUTHORIZED.slack, t -> new String[] {"user", t.member().id(),
        "name", "title", "value", "pwned"});
    user("team.info", ErrorCode.TEAM_NOT_FOUND.slack, t -> new String[] {"team", t.attacker() == bert ? teamA : teamB});
  }

  @Test
  @Order(1)
  @DisplayName("every method of the route table has a case, or a stated reason why it names nothing")
  void everyMethodHasACase() {
    Set<String> served = new TreeSet<>(new WebApi(null, null, null, null, () -> "", null, null).methods());
    Set<String> covered = new TreeSet<>(CASES.keySet());
    covered.addAll(NAMES_NOTHING.keySet());
    assertEquals(served, covered, "methods without a case (or cases without a method)");
    Set<String> twice = new HashSet<>(CASES.keySet());
    twice.retainAll(NAMES_NOTHING.keySet());
    assertEquals(Set.of(), twice, "a method both has a case and names nothing");
  }

  @Test
  @Order(2)
  @DisplayName("teams: only the installation's owner creates them, with Slack's errors; users register into one")
  void teams() {
    assertTrue(api.ok("users.info", owner.token(), "user", owner.id()).getJsonObject("user").getBoolean("is_owner"));
    assertFalse(api.ok("users.info", alice.token(), "user", alice.id()).getJsonObject("user").getBoolean("is_owner"));
    // bert owns team B, but creating teams is for the default team's owner only.
    assertTrue(api.ok("users.info", bert.token(), "user", bert.id()).getJsonObject("user").getBoolean("is_owner"));
    Map<String, String[]> refused = new LinkedHashMap<>();
    refused.put("not_an_admin", new String[] {mallory.token(), "gamma", "Gamma"});
    refused.put("not_an_admin ", new String[] {bert.token(), "gamma", "Gamma"});
    refused.put("domain_taken", new String[] {owner.token(), "beta", "Another"});
    refused.put("domain_taken ", new String[] {owner.token(), "herald", "Another"});
    refused.put("name_taken_in_org", new String[] {owner.token(), "another", "Beta"});
    refused.put("bad_url", new String[] {owner.token(), "Not A Domain", "Gamma"});
    refused.put("bad_url ", new String[] {owner.token(), "a".repeat(22), "Gamma"});
    for (Map.Entry<String, String[]> e : refused.entrySet()) {
      String[] v = e.getValue();
      assertEquals(e.getKey().trim(), api.call("admin.teams.create", v[0], "team_domain", v[1], "team_name", v[2])
          .getString("error"), Arrays.toString(v));
    }
    assertEquals("invalid_arguments", api.call("admin.teams.create", owner.token(), "team_domain", "nul",
        "team_name", "a\u0000b").getString("error"));
    assertEquals("must_provide_team_domain",
        api.call("admin.teams.create", owner.token(), "team_name", "Gamma").getString("error"));
    assertEquals("must_provide_team_name",
        api.call("admin.teams.create", owner.token(), "team_domain", "gamma").getString("error"));
    assertEquals("not_authed", api.call("admin.teams.create", null, "team_domain", "g", "team_name", "G")
        .getString("error"));

    for (String bad : List.of("TNOSUCHTEAM", "not a team", "T" + "9".repeat(40))) {
      assertEquals("team_not_found", api.call("users.register", null, "name", "zed", "team_id", bad)
          .getString("error"), bad);
    }
    // A name is unique within a team only; the new user is of the team asked for, everywhere it shows.
    TestUser otherAlice = registerIn(teamB, "alice");
    assertNotEquals(alice.id(), otherAlice.id());
    assertEquals(teamB, api.ok("auth.test", otherAlice.token()).getString("team_id"));
    assertEquals("beta", api.ok("team.info", otherAlice.token()).getJsonObject("team").getString("domain"));
    assertEquals("beta", api.ok("rtm.connect", otherAlice.token()).getJsonObject("team").getString("domain"));
    assertEquals(teamA, api.ok("auth.test", alice.token()).getString("team_id"));
  }

  @Test
  @Order(3)
  @DisplayName("every method naming a conversation, message or user, across every boundary: Slack's error, no change")
  void everyMethodAcrossEveryBoundary() {
    Map<Target, String> before = new LinkedHashMap<>();
    TARGETS.forEach(t -> before.put(t, state(t)));
    String ownBefore = ownState();
    try (RtmClient aliceSocket = RtmClient.connect(herald.vertx(), api, alice.token());
        RtmClient beaSocket = RtmClient.connect(herald.vertx(), api, bea.token())) {
      List<String> leaks = new ArrayList<>();
      int tried = 0;
      for (Target target : TARGETS) {
        for (Map.Entry<String, Function<Target, List<Attempt>>> c : CASES.entrySet()) {
          for (Attempt attempt : c.getValue().apply(target)) {
            tried++;
            JsonObject response = api.call(c.getKey(), target.attacker().token(), attempt.params());
            if (response.getBoolean("ok") || !attempt.error().equals(response.getString("error"))) {
              leaks.add(target + ": " + c.getKey() + " " + Arrays.toString(attempt.params()) + " -> "
                  + response.encode() + " (wanted " + attempt.error() + ")");
            }
          }
        }
      }
      assertEquals(List.of(), leaks);
      assertTrue(tried > TARGETS.size() * 30, "tried " + tried);
      for (Target t : TARGETS) {
        assertEquals(before.get(t), state(t), "changed: " + t);
      }
      assertEquals(ownBefore, ownState(), "the attackers' own channels or the victims' profiles changed");

      // The members' sockets heard nothing of the attempts: a sentinel posted after them arrives first.
      for (Target t : TARGETS) {
        RtmClient socket = t.member() == alice ? aliceSocket : beaSocket;
        String text = "sentinel " + t.channel();
        api.ok("chat.postMessage", t.member().token(), "channel", t.channel(), "text", text);
        socket.await(e -> text.equals(e.getString("text")));
      }
      assertNoMention(aliceSocket, mallory.id(), bert.id());
      assertNoMention(beaSocket, mallory.id());
    }
  }

  /** What a member sees of the target. */
  private static String state(Target t) {
    String token = t.member().token();
    String c = t.channel();
    JsonObject info = api.ok("conversations.info", token, "channel", c, "include_num_members", "true");
    return new JsonObject()
        .put("info", info.getJsonObject("channel"))
        .put("history", api.ok("conversations.history", token, "channel", c).getJsonArray("messages"))
        .put("replies", api.ok("conversations.replies", token, "channel", c, "ts", t.ts()).getJsonArray("messages"))
        .put("members", api.ok("conversations.members", token, "channel", c).getJsonArray("members"))
        .put("pins", api.ok("pins.list", token, "channel", c).getJsonArray("items"))
        .put("reactions", api.ok("reactions.get", token, "channel", c, "timestamp", t.ts(), "full", "true")
            .getJsonObject("message"))
        .put("bookmarks", api.ok("bookmarks.list", token, "channel_id", c).getJsonArray("bookmarks"))
        .encode();
  }

  /** The attackers' own channels (the invites and kicks went there) and the victims' profiles. */
  private static String ownState() {
    StringBuilder state = new StringBuilder();
    state.append(api.ok("conversations.members", mallory.token(), "channel", OWN.get(mallory.id())).encode());
    state.append(api.ok("conversations.members", bert.token(), "channel", OWN.get(bert.id())).encode());
    for (TestUser u : List.of(alice, bob, bea, bert)) {
      state.append(api.ok("users.profile.get", u.token()).getJsonObject("profile").encode());
    }
    return state.toString();
  }

  private static void assertNoMention(RtmClient socket, String... ids) {
    for (JsonObject frame : socket.matching(e -> true)) {
      for (String id : ids) {
        assertFalse(frame.encode().contains(id), "a member's socket heard of " + id + ": " + frame.encode());
      }
    }
  }

  @Test
  @Order(4)
  @DisplayName("lists show only the caller's team")
  void lists() {
    String types = "public_channel,private_channel,mpim,im";
    Set<String> bIds = new HashSet<>(List.of(teamB, bert.id(), bea.id()));
    Set<String> aIds = new HashSet<>(List.of(teamA, alice.id(), bob.id(), mallory.id(), owner.id(),
        OWN.get(mallory.id())));
    for (Target t : TARGETS) {
      (t.attacker() == bert ? aIds : bIds).add(t.channel());
    }
    for (String method : List.of("conversations.list", "users.conversations", "users.list", "reactions.list")) {
      assertNoneOf(api.ok(method, mallory.token(), "types", types, "limit", "1000").encode(), bIds, method);
      assertNoneOf(api.ok(method, bert.token(), "types", types, "limit", "1000").encode(), aIds, method);
    }
    // And each team does see its own.
    String bUsers = api.ok("users.list", bea.token()).encode();
    assertTrue(bUsers.contains(bert.id()) && bUsers.contains(bea.id()), bUsers);
    assertTrue(api.ok("conversations.list", bea.token()).encode().contains(OWN.get(bert.id())));
  }

  private static void assertNoneOf(String listed, Set<String> ids, String what) {
    for (String id : ids) {
      assertFalse(listed.contains(id), what + " shows " + id + " of the other side: " + listed);
    }
  }

  @Test
  @Order(5)
  @DisplayName("RTM: frames naming another team's or a private conversation get errors; no event crosses teams")
  void rtmFrames() {
    // Frames that name a conversation; presence_sub names users; ping names nothing.
    assertEquals(Set.of("ping", "message", "presence_sub", "typing"), RtmFrames.CLIENT_TYPES,
        "a new client frame type needs its cases here");
    // Resuming claims positions in channels: none of the other side's may replay anything.
    try (RtmClient mallorySocket = RtmClient.connect(herald.vertx(), api, mallory.token(), "resume",
            resumeOf(mallory, teamB));
        RtmClient bertSocket = RtmClient.connect(herald.vertx(), api, bert.token(), "resume", resumeOf(bert, teamA));
        RtmClient aliceSocket = RtmClient.connect(herald.vertx(), api, alice.token())) {
      Map<Target, String> before = new LinkedHashMap<>();
      TARGETS.forEach(t -> before.put(t, state(t)));
      for (Target t : TARGETS) {
        RtmClient socket = t.attacker() == bert ? bertSocket : mallorySocket;
        for (String type : List.of("message", "typing")) {
          int id = socket.send(new JsonObject().put("type", type).put("channel", t.channel()).put("text", "in"));
          JsonObject reply = socket.awaitReply(id);
          assertEquals(false, reply.getBoolean("ok"), type + " on " + t + ": " + reply);
          assertEquals(ErrorCode.CHANNEL_NOT_FOUND.rtmMessage, reply.getJsonObject("error").getString("msg"),
              type + " on " + t + ": " + reply);
        }
      }
      // Typing on a team's own channel is no conversation either.
      int id = mallorySocket.send(new JsonObject().put("type", "typing").put("channel", teamB));
      assertEquals(false, mallorySocket.awaitReply(id).getBoolean("ok"));
      TARGETS.forEach(t -> assertEquals(before.get(t), state(t), "changed over RTM: " + t));

      // presence_sub for users of the other team is accepted (Slack does not check it) but hears nothing.
      malloryPresence(mallorySocket, bertSocket);

      // Team-wide events of team B: a newcomer, a profile change, a new public channel.
      TestUser bo = registerIn(teamB, "bo");
      api.ok("users.profile.set", bea.token(), "name", "title", "b secret title");
      String bNews = api.createChannel(bert, "b-news", false);
      bertSocket.await(e -> "team_join".equals(e.getString("type"))
          && bo.id().equals(e.getJsonObject("user").getString("id")));
      bertSocket.await(e -> "user_change".equals(e.getString("type")));
      bertSocket.await(e -> "channel_created".equals(e.getString("type")));
      // The one Gateway wrote team B's events to every socket on team B's channel before the sentinel of team A,
      // so team A's sockets, had they been on it, would have them by the time the sentinel arrives.
      TestUser al = api.register("al");
      mallorySocket.await(e -> "team_join".equals(e.getString("type"))
          && al.id().equals(e.getJsonObject("user").getString("id")));
      aliceSocket.await(e -> "team_join".equals(e.getString("type"))
          && al.id().equals(e.getJsonObject("user").getString("id")));
      // And the other way: after team A's newcomer, team B's sentinel.
      String sentinel = "b sentinel";
      api.ok("chat.postMessage", bert.token(), "channel", OWN.get(bert.id()), "text", sentinel);
      bertSocket.await(e -> sentinel.equals(e.getString("text")));

      List<String> bSide = new ArrayList<>(List.of(teamB, bert.id(), bea.id(), bo.id(), bNews, "b secret title"));
      List<String> aSide = new ArrayList<>(List.of(teamA, al.id(), alice.id(), mallory.id()));
      for (Target t : TARGETS) {
        (t.attacker() == bert ? aSide : bSide).add(t.channel());
      }
      // Mallory's socket heard nothing of team B, nor of the private conversations; Bert's nothing of team A.
      assertSocketSilentAbout(mallorySocket, bSide);
      assertSocketSilentAbout(bertSocket, aSide);
      assertTrue(mallorySocket.matching(e -> "channel_history_changed".equals(e.getString("type"))).isEmpty(),
          "a resume of channels one may not see answered something");
    }
  }

  /** Positions at the start of every conversation {@code attacker} attacks, and of the other team's channel. */
  private static String resumeOf(TestUser attacker, String otherTeam) {
    JsonObject resume = new JsonObject().put(otherTeam, position());
    for (Target t : TARGETS) {
      if (t.attacker() == attacker) {
        resume.put(t.channel(), position());
      }
    }
    return resume.encode();
  }

  private static JsonObject position() {
    return new JsonObject().put("seq", 0).put("epoch", "0000000000000001");
  }

  /** Mallory subscribes to team B's users; Bea going away is heard by Bert (team B) and not by Mallory. */
  private static void malloryPresence(RtmClient mallorySocket, RtmClient bertSocket) {
    JsonObject sub = new JsonObject().put("type", "presence_sub")
        .put("ids", new io.vertx.core.json.JsonArray().add(bea.id()).add(bert.id()));
    mallorySocket.awaitReply(mallorySocket.send(sub));
    bertSocket.awaitReply(bertSocket.send(sub));
    // Bea, online (so active whatever the grace period left of her last socket), sets herself away: team B's
    // channel carries the change.
    try (RtmClient beaSocket = RtmClient.connect(herald.vertx(), api, bea.token())) {
      api.ok("users.setPresence", bea.token(), "presence", "away");
      bertSocket.await(e -> "presence_change".equals(e.getString("type")) && e.encode().contains(bea.id())
          && e.encode().contains("away"));
      api.ok("users.setPresence", bea.token(), "presence", "auto");
    }
  }

  private static void assertSocketSilentAbout(RtmClient socket, List<String> ids) {
    for (JsonObject frame : socket.matching(e -> true)) {
      String text = frame.encode();
      for (String id : ids) {
        assertFalse(text.contains(id), "heard of " + id + ": " + text);
      }
    }
  }
}
