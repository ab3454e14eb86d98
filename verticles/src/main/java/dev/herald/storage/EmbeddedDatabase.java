package dev.herald.storage;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The embedded database: one SQLite file ({@code herald.db}) in write-ahead-log mode.
 *
 * <p>Why these settings:
 * <ul>
 *   <li>{@code synchronous=FULL}: every commit is fsynced to the log before it returns, so an acknowledged post
 *       survives a crash of the process and of the machine. Group commit ({@link GroupCommit}) shares that fsync
 *       among the posts that arrive while one is in progress.
 *   <li>WAL: readers never wait for the writer, and a commit appends only the pages it changed.
 *   <li>{@code BEGIN IMMEDIATE}: a transaction takes the write lock when it starts, so one that reads before it
 *       writes cannot fail half-way because another committed in between; waits for the lock are bounded by the
 *       busy timeout (worker threads only).
 *   <li>Foreign keys on, as the schema declares them (SQLite leaves them off by default).
 * </ul>
 */
final class EmbeddedDatabase {
  private static final int BUSY_TIMEOUT_MS = 10_000;

  private EmbeddedDatabase() {}

  /** The database file in {@code dir}, with the settings above on every connection. */
  static DataSource open(Path dir) {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.enforceForeignKeys(true);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    SQLiteDataSource sqlite = new SQLiteDataSource(config);
    sqlite.setUrl("jdbc:sqlite:" + dir.resolve("herald.db"));
    return sqlite;
  }

  /** {@code dataSource} as the Vert.x JDBC pool must see it: see {@link AutoCommitAfterTransactions}. */
  static DataSource forVertxPool(DataSource dataSource) {
    return new AutoCommitAfterTransactions(dataSource);
  }

  /**
   * Gives connections back to auto-commit once a transaction ends. vertx-jdbc-client 5.0.7's transaction end
   * ({@code JDBCTxOp}) commits and then sets auto-commit <em>off</em>, leaving every pooled connection inside an
   * open transaction. On SQLite that is harmful twice over: a later plain read on that connection would keep one
   * snapshot for ever (stale reads), and with {@code BEGIN IMMEDIATE} the connection would hold the write lock.
   * So the {@code setAutoCommit(false)} that follows a commit or rollback turns auto-commit back on instead; a
   * {@code setAutoCommit(false)} anywhere else (a transaction's start) is passed through.
   */
  private static final class AutoCommitAfterTransactions implements DataSource {
    private final DataSource target;

    AutoCommitAfterTransactions(DataSource target) {
      this.target = target;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return wrap(target.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return wrap(target.getConnection(user, password));
    }

    private static Connection wrap(Connection connection) {
      InvocationHandler handler = new InvocationHandler() {
        private boolean transactionJustEnded;

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
          String name = method.getName();
          if (name.equals("setAutoCommit") && args[0] == Boolean.FALSE && transactionJustEnded) {
            transactionJustEnded = false;
            connection.setAutoCommit(true);
            return null;
          }
          try {
            Object result = method.invoke(connection, args);
            if (name.equals("commit") || name.equals("rollback") && (args == null || args.length == 0)) {
              transactionJustEnded = true;
            } else if (name.equals("setAutoCommit")) {
              transactionJustEnded = false;
            }
            return result;
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        }
      };
      return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
          new Class<?>[] {Connection.class}, handler);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      return target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return target.isWrapperFor(iface);
    }
  }
}
