package dev.herald.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.config.HeraldConfig;
import dev.herald.testing.HeraldFixture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The storage contract: what every {@link Storage} guarantees, whatever database is behind it. A concrete subclass
 * names one database (fresh for its class) through {@link #config()}; every test opens its own {@link Storage} on it
 * and uses names unique to the test, so tests do not depend on each other's rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StorageContractTest {
  protected Vertx vertx;
  /** The storage under test, opened before each test and closed after it. */
  protected Storage storage;
  protected Team team;
  private final List<Storage> extraStorages = new ArrayList<>();

  /** The class's database. */
  protected abstract HeraldConfig.Storage config();

  @BeforeAll
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  void stopVertx() {
    await(vertx.close());
  }

  @BeforeEach
  void openStorage() {
    storage = open();
    team = await(storage.defaultTeam());
  }

  @AfterEach
  void closeStorage() {
    for (Storage extra : extraStorages) {
      await(extra.close());
    }
    extraStorages.clear();
    if (storage != null) {
      await(storage.close());
    }
  }

  /** Another storage on the same database, as a second Webapp process would have; closed after the test. */
  protected Storage openAnother() {
    Storage another = open();
    extraStorages.add(another);
    return another;
  }

  protected Storage open() {
    return await(SqlStorage.open(vertx, config()));
  }

  // ---- teams and users ----

  @Test
  @DisplayName("a default team exists, is found by id, and an unknown team id finds nothing")
  void defaultTeam() {
    assertNotNull(team);
    assertTrue(team.id().startsWith("T"), team.id());
    assertEquals(team, await(storage.team(team.id())));
    assertNull(await(storage.team("TNOSUCHTEAM")));
    // A second storage on the same database finds the same team rather than making another.
    assertEquals(team, await(openAnother().defaultTeam()));
  }

  @Test
  @DisplayName("a created user is found by id and by token hash, with every field as given")
  void createAndFindUsers() {
    String hash = tokenHash();
    User user = await(storage.createUser(team.id(), unique("ada"), "Ada Lovelace", false, hash));
    assertTrue(user.id().startsWith("U"), user.id());
    assertEquals(team.id(), user.teamId());
    assertEquals("Ada Lovelace", user.realName());
    assertTrue(user.created() > 0);
    assertEquals(user, await(storage.user(user.id())));
    assertEquals(user, await(storage.userByTokenHash(hash)));

    User bot = await(storage.createUser(team.id(), unique("bot"), "", true, tokenHash()));
    assertTrue(await(storage.user(bot.id())).isBot());

    assertNull(await(storage.user("UNOSUCHUSER")));
    assertNull(await(storage.userByTokenHash(tokenHash())));
  }

  @Test
  @DisplayName("created teams are found by id; a taken domain or name fails and leaves nothing behind")
  void createTeams() {
    String domain = unique("d");
    Team created = await(storage.createTeam(unique("Team"), domain));
    assertTrue(created.id().startsWith("T"), created.id());
    assertEquals(created, await(storage.team(created.id())));
    assertFailsWith(ErrorCode.DOMAIN_TAKEN, storage.createTeam(unique("Other"), domain));
    assertFailsWith(ErrorCode.NAME_TAKEN_IN_ORG, storage.createTeam(created.name(), unique("e")));
    // The default team stays the oldest one, whatever is created after it.
    assertEquals(team, await(openAnother().defaultTeam()));
    // A user name is unique within a team, not across teams.
    User ada = await(storage.createUser(team.id(), unique("ada"), "Ada", false, tokenHash()));
    assertEquals(created.id(),
        await(storage.createUser(created.id(), ada.name(), "Ada too", false, tokenHash())).teamId());
  }

  @Test
  @DisplayName("the first user of a team owns it, and only the first, even when several register at once")
  void firstUserOwnsTheTeam() {
    Team fresh = await(storage.createTeam(unique("Owned"), unique("o")));
    List<Future<User>> racing = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      racing.add(storage.createUser(fresh.id(), unique("u" + i), "U", false, tokenHash()));
    }
    await(Future.all(racing));
    long owners = racing.stream().filter(f -> f.result().isOwner()).count();
    assertEquals(1, owners, "exactly one owner");
    for (Future<User> f : racing) {
      assertEquals(f.result(), await(storage.user(f.result().id())), "is_owner is stored as answered");
    }
    User later = await(storage.createUser(fresh.id(), unique("later"), "L", false, tokenHash()));
    assertFalse(later.isOwner());
  }

  @Test
  @DisplayName("a second user with a taken name fails with name_taken and leaves nothing behind")
  void duplicateUserNameIsTaken() {
    String name = unique("grace");
    await(storage.createUser(team.id(), name, "Grace", false, tokenHash()));
    String secondHash = tokenHash();
    assertFailsWith(ErrorCode.NAME_TAKEN, storage.createUser(team.id(), name, "Another Grace", false, secondHash));
    assertNull(await(storage.userByTokenHash(secondHash)), "the failed user's token was kept");
    // The failure did not spoil the connection it happened on: the storage goes on working.
    assertNotNull(await(storage.createUser(team.id(), unique("grace"), "Grace", false, secondHash)));
  }

  @Test
  @DisplayName("users created in bulk all exist with their tokens and streams, or with one taken name none does")
  void bulkUsersAllOrNone() {
    List<Storage.NewUser> fresh = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      fresh.add(new Storage.NewUser(unique("bulk" + i), "Bulk " + i, i % 2 == 0, tokenHash()));
    }
    List<User> users = await(storage.createUsers(team.id(), fresh));
    assertEquals(300, users.size());
    for (int i = 0; i < users.size(); i++) {
      assertEquals(fresh.get(i).name(), users.get(i).name());
      assertEquals(users.get(i), await(storage.userByTokenHash(fresh.get(i).tokenHash())));
      assertEquals(1, await(storage.nextPosition(users.get(i).id())).seq(), "a new user's stream starts at 1");
    }
    String taken = users.get(7).name();
    List<Storage.NewUser> clash = List.of(new Storage.NewUser(unique("late"), "Late", false, tokenHash()),
        new Storage.NewUser(taken, "Again", false, tokenHash()));
    assertFailsWith(ErrorCode.NAME_TAKEN, storage.createUsers(team.id(), clash));
    assertNull(await(storage.userByTokenHash(clash.get(0).tokenHash())), "half a failed batch was kept");
  }

  @Test
  @DisplayName("a conversation as a user sees it: with their membership, before and after joining; null if none")
  void conversationSeenByUser() {
    User owner = newUser("seer");
    User other = newUser("other");
    Conversation room = newRoom(owner);
    await(storage.addMember(room.id(), owner.id()));
    assertEquals(new Storage.Seen(room, true), await(storage.conversationSeenBy(room.id(), owner.id())));
    assertEquals(new Storage.Seen(room, false), await(storage.conversationSeenBy(room.id(), other.id())));
    await(storage.addMember(room.id(), other.id()));
    assertTrue(await(storage.conversationSeenBy(room.id(), other.id())).member());
    assertNull(await(storage.conversationSeenBy("C" + "NOSUCHROOM", owner.id())));
  }

  @Test
  @DisplayName("a checked post sees the conversation as its poster does; a refused one stores nothing and takes no seq")
  void checkedPostsAreAllOrNothing() {
    User author = newUser("checked");
    User stranger = newUser("stranger");
    Conversation room = newRoom(author);
    await(storage.addMember(room.id(), author.id()));
    List<Storage.Seen> seenByCheck = new ArrayList<>();
    Storage.PostedIn posted = await(storage.postMessageIfAdmitted(room.id(), author.id(), null, "first", null, seen -> {
      seenByCheck.add(seen);
      return seen.conversation();
    }));
    assertEquals(List.of(new Storage.Seen(room, true)), seenByCheck);
    assertEquals(room, posted.conversation());
    assertEquals(1, posted.message().seq());
    assertEquals("first", posted.message().text());

    assertFailsWith(ErrorCode.NOT_IN_CHANNEL, storage.postMessageIfAdmitted(room.id(), stranger.id(), null, "no",
        null, seen -> {
          assertFalse(seen.member());
          throw new HeraldException(ErrorCode.NOT_IN_CHANNEL);
        }));
    assertFailsWith(ErrorCode.CHANNEL_NOT_FOUND, storage.postMessageIfAdmitted("C" + "NOSUCHROOM", author.id(), null,
        "no", null, seen -> {
          assertNull(seen);
          throw new HeraldException(ErrorCode.CHANNEL_NOT_FOUND);
        }));
    // The refusal left no message and no gap: the next post is seq 2.
    assertEquals(2, await(storage.postMessage(room.id(), author.id(), null, "second", null, null)).seq());
    List<Message> history = await(storage.history(room.id(), Long.MAX_VALUE, 0, false, 10));
    assertEquals(List.of("second", "first"), history.stream().map(Message::text).toList());
  }

  @Test
  @DisplayName("positions taken several at once are dense and increasing with the single ones around them")
  void positionsInBulk() {
    User author = newUser("bulkpos");
    Conversation room = newRoom(author);
    List<Position> all = new ArrayList<>();
    all.add(await(storage.nextPosition(room.id())));
    all.addAll(await(storage.nextPositions(room.id(), 5)));
    all.add(position(await(storage.postMessage(room.id(), author.id(), null, "between", null, null))));
    all.addAll(await(storage.nextPositions(room.id(), 1)));
    assertDenseAndIncreasing(all, 1);
  }

  @Test
  @DisplayName("a revoked token finds nothing, at once and from another storage on the same database")
  void revokedTokensAreGone() {
    String hash = tokenHash();
    User user = await(storage.createUser(team.id(), unique("rev"), "Rev", false, hash));
    assertEquals(user, await(storage.userByTokenHash(hash)));
    assertTrue(await(storage.revokeToken(hash)));
    assertFalse(await(storage.revokeToken(hash)));
    assertNull(await(storage.userByTokenHash(hash)));
    assertNull(await(openAnother().userByTokenHash(hash)), "the revocation was not committed");
  }

  @Test
  @DisplayName("every acknowledged write is committed: another storage sees it at once, whatever connection ran it")
  void writesOutsideTransactionsAreCommitted() {
    User owner = newUser("owner");
    Storage other = openAnother();
    for (int i = 0; i < 12; i++) {
      // A transaction first leaves its pooled connection behind; the bare write that follows must still commit.
      Conversation c = await(storage.createConversation(team.id(), unique("commit"), false, owner.id()));
      User member = newUser("member");
      assertTrue(await(storage.addMember(c.id(), member.id())));
      assertTrue(await(other.isMember(c.id(), member.id())), "an added member was not committed");
      assertTrue(await(storage.removeMember(c.id(), member.id())));
      assertFalse(await(other.isMember(c.id(), member.id())), "a removal was not committed");
    }
  }

  // ---- conversations and members ----

  @Test
  @DisplayName("a created conversation is found by id with its creator as its only member")
  void createAndFindConversations() {
    User owner = newUser("owner");
    Conversation open = await(storage.createConversation(team.id(), unique("general"), false, owner.id()));
    Conversation secret = await(storage.createConversation(team.id(), unique("secret"), true, owner.id()));
    assertTrue(open.id().startsWith("C"), open.id());
    assertTrue(secret.id().startsWith("G"), secret.id());
    assertFalse(open.isPrivate());
    assertTrue(secret.isPrivate());
    assertEquals(open, await(storage.conversation(open.id())));
    assertEquals(secret, await(storage.conversation(secret.id())));
    assertEquals(owner.id(), open.creator());
    assertFalse(open.isArchived());
    assertEquals(List.of(owner.id()), await(storage.members(open.id(), null, 100)));
    assertEquals(1, await(storage.memberCount(open.id())));
    assertNull(await(storage.conversation("CNOSUCHCHANNEL")));
  }

  @Test
  @DisplayName("a second conversation with a taken name fails with name_taken, public or private")
  void duplicateConversationNameIsTaken() {
    User owner = newUser("owner");
    String name = unique("room");
    Conversation first = await(storage.createConversation(team.id(), name, false, owner.id()));
    assertFailsWith(ErrorCode.NAME_TAKEN, storage.createConversation(team.id(), name, false, owner.id()));
    assertFailsWith(ErrorCode.NAME_TAKEN, storage.createConversation(team.id(), name, true, owner.id()));
    long named = allConversations(owner).stream().filter(c -> c.name().equals(name)).count();
    assertEquals(1, named, "a failed create left a conversation behind");
    assertEquals(List.of(first.id()), await(storage.conversationIdsOf(owner.id())));
  }

  @Test
  @DisplayName("adding a member twice adds them once, removing twice removes them once")
  void membershipIsIdempotent() {
    User owner = newUser("owner");
    User guest = newUser("guest");
    Conversation room = await(storage.createConversation(team.id(), unique("room"), false, owner.id()));
    assertFalse(await(storage.isMember(room.id(), guest.id())));

    assertTrue(await(storage.addMember(room.id(), guest.id())));
    assertFalse(await(storage.addMember(room.id(), guest.id())), "a second add reported a new member");
    assertTrue(await(storage.isMember(room.id(), guest.id())));
    assertEquals(2, await(storage.memberCount(room.id())));

    assertTrue(await(storage.removeMember(room.id(), guest.id())));
    assertFalse(await(storage.removeMember(room.id(), guest.id())), "a second remove reported a member");
    assertFalse(await(storage.isMember(room.id(), guest.id())));
    assertEquals(1, await(storage.memberCount(room.id())));
    assertEquals(List.of(), await(storage.conversationIdsOf(guest.id())));
  }

  @Test
  @DisplayName("members and a user's conversations are listed in id order, and member pages cover each member once")
  void membersArePagedInOrder() {
    User owner = newUser("owner");
    Conversation room = await(storage.createConversation(team.id(), unique("room"), false, owner.id()));
    List<String> expected = new ArrayList<>(List.of(owner.id()));
    for (int i = 0; i < 6; i++) {
      User member = newUser("member");
      assertTrue(await(storage.addMember(room.id(), member.id())));
      expected.add(member.id());
    }
    expected.sort(Comparator.naturalOrder());
    assertEquals(expected, await(storage.members(room.id(), null, 100)));
    assertEquals(expected, pages((after, limit) -> storage.members(room.id(), after, limit), id -> id, 3));
    assertEquals(expected.subList(0, 2), await(storage.members(room.id(), null, 2)));
    assertEquals(7, await(storage.memberCount(room.id())));

    List<String> owned = new ArrayList<>(List.of(room.id()));
    for (int i = 0; i < 3; i++) {
      owned.add(await(storage.createConversation(team.id(), unique("mine"), i % 2 == 0, owner.id())).id());
    }
    owned.sort(Comparator.naturalOrder());
    assertEquals(owned, await(storage.conversationIdsOf(owner.id())));
  }

  @Test
  @DisplayName("conversations lists public ones to everyone and private ones only to their members")
  void privateConversationsAreVisibleToMembersOnly() {
    User owner = newUser("owner");
    User viewer = newUser("viewer");
    Conversation open = await(storage.createConversation(team.id(), unique("open"), false, owner.id()));
    Conversation secret = await(storage.createConversation(team.id(), unique("secret"), true, owner.id()));

    assertTrue(ids(allConversations(owner)).containsAll(List.of(open.id(), secret.id())));
    assertTrue(ids(allConversations(viewer)).contains(open.id()));
    assertFalse(ids(allConversations(viewer)).contains(secret.id()), "a private conversation was listed to a non-member");

    await(storage.addMember(secret.id(), viewer.id()));
    assertTrue(ids(allConversations(viewer)).contains(secret.id()), "a member does not see their private conversation");
    await(storage.removeMember(secret.id(), viewer.id()));
    assertFalse(ids(allConversations(viewer)).contains(secret.id()), "a former member still sees it");
  }

  @Test
  @DisplayName("conversation pages come in id order and together list each visible conversation once")
  void conversationsArePagedInOrder() {
    User owner = newUser("owner");
    Set<String> created = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      created.add(await(storage.createConversation(team.id(), unique("page"), i == 2, owner.id())).id());
    }
    List<Conversation> whole = await(storage.conversations(team.id(), owner.id(), false, null, 10_000));
    List<Conversation> paged = pages((after, limit) -> storage.conversations(team.id(), owner.id(), false, after, limit),
        Conversation::id, 2);
    assertEquals(whole, paged);
    List<String> ids = ids(whole);
    for (int i = 1; i < ids.size(); i++) {
      assertTrue(ids.get(i - 1).compareTo(ids.get(i)) < 0, "not in id order at " + i + ": " + ids);
    }
    assertTrue(ids.containsAll(created));
    assertEquals(2, await(storage.conversations(team.id(), owner.id(), false, null, 2)).size());
    // None is archived, so leaving out the archived ones leaves out nothing.
    assertEquals(whole, await(storage.conversations(team.id(), owner.id(), true, null, 10_000)));
  }

  // ---- messages and streams ----

  @Test
  @DisplayName("a posted message and its thread reply come back with every field as given, the reply outside the history")
  void messagesRoundTrip() {
    User author = newUser("author");
    Conversation room = newRoom(author);
    Message parent = await(storage.postMessage(room.id(), author.id(), null, "plain", null, null));
    JsonObject extra = new JsonObject().put("blocks", new JsonArray().add(new JsonObject().put("type", "divider")))
        .put("unfurl_links", false);
    Message reply = await(storage.postMessage(room.id(), author.id(), "bot_message",
        "é ☃ \"quoted\" 'single' are you there? $1", parent.ts(), extra));

    assertEquals(room.id(), parent.channelId());
    assertEquals(1, parent.seq(), "a new channel's first event is not seq 1");
    // As in Slack's history, a thread reply is not in the channel's history; its parent counts it.
    List<Message> history = await(storage.history(room.id(), Long.MAX_VALUE, 0, false, 10));
    assertEquals(1, history.size());
    assertEquals(parent.ts(), history.get(0).ts());
    assertEquals(1, history.get(0).replyCount());
    assertEquals(reply.ts(), history.get(0).latestReply());
    assertEquals(List.of(reply), await(storage.replies(room.id(), parent.ts(), 0, Long.MAX_VALUE, true, 10)));
    Message stored = await(storage.message(room.id(), reply.ts()));
    assertEquals(extra, stored.extra());
    assertEquals(parent.ts(), stored.threadTs());
    assertEquals("bot_message", stored.subtype());
    assertNull(stored.editedTs());
    assertNull(stored.editedBy());
  }

  @Test
  @DisplayName("each post gets the channel's next seq and a ts greater than the last, channel by channel")
  void postsAdvanceTheStream() {
    User author = newUser("author");
    Conversation a = newRoom(author);
    Conversation b = newRoom(author);
    List<Message> inA = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      inA.add(await(storage.postMessage(a.id(), author.id(), null, "a" + i, null, null)));
      // Another channel's posts in between take nothing from this one's sequence.
      assertEquals(i + 1, await(storage.postMessage(b.id(), author.id(), null, "b" + i, null, null)).seq());
    }
    assertDenseAndIncreasing(positions(inA), 1);
  }

  @Test
  @DisplayName("many concurrent posts to one channel, from two storages, get a dense seq and unique increasing ts")
  void concurrentPostsStayOrdered() {
    User author = newUser("author");
    Conversation room = newRoom(author);
    Storage second = openAnother();
    int posts = 200;
    List<Future<Message>> pending = new ArrayList<>();
    for (int i = 0; i < posts; i++) {
      // Issued all at once, alternating between two pools, so they contend for the stream row.
      Storage via = i % 2 == 0 ? storage : second;
      pending.add(via.postMessage(room.id(), author.id(), null, "m" + i, null, null));
    }
    List<Message> posted = await(Future.all(pending).map(all -> all.<Message>list()));
    assertDenseAndIncreasing(positions(posted), 1);
    assertEquals(posts, new HashSet<>(posted.stream().map(Message::ts).toList()).size(), "two posts share a ts");

    List<Message> history = await(storage.history(room.id(), Long.MAX_VALUE, 0, false, posts + 10));
    assertEquals(posts, history.size());
    List<Message> bySeq = new ArrayList<>(posted);
    bySeq.sort(Comparator.comparingLong(Message::seq).reversed());
    assertEquals(bySeq, history, "history (newest first) is not the reverse seq order of the posts");
  }

  @Test
  @DisplayName("positions taken for other events interleave with posts in one dense, increasing stream")
  void nextPositionInterleavesWithPosts() {
    User author = newUser("author");
    Conversation room = newRoom(author);
    List<Position> sequential = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      sequential.add(i % 2 == 0
          ? await(storage.nextPosition(room.id()))
          : position(await(storage.postMessage(room.id(), author.id(), null, "m" + i, null, null))));
    }
    assertDenseAndIncreasing(sequential, 1);

    List<Future<Position>> pending = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      pending.add(i % 3 == 0
          ? storage.nextPosition(room.id())
          : storage.postMessage(room.id(), author.id(), null, "c" + i, null, null).map(StorageContractTest::position));
    }
    assertDenseAndIncreasing(await(Future.all(pending).map(all -> all.<Position>list())), 7);
    // Only the posts are messages: 3 sequential and 40 concurrent.
    assertEquals(43, await(storage.history(room.id(), Long.MAX_VALUE, 0, false, 1000)).size());
  }

  @Test
  @DisplayName("users and the team have streams of their own")
  void usersAndTeamsHaveStreams() {
    User user = newUser("user");
    assertEquals(1, await(storage.nextPosition(user.id())).seq());
    assertEquals(2, await(storage.nextPosition(user.id())).seq());
    assertTrue(await(storage.nextPosition(team.id())).seq() >= 1);
  }

  @Test
  @DisplayName("posting to, or taking a position in, an unknown stream fails with channel_not_found and stores nothing")
  void unknownStreamIsChannelNotFound() {
    User author = newUser("author");
    String unknown = "CNOSUCH" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    assertFailsWith(ErrorCode.CHANNEL_NOT_FOUND, storage.postMessage(unknown, author.id(), null, "x", null, null));
    assertFailsWith(ErrorCode.CHANNEL_NOT_FOUND, storage.nextPosition(unknown));
    assertEquals(List.of(), await(storage.history(unknown, Long.MAX_VALUE, 0, true, 10)));
  }

  @Test
  @DisplayName("history honours latest and oldest, inclusive or not, and returns the newest within the limit")
  void historyBoundsAndLimit() {
    User author = newUser("author");
    Conversation room = newRoom(author);
    Conversation other = newRoom(author);
    List<Long> ts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ts.add(await(storage.postMessage(room.id(), author.id(), null, "m" + i, null, null)).ts());
      await(storage.postMessage(other.id(), author.id(), null, "elsewhere", null, null));
    }
    long t1 = ts.get(0);
    long t2 = ts.get(1);
    long t3 = ts.get(2);
    long t4 = ts.get(3);
    long t5 = ts.get(4);
    assertEquals(List.of(t4, t3, t2), tsOf(storage.history(room.id(), t4, t2, true, 100)));
    assertEquals(List.of(t3), tsOf(storage.history(room.id(), t4, t2, false, 100)));
    assertEquals(List.of(t3), tsOf(storage.history(room.id(), t3, t3, true, 100)));
    assertEquals(List.of(), tsOf(storage.history(room.id(), t3, t3, false, 100)));
    assertEquals(List.of(t5, t4), tsOf(storage.history(room.id(), Long.MAX_VALUE, 0, false, 2)));
    assertEquals(List.of(t4, t3), tsOf(storage.history(room.id(), t5, t1, false, 2)));
    assertEquals(List.of(t5, t4, t3, t2, t1), tsOf(storage.history(room.id(), t5, t1, true, 100)));
    assertEquals(List.of(), tsOf(storage.history(newRoom(author).id(), Long.MAX_VALUE, 0, false, 100)));
  }

  @Test
  @DisplayName("everything written is still there after the storage is closed and opened again, and streams go on")
  void durableAcrossReopen() {
    String hash = tokenHash();
    User author = await(storage.createUser(team.id(), unique("durable"), "Durable", false, hash));
    User guest = newUser("guest");
    Conversation room = await(storage.createConversation(team.id(), unique("kept"), true, author.id()));
    await(storage.addMember(room.id(), guest.id()));
    List<Message> posted = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      posted.add(await(storage.postMessage(room.id(), author.id(), null, "kept " + i, null,
          new JsonObject().put("i", i))));
    }
    Position last = await(storage.nextPosition(room.id()));
    await(storage.close());
    storage = null;

    storage = open();
    assertEquals(team, await(storage.defaultTeam()));
    assertEquals(author, await(storage.userByTokenHash(hash)));
    assertEquals(room, await(storage.conversation(room.id())));
    assertTrue(await(storage.isMember(room.id(), guest.id())));
    List<Message> expected = new ArrayList<>(posted);
    expected.sort(Comparator.comparingLong(Message::ts).reversed());
    assertEquals(expected, await(storage.history(room.id(), Long.MAX_VALUE, 0, false, 10)));

    Message after = await(storage.postMessage(room.id(), author.id(), null, "after", null, null));
    assertEquals(last.seq() + 1, after.seq());
    assertTrue(after.ts() > last.ts(), "ts went back after reopening");
  }

  // ---- helpers ----

  private static final java.util.concurrent.atomic.AtomicInteger NAMES = new java.util.concurrent.atomic.AtomicInteger();

  /** A name no other test uses (the database lives as long as the class). */
  protected static String unique(String prefix) {
    return prefix + "-" + NAMES.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  protected static String tokenHash() {
    return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
  }

  protected User newUser(String prefix) {
    return await(storage.createUser(team.id(), unique(prefix), prefix, false, tokenHash()));
  }

  protected Conversation newRoom(User owner) {
    return await(storage.createConversation(team.id(), unique("room"), false, owner.id()));
  }

  private List<Conversation> allConversations(User viewer) {
    return await(storage.conversations(team.id(), viewer.id(), false, null, 10_000));
  }

  private static List<String> ids(List<Conversation> conversations) {
    return conversations.stream().map(Conversation::id).toList();
  }

  /** Walks every page of a listing, checking no page is longer than asked. */
  private static <T> List<T> pages(BiFunction<String, Integer, Future<List<T>>> page,
      java.util.function.Function<T, String> key, int size) {
    List<T> all = new ArrayList<>();
    String after = null;
    while (true) {
      List<T> next = await(page.apply(after, size));
      assertTrue(next.size() <= size, "a page longer than its limit");
      all.addAll(next);
      if (next.size() < size) {
        return all;
      }
      after = key.apply(next.get(next.size() - 1));
    }
  }

  private static Position position(Message message) {
    return new Position(message.seq(), message.ts());
  }

  private static List<Position> positions(List<Message> messages) {
    return messages.stream().map(StorageContractTest::position).toList();
  }

  private static List<Long> tsOf(Future<List<Message>> messages) {
    return await(messages).stream().map(Message::ts).toList();
  }

  /** Sorted by seq, the positions are firstSeq, firstSeq+1, ... with strictly increasing ts. */
  private static void assertDenseAndIncreasing(List<Position> positions, long firstSeq) {
    List<Position> bySeq = new ArrayList<>(positions);
    bySeq.sort(Comparator.comparingLong(Position::seq));
    for (int i = 0; i < bySeq.size(); i++) {
      assertEquals(firstSeq + i, bySeq.get(i).seq(), "seq is not dense: " + bySeq);
      if (i > 0) {
        assertTrue(bySeq.get(i).ts() > bySeq.get(i - 1).ts(),
            "ts does not increase with seq at seq " + bySeq.get(i).seq() + ": " + bySeq.get(i - 1) + " then "
                + bySeq.get(i));
      }
    }
  }

  protected static <T> T await(Future<T> future) {
    return HeraldFixture.await(future);
  }

  private static void assertFailsWith(ErrorCode code, Future<?> future) {
    Throwable failure;
    try {
      Object value = future.toCompletionStage().toCompletableFuture()
          .get(HeraldFixture.TIMEOUT_SECONDS, TimeUnit.SECONDS);
      fail("expected " + code.slack + " but it succeeded with " + value);
      return;
    } catch (ExecutionException e) {
      failure = e.getCause();
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError(e);
    }
    Throwable cause = failure;
    HeraldException herald = assertInstanceOf(HeraldException.class, cause, () -> "not a HeraldException: " + cause);
    assertEquals(code, herald.code());
  }
}
