package dev.herald.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh PostgreSQL database for one multi-JVM test class, on the server named by {@code HERALD_TEST_PG_HOST},
 * {@code _PORT}, {@code _DATABASE}, {@code _USER}, {@code _PASSWORD} (defaults: 127.0.0.1, 5432, herald, herald,
 * herald; {@code scripts/postgres.sh start} provides it). Dropped on close.
 */
final class ClusterDatabase implements AutoCloseable {
  private final String host;
  private final int port;
  private final String adminDatabase;
  private final String user;
  private final String password;
  private final String name;

  private ClusterDatabase() {
    Map<String, String> env = System.getenv();
    this.host = env.getOrDefault("HERALD_TEST_PG_HOST", "127.0.0.1");
    this.port = Integer.parseInt(env.getOrDefault("HERALD_TEST_PG_PORT", "5432"));
    this.adminDatabase = env.getOrDefault("HERALD_TEST_PG_DATABASE", "herald");
    this.user = env.getOrDefault("HERALD_TEST_PG_USER", "herald");
    this.password = env.getOrDefault("HERALD_TEST_PG_PASSWORD", "herald");
    this.name = "herald_test_cluster_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  static ClusterDatabase create() {
    ClusterDatabase db = new ClusterDatabase();
    db.execute("CREATE DATABASE " + db.name);
    return db;
  }

  /** The environment that points a Herald JVM at this database. */
  Map<String, String> heraldEnv() {
    return Map.of(
        "HERALD_STORAGE_KIND", "postgres",
        "HERALD_STORAGE_PG_HOST", host,
        "HERALD_STORAGE_PG_PORT", Integer.toString(port),
        "HERALD_STORAGE_PG_DATABASE", name,
        "HERALD_STORAGE_PG_USER", user,
        "HERALD_STORAGE_PG_PASSWORD", password);
  }

  private void execute(String sql) {
    String url = "jdbc:postgresql://" + host + ":" + port + "/" + adminDatabase;
    try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new AssertionError("PostgreSQL at " + host + ":" + port + " (" + sql + "): " + e.getMessage()
          + " -- start it with scripts/postgres.sh start", e);
    }
  }

  @Override
  public void close() {
    execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }
}
