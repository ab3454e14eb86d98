package dev.herald.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.config.HeraldConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many writers at once share commits, and still each sees exactly its own outcome, on its own context. */
class GroupCommitTest {
  @TempDir
  Path dataDir;
  private Vertx vertx;
  private Storage storage;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    HeraldConfig.Storage defaults = HeraldConfig.defaults().storage();
    storage = SqlStorage.open(vertx, new HeraldConfig.Storage("embedded", dataDir.toString(), defaults.poolSize(),
        defaults.pg())).await(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    storage.close().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("concurrent posts to one channel get dense sequence numbers and unique increasing ts")
  void concurrentPostsStayDense() throws Exception {
    Team team = storage.defaultTeam().await(30, TimeUnit.SECONDS);
    User alice = storage.createUser(team.id(), "alice", "Alice", false, "h1").await(30, TimeUnit.SECONDS);
    Conversation room = storage.createConversation(team.id(), "room", false, alice.id()).await(30, TimeUnit.SECONDS);
    int posts = 300;
    List<Future<Message>> all = new ArrayList<>();
    List<Context> asked = new ArrayList<>();
    List<Context> answered = new ArrayList<>();
    // From two contexts at once, as two Webapp instances would.
    List<Future<List<Future<Message>>>> started = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      Context context = vertx.getOrCreateContext();
      started.add(Future.future(p -> context.runOnContext(v -> {
        List<Future<Message>> fromHere = new ArrayList<>();
        for (int i = 0; i < posts / 2; i++) {
          fromHere.add(storage.postMessage(room.id(), alice.id(), null, "m" + i, null, null)
              .onComplete(ar -> {
                synchronized (answered) {
                  asked.add(context);
                  answered.add(Vertx.currentContext());
                }
              }));
        }
        p.complete(fromHere);
      })));
    }
    for (Future<List<Future<Message>>> s : started) {
      all.addAll(s.await(30, TimeUnit.SECONDS));
    }
    List<Message> messages = Future.all(all).await(60, TimeUnit.SECONDS).list();
    TreeSet<Long> seqs = new TreeSet<>();
    Set<Long> ts = new HashSet<>();
    for (Message m : messages) {
      seqs.add(m.seq());
      ts.add(m.ts());
    }
    assertEquals(posts, seqs.size(), "every post has its own sequence number");
    assertEquals(seqs.first() + posts - 1, seqs.last(), "no gaps");
    assertEquals(posts, ts.size(), "every post has its own ts");
    for (Message a : messages) {
      for (Message b : messages) {
        assertTrue(a.seq() >= b.seq() || a.ts() < b.ts(), "ts increases with seq");
      }
    }
    assertEquals(posts, storage.history(room.id(), Long.MAX_VALUE, 0, false, 999).await(30, TimeUnit.SECONDS).size(),
        "every acknowledged post is stored");
    synchronized (answered) {
      assertEquals(asked, answered, "each caller is answered on its own context");
    }
  }

  @Test
  @DisplayName("a failing write in a group fails alone: its neighbours commit")
  void failuresStayWithTheirCaller() throws Exception {
    Team team = storage.defaultTeam().await(30, TimeUnit.SECONDS);
    User alice = storage.createUser(team.id(), "alice", "Alice", false, "h1").await(30, TimeUnit.SECONDS);
    Conversation room = storage.createConversation(team.id(), "room", false, alice.id()).await(30, TimeUnit.SECONDS);
    List<Future<?>> mixed = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      mixed.add(storage.postMessage(room.id(), alice.id(), null, "ok" + i, null, null));
      mixed.add(storage.postMessage("C0000MISSING", alice.id(), null, "lost", null, null));
      mixed.add(storage.createUser(team.id(), "alice", "Again", false, "h-dup-" + i));
      mixed.add(storage.createUser(team.id(), "bob" + i, "Bob", false, "h-bob-" + i));
    }
    Future.join(mixed).otherwiseEmpty().await(60, TimeUnit.SECONDS);
    for (int i = 0; i < mixed.size(); i++) {
      Future<?> f = mixed.get(i);
      switch (i % 4) {
        case 0, 3 -> assertTrue(f.succeeded(), "write " + i + " failed: " + f.cause());
        case 1 -> assertEquals(ErrorCode.CHANNEL_NOT_FOUND, HeraldException.codeOf(f.cause()));
        default -> assertEquals(ErrorCode.NAME_TAKEN, HeraldException.codeOf(f.cause()));
      }
    }
    assertEquals(50, storage.history(room.id(), Long.MAX_VALUE, 0, false, 999).await(30, TimeUnit.SECONDS).size());
    for (int i = 0; i < 50; i++) {
      assertTrue(storage.userByTokenHash("h-bob-" + i).await(30, TimeUnit.SECONDS) != null, "bob" + i + " was committed");
      assertNull(storage.userByTokenHash("h-dup-" + i).await(30, TimeUnit.SECONDS), "the refused user left no token behind");
    }
  }
}
