package dev.herald.storage;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Group commit: callers' small transactions run back to back inside one database transaction, committed once. One
 * group is in flight at a time; whatever arrives meanwhile forms the next group, so a lone caller waits for no timer
 * and a busy server pays one commit (one fsync) per group instead of per message. Each caller's work
 * runs under its own savepoint, so a failure rolls back that caller's writes only; every caller hears the outcome
 * only after the commit, on its own context, so an acknowledged write is as durable as before.
 *
 * <p>A single group at a time also orders lock taking: two groups never hold stream rows against each other.
 */
final class GroupCommit {
  private static final int MAX_GROUP = 256;

  private record Unit<T>(Function<SqlConnection, Future<T>> work, Promise<T> promise) {}

  private final Vertx vertx;
  private final Pool pool;
  private final ArrayDeque<Unit<?>> queue = new ArrayDeque<>();
  private boolean running;

  GroupCommit(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /** Runs {@code work} in the next group; completes (on the caller's context) after that group commits. */
  <T> Future<T> submit(Function<SqlConnection, Future<T>> work) {
    Promise<T> promise = ((ContextInternal) vertx.getOrCreateContext()).promise();
    boolean start;
    synchronized (this) {
      queue.add(new Unit<>(work, promise));
      start = !running;
      running = true;
    }
    if (start) {
      next();
    }
    return promise.future();
  }

  private void next() {
    List<Unit<?>> group = new ArrayList<>();
    synchronized (this) {
      while (!queue.isEmpty() && group.size() < MAX_GROUP) {
        group.add(queue.poll());
      }
      if (group.isEmpty()) {
        running = false;
        return;
      }
    }
    List<Object> results = new ArrayList<>(group.size());
    List<Throwable> failures = new ArrayList<>(group.size());
    pool.withTransaction(conn -> runFrom(conn, group, 0, results, failures))
        .onComplete(ar -> {
          for (int i = 0; i < group.size(); i++) {
            Throwable failure = ar.failed() ? ar.cause() : failures.get(i);
            complete(group.get(i), failure == null ? results.get(i) : null, failure);
          }
          next();
        });
  }

  /** Runs the group's units one after another on the connection, each under a savepoint. */
  private Future<Void> runFrom(SqlConnection conn, List<Unit<?>> group, int index, List<Object> results,
      List<Throwable> failures) {
    if (index == group.size()) {
      return Future.succeededFuture();
    }
    Unit<?> unit = group.get(index);
    Future<Void> done;
    if (group.size() == 1) {
      // Alone in the group: the transaction itself is the unit's boundary.
      done = unit.work().apply(conn).map(r -> {
        results.add(r);
        failures.add(null);
        return null;
      });
    } else {
      done = conn.query("SAVEPOINT unit").execute()
          .compose(v -> unit.work().apply(conn))
          .transform(ar -> {
            results.add(ar.succeeded() ? ar.result() : null);
            failures.add(ar.failed() ? ar.cause() : null);
            return ar.succeeded()
                ? Future.succeededFuture()
                : conn.query("ROLLBACK TO SAVEPOINT unit").execute().<Void>mapEmpty();
          });
    }
    return done.compose(v -> runFrom(conn, group, index + 1, results, failures));
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Unit<T> unit, Object result, Throwable failure) {
    if (failure != null) {
      unit.promise().tryFail(failure);
    } else {
      unit.promise().tryComplete((T) result);
    }
  }
}
