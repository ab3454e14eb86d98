package dev.herald.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded database's own thread: grouped writes keep each caller's outcome its own. */
class DatabaseThreadTest {
  @TempDir
  Path dataDir;
  private Vertx vertx;
  private DatabaseThread database;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    DataSource dataSource = EmbeddedDatabase.open(dataDir);
    try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
      statement.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text VARCHAR NOT NULL)");
    }
    database = new DatabaseThread(vertx, dataSource);
  }

  @AfterEach
  void close() throws Exception {
    database.close().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private int count() throws Exception {
    return database.read(db -> db.one("SELECT COUNT(*) FROM notes", row -> row.getInteger(0)))
        .await(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("in one group, a failing write rolls back only its own changes; the others commit")
  void failingUnitRollsBackAlone() throws Exception {
    // Hold the thread on a read so the three writes queue up and run as one group.
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch holding = new CountDownLatch(1);
    Future<Object> held = database.read(db -> {
      holding.countDown();
      release.await(30, TimeUnit.SECONDS);
      return null;
    });
    assertTrue(holding.await(30, TimeUnit.SECONDS));
    Future<Integer> first = database.write(db -> db.update("INSERT INTO notes (id, text) VALUES (?, ?)", 1, "one"));
    Future<Integer> failing = database.write(db -> {
      db.update("INSERT INTO notes (id, text) VALUES (?, ?)", 2, "two");
      // Same key again: the unit fails after writing, so its first insert must be undone too.
      return db.update("INSERT INTO notes (id, text) VALUES (?, ?)", 2, "again");
    });
    Future<Integer> third = database.write(db -> db.update("INSERT INTO notes (id, text) VALUES (?, ?)", 3, "three"));
    release.countDown();
    held.await(30, TimeUnit.SECONDS);

    assertEquals(1, first.await(30, TimeUnit.SECONDS));
    assertEquals(1, third.await(30, TimeUnit.SECONDS));
    assertThrows(SQLException.class, () -> failing.await(30, TimeUnit.SECONDS));
    assertEquals(2, count());
    assertEquals("three", database.read(db -> db.one("SELECT text FROM notes WHERE id = ?", row -> row.getString(0), 3))
        .await(30, TimeUnit.SECONDS));
  }

  @Test
  @DisplayName("a lone failing write leaves nothing behind, and the thread goes on serving")
  void loneFailureRollsBack() throws Exception {
    Future<Integer> failing = database.write(db -> {
      db.update("INSERT INTO notes (id, text) VALUES (?, ?)", 7, "seven");
      throw new IllegalStateException("refused");
    });
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> failing.await(30, TimeUnit.SECONDS));
    assertEquals("refused", refused.getMessage());
    assertEquals(0, count());
    assertEquals(1, database.write(db -> db.update("INSERT INTO notes (id, text) VALUES (?, ?)", 8, "eight"))
        .await(30, TimeUnit.SECONDS));
    assertEquals(1, count());
  }
}
