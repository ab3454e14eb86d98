package dev.herald.testing;

import dev.herald.shared.config.HeraldConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * A fresh PostgreSQL database for one test class, on the server {@code scripts/test.sh} starts (see
 * {@code scripts/postgres.sh}). The server comes from {@code HERALD_TEST_PG_HOST/PORT/DATABASE/USER/PASSWORD}
 * (defaults 127.0.0.1, 5432, herald, herald, herald); the user needs CREATEDB. Each {@link #create()} makes a database
 * {@code herald_test_<random>} and {@link #close()} drops it, so test classes never see each other's rows.
 *
 * <p>When the server cannot be reached, the test fails under CI (CI=true: the PostgreSQL suites must never be
 * skipped there) and is skipped with the reason anywhere else.
 */
public final class TestPostgres implements AutoCloseable {
  private static final int TIMEOUT_SECONDS = 20;

  private final Vertx vertx;
  private final PgConnectOptions admin;
  private final String name;

  private TestPostgres(Vertx vertx, PgConnectOptions admin, String name) {
    this.vertx = vertx;
    this.admin = admin;
    this.name = name;
  }

  /** The server the environment names, connecting to its own (not a test) database. */
  public static PgConnectOptions server() {
    return new PgConnectOptions()
        .setHost(env("HOST", "127.0.0.1"))
        .setPort(Integer.parseInt(env("PORT", "5432")))
        .setDatabase(env("DATABASE", "herald"))
        .setUser(env("USER", "herald"))
        .setPassword(env("PASSWORD", "herald"));
  }

  private static String env(String key, String fallback) {
    String value = System.getenv("HERALD_TEST_PG_" + key);
    return value == null || value.isBlank() ? fallback : value;
  }

  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Creates a fresh, empty database; fails (in CI) or skips (elsewhere) when the server is unreachable. */
  public static TestPostgres create() {
    PgConnectOptions admin = server();
    String name = "herald_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
        .toLowerCase(Locale.ROOT);
    Vertx vertx = Vertx.vertx();
    try {
      // The name is ours and [a-z0-9_] only, so it needs no quoting; CREATE DATABASE cannot take a parameter.
      run(vertx, admin, "CREATE DATABASE " + name);
    } catch (RuntimeException | AssertionError e) {
      vertx.close();
      String where = admin.getUser() + "@" + admin.getHost() + ":" + admin.getPort() + "/" + admin.getDatabase();
      String message = "PostgreSQL at " + where + " could not create a test database (" + rootMessage(e)
          + "); start it with scripts/postgres.sh start, or point HERALD_TEST_PG_* at a server";
      if (inCi()) {
        throw new AssertionError(message + ". The PostgreSQL suites are never skipped under CI.", e);
      }
      return Assumptions.abort(message + ". Skipped: not under CI.");
    }
    return new TestPostgres(vertx, admin, name);
  }

  private static void run(Vertx vertx, PgConnectOptions options, String sql) {
    await(PgConnection.connect(vertx, options)
        .compose(conn -> conn.query(sql).execute().eventually(conn::close)));
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  public String name() {
    return name;
  }

  /** Herald's PostgreSQL settings for this database. */
  public HeraldConfig.Postgres pg() {
    return new HeraldConfig.Postgres(admin.getHost(), admin.getPort(), name, admin.getUser(), admin.getPassword());
  }

  /** Storage settings for this database, in the conf file's shape, for {@link HeraldFixture#start}. */
  public JsonObject storageOverrides() {
    return new JsonObject().put("storage", new JsonObject()
        .put("kind", "postgres")
        .put("pg", new JsonObject()
            .put("host", admin.getHost())
            .put("port", admin.getPort())
            .put("database", name)
            .put("user", admin.getUser())
            .put("password", admin.getPassword())));
  }

  /** Drops the database; FORCE ends any session a failed test left open. */
  @Override
  public void close() {
    try {
      run(vertx, admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } finally {
      vertx.close();
    }
  }
}
