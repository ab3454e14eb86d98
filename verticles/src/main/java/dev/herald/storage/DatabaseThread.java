package dev.herald.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * One platform thread with its own connection to the embedded database, for the statements every post runs:
 * authenticating the token, the access check, and the post itself. Through the Vert.x JDBC client each statement
 * is a round trip to a worker and back, with its statement prepared and its result metadata read afresh; here the
 * work is plain JDBC on statements prepared once, and a post's whole transaction is one hand-off. On this box that
 * took the database's CPU per post from ~0.9 ms to a fraction of it (docs/benchmarks.md, fifth pass).
 *
 * <p>Writes are committed in groups: whatever writes are queued when the thread comes round run in one
 * transaction, each under its own savepoint, and share one commit (one fsync). Every caller hears its outcome
 * only after that commit, on its own context. Reads run outside transactions and see what is committed.
 *
 * <p>The rest of the Web API's statements go through the Vert.x pool; SQLite serialises writers from both paths
 * (every transaction begins {@code IMMEDIATE}).
 */
final class DatabaseThread {
  private static final System.Logger LOG = System.getLogger(DatabaseThread.class.getName());
  private static final int MAX_GROUP = 256;

  /** Work on the connection's cached statements; runs on the database thread. */
  interface Work<T> {
    T run(Statements db) throws Exception;
  }

  private record Task<T>(Work<T> work, boolean write, Promise<T> promise) {}

  private final Vertx vertx;
  private final LinkedBlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
  private final Connection connection;
  private final Statements statements;
  private final Thread thread;
  private volatile boolean running = true;

  DatabaseThread(Vertx vertx, DataSource dataSource) throws SQLException {
    this.vertx = vertx;
    this.connection = dataSource.getConnection();
    this.statements = new Statements(connection);
    this.thread = new Thread(this::loop, "herald-database");
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs a read; completes on the caller's context. */
  <T> Future<T> read(Work<T> work) {
    return submit(work, false);
  }

  /** Runs a write in the next group; completes on the caller's context once the group has committed. */
  <T> Future<T> write(Work<T> work) {
    return submit(work, true);
  }

  private <T> Future<T> submit(Work<T> work, boolean write) {
    Promise<T> promise = ((ContextInternal) vertx.getOrCreateContext()).promise();
    if (!running) {
      promise.fail(new IllegalStateException("storage is closed"));
    } else {
      queue.add(new Task<>(work, write, promise));
    }
    return promise.future();
  }

  /** Stops taking work, finishes what is queued, and closes the connection. */
  Future<Void> close() {
    return vertx.executeBlocking(() -> {
      running = false;
      queue.add(new Task<Void>(db -> null, false, Promise.promise()));
      thread.join();
      connection.close();
      return null;
    });
  }

  private void loop() {
    List<Task<?>> batch = new ArrayList<>();
    List<Task<?>> writes = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      queue.drainTo(batch, MAX_GROUP - 1);
      try {
        for (Task<?> task : batch) {
          if (task.write()) {
            writes.add(task);
          } else {
            runRead(task);
          }
        }
        if (!writes.isEmpty()) {
          runGroup(writes);
        }
      } catch (Throwable e) {
        // Each task's failure is its caller's; this is anything else. The thread must live on: every post needs it.
        LOG.log(System.Logger.Level.ERROR, "storage: database thread", e);
        for (Task<?> task : batch) {
          task.promise().tryFail(e);
        }
      }
      batch.clear();
      writes.clear();
    }
  }

  private <T> void runRead(Task<T> task) {
    try {
      task.promise().tryComplete(task.work().run(statements));
    } catch (Throwable e) {
      task.promise().tryFail(e);
    }
  }

  /** The group's writes in one transaction, each under a savepoint; every caller hears after the commit. */
  private void runGroup(List<Task<?>> group) {
    Object[] results = new Object[group.size()];
    Throwable[] failures = new Throwable[group.size()];
    Throwable groupFailure = null;
    try {
      statements.execute("BEGIN IMMEDIATE");
      try {
        if (group.size() == 1) {
          // Alone in the group: the transaction itself is the unit's boundary.
          try {
            results[0] = group.get(0).work().run(statements);
          } catch (Throwable e) {
            failures[0] = e;
          }
        } else {
          for (int i = 0; i < group.size(); i++) {
            statements.execute("SAVEPOINT unit");
            try {
              results[i] = group.get(i).work().run(statements);
              statements.execute("RELEASE unit");
            } catch (Throwable e) {
              failures[i] = e;
              statements.execute("ROLLBACK TO unit");
              statements.execute("RELEASE unit");
            }
          }
        }
        // A lone failed unit has nothing to keep: roll back rather than commit an empty transaction.
        statements.execute(group.size() == 1 && failures[0] != null ? "ROLLBACK" : "COMMIT");
      } catch (Throwable e) {
        groupFailure = e;
        rollbackQuietly();
      }
    } catch (Throwable e) {
      groupFailure = e;
    }
    if (groupFailure != null) {
      LOG.log(System.Logger.Level.ERROR, "storage: a group of " + group.size() + " writes failed", groupFailure);
    }
    for (int i = 0; i < group.size(); i++) {
      complete(group.get(i), results[i], groupFailure != null ? groupFailure : failures[i]);
    }
  }

  private void rollbackQuietly() {
    try {
      statements.execute("ROLLBACK");
    } catch (SQLException e) {
      LOG.log(System.Logger.Level.WARNING, "storage: rollback failed", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Task<T> task, Object result, Throwable failure) {
    if (failure != null) {
      task.promise().tryFail(failure);
    } else {
      task.promise().tryComplete((T) result);
    }
  }

  /** The connection's statements, each prepared once and kept; only the database thread touches them. */
  static final class Statements {
    private final Connection connection;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();

    private Statements(Connection connection) {
      this.connection = connection;
    }

    /** Transaction control (BEGIN, SAVEPOINT, COMMIT...), also prepared once: a post runs two or three of them. */
    private void execute(String sql) throws SQLException {
      prepare(sql).execute();
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
      PreparedStatement statement = prepared.get(sql);
      if (statement == null) {
        statement = connection.prepareStatement(sql);
        prepared.put(sql, statement);
      }
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      return statement;
    }

    /** The first row mapped, or null if none. */
    <T> T one(String sql, Function<Columns, T> mapper, Object... args) throws SQLException {
      try (ResultSet rows = prepare(sql, args).executeQuery()) {
        return rows.next() ? mapper.apply(Columns.of(rows)) : null;
      }
    }

    /** The number of rows changed. */
    int update(String sql, Object... args) throws SQLException {
      return prepare(sql, args).executeUpdate();
    }
  }
}
