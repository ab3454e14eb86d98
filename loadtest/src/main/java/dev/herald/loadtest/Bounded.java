package dev.herald.loadtest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.IntFunction;

/** Runs tasks 0..count-1 with at most {@code concurrency} under way; fails with the first failure. */
public final class Bounded {
  private final int count;
  private final int concurrency;
  private final IntFunction<Future<?>> task;
  private final Promise<Void> done = Promise.promise();
  private int started;
  private int finished;
  private boolean failed;
  /** One thread at a time starts tasks; a completion meanwhile asks it to look again (no recursion). */
  private boolean launching;
  private boolean again;

  private Bounded(int count, int concurrency, IntFunction<Future<?>> task) {
    this.count = count;
    this.concurrency = concurrency;
    this.task = task;
  }

  public static Future<Void> run(int count, int concurrency, IntFunction<Future<?>> task) {
    Bounded run = new Bounded(count, concurrency, task);
    if (count == 0) {
      return Future.succeededFuture();
    }
    run.launch();
    return run.done.future();
  }

  private void launch() {
    synchronized (this) {
      if (launching) {
        again = true;
        return;
      }
      launching = true;
    }
    while (true) {
      int index;
      synchronized (this) {
        if (failed || started >= count || started - finished >= concurrency) {
          if (again) {
            again = false;
            continue;
          }
          launching = false;
          return;
        }
        index = started++;
      }
      Future<?> future;
      try {
        future = task.apply(index);
      } catch (RuntimeException e) {
        future = Future.failedFuture(e);
      }
      future.onComplete(ar -> {
        boolean complete;
        synchronized (this) {
          finished++;
          if (ar.failed() && !failed) {
            failed = true;
            done.tryFail(ar.cause());
          }
          complete = finished == count;
        }
        if (complete) {
          done.tryComplete();
        } else {
          launch();
        }
      });
    }
  }
}
