package dev.herald.storage;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import dev.herald.shared.config.HeraldConfig;
import dev.herald.shared.protocol.SlackIds;
import dev.herald.shared.protocol.SlackTs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/**
 * {@link Storage} over a Vert.x SQL {@link Pool}: the JDBC pool on an embedded H2 file, or the reactive PostgreSQL
 * client. The SQL is written once with {@code ?} placeholders and rewritten to {@code $n} for PostgreSQL. Schema
 * migrations (Flyway, {@code db/migration}) run before the pool opens.
 */
public final class SqlStorage implements Storage {
  private static final System.Logger LOG = System.getLogger(SqlStorage.class.getName());

  enum Dialect { H2, POSTGRES }

  private final Pool pool;
  private final Dialect dialect;
  /**
   * Write transactions share commits with their neighbours ({@link GroupCommit}). Groups are partitioned by the
   * row they contend on (a channel's stream), so groups run side by side without ever waiting on each other's locks;
   * one pool connection is always left for reads.
   */
  private final GroupCommit[] groups;
  /** The rewritten SQL per statement, so the {@code ?} → {@code $n} pass runs once per statement. */
  private final ConcurrentHashMap<String, String> sqlCache = new ConcurrentHashMap<>();
  private volatile Team defaultTeam;

  private SqlStorage(Vertx vertx, Pool pool, Dialect dialect, int poolSize) {
    this.pool = pool;
    this.dialect = dialect;
    this.groups = new GroupCommit[Math.max(1, poolSize - 1)];
    for (int i = 0; i < groups.length; i++) {
      groups[i] = new GroupCommit(vertx, pool);
    }
  }

  /** The commit group for writes that lock {@code key}'s stream row. */
  private GroupCommit group(String key) {
    return groups[Math.floorMod(key.hashCode(), groups.length)];
  }

  /** Opens the configured database, migrating its schema first. */
  public static Future<Storage> open(Vertx vertx, HeraldConfig.Storage config) {
    if (config.kind().equals("postgres")) {
      return openPostgres(vertx, config);
    }
    return openEmbedded(vertx, config);
  }

  private static Future<Storage> openEmbedded(Vertx vertx, HeraldConfig.Storage config) {
    return vertx.executeBlocking(() -> {
      Path dir = Path.of(config.dataDir()).toAbsolutePath();
      Files.createDirectories(dir);
      JdbcDataSource dataSource = new JdbcDataSource();
      // WRITE_DELAY=0: every commit is written to the file before it returns, so an acknowledged post survives
      // a crash of the process. DB_CLOSE_ON_EXIT=FALSE: we close it ourselves, after the servers stop.
      dataSource.setURL("jdbc:h2:file:" + dir.resolve("herald") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
      dataSource.setUser("herald");
      dataSource.setPassword("");
      migrate(dataSource);
      LOG.log(System.Logger.Level.INFO, "storage: embedded database at {0}", dir);
      return dataSource;
    }).map(dataSource -> {
      Pool pool = JDBCPool.pool(vertx, (DataSource) dataSource, new PoolOptions().setMaxSize(config.poolSize()));
      return (Storage) new SqlStorage(vertx, pool, Dialect.H2, config.poolSize());
    }).compose(storage -> ((SqlStorage) storage).loadDefaultTeam().map(storage));
  }

  private static Future<Storage> openPostgres(Vertx vertx, HeraldConfig.Storage config) {
    HeraldConfig.Postgres pg = config.pg();
    return vertx.executeBlocking(() -> {
      org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
      dataSource.setServerNames(new String[] {pg.host()});
      dataSource.setPortNumbers(new int[] {pg.port()});
      dataSource.setDatabaseName(pg.database());
      dataSource.setUser(pg.user());
      dataSource.setPassword(pg.password());
      migrate(dataSource);
      LOG.log(System.Logger.Level.INFO, "storage: PostgreSQL at {0}:{1}/{2}", pg.host(), pg.port(), pg.database());
      return null;
    }).map(ignored -> {
      PgConnectOptions connect = new PgConnectOptions()
          .setHost(pg.host()).setPort(pg.port()).setDatabase(pg.database())
          .setUser(pg.user()).setPassword(pg.password())
          .setCachePreparedStatements(true);
      Pool pool = PgBuilder.pool()
          .with(new PoolOptions().setMaxSize(config.poolSize()))
          .connectingTo(connect)
          .using(vertx)
          .build();
      return (Storage) new SqlStorage(vertx, pool, Dialect.POSTGRES, config.poolSize());
    }).compose(storage -> ((SqlStorage) storage).loadDefaultTeam().map(storage));
  }

  private static void migrate(DataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  // ---- teams and users ----

  private Future<Team> loadDefaultTeam() {
    return query(pool, "SELECT id, name, domain, created FROM teams ORDER BY created, id LIMIT 1", Tuple.tuple())
        .compose(rows -> {
          if (rows.size() > 0) {
            return Future.succeededFuture(team(rows.iterator().next()));
          }
          Team team = new Team(SlackIds.team(), "Herald", "herald", SlackTs.nowMicros());
          return pool.withTransaction(conn -> update(conn,
                  "INSERT INTO teams (id, name, domain, created) VALUES (?, ?, ?, ?)",
                  Tuple.of(team.id(), team.name(), team.domain(), team.created()))
              .compose(r -> createStream(conn, team.id())))
              .map(team)
              // Another Webapp created it first: take theirs.
              .recover(err -> isUniqueViolation(err) ? loadDefaultTeam() : Future.failedFuture(err));
        })
        .onSuccess(team -> defaultTeam = team);
  }

  @Override
  public Future<Team> defaultTeam() {
    return Future.succeededFuture(defaultTeam);
  }

  @Override
  public Future<Team> team(String id) {
    return one(pool, "SELECT id, name, domain, created FROM teams WHERE id = ?", Tuple.of(id), SqlStorage::team);
  }

  @Override
  public Future<User> createUser(String teamId, String name, String realName, boolean isBot, String tokenHash) {
    User user = new User(SlackIds.user(), teamId, name, realName, isBot, SlackTs.nowMicros());
    return group(user.id()).submit(conn -> update(conn,
            "INSERT INTO users (id, team_id, name, real_name, is_bot, created) VALUES (?, ?, ?, ?, ?, ?)",
            Tuple.of(user.id(), teamId, name, realName, isBot, user.created()))
        .compose(r -> update(conn, "INSERT INTO tokens (token_hash, user_id, created) VALUES (?, ?, ?)",
            Tuple.of(tokenHash, user.id(), user.created())))
        .compose(r -> createStream(conn, user.id())))
        .map(user)
        .recover(err -> Future.failedFuture(isUniqueViolation(err) ? new HeraldException(ErrorCode.NAME_TAKEN) : err));
  }

  private static final String USER_COLUMNS = "u.id, u.team_id, u.name, u.real_name, u.is_bot, u.created";

  @Override
  public Future<User> userByTokenHash(String tokenHash) {
    return one(pool, "SELECT " + USER_COLUMNS + " FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?",
        Tuple.of(tokenHash), SqlStorage::user);
  }

  @Override
  public Future<User> user(String id) {
    return one(pool, "SELECT " + USER_COLUMNS + " FROM users u WHERE u.id = ?", Tuple.of(id), SqlStorage::user);
  }

  // ---- conversations and members ----

  private static final String CONVERSATION_COLUMNS =
      "c.id, c.team_id, c.name, c.is_private, c.creator, c.created, c.is_archived, c.topic, c.topic_creator, "
          + "c.topic_set, c.purpose, c.purpose_creator, c.purpose_set";

  @Override
  public Future<Conversation> createConversation(String teamId, String name, boolean isPrivate, String creator) {
    long now = SlackTs.nowMicros();
    Conversation c = new Conversation(isPrivate ? SlackIds.group() : SlackIds.channel(), teamId, name, isPrivate,
        creator, now, false, "", "", 0, "", "", 0);
    return group(c.id()).submit(conn -> update(conn,
            "INSERT INTO conversations (id, team_id, name, is_private, creator, created) VALUES (?, ?, ?, ?, ?, ?)",
            Tuple.of(c.id(), teamId, name, isPrivate, creator, now))
        .compose(r -> update(conn, "INSERT INTO members (conversation_id, user_id, joined) VALUES (?, ?, ?)",
            Tuple.of(c.id(), creator, now)))
        .compose(r -> createStream(conn, c.id())))
        .map(c)
        .recover(err -> Future.failedFuture(isUniqueViolation(err) ? new HeraldException(ErrorCode.NAME_TAKEN) : err));
  }

  @Override
  public Future<Conversation> conversation(String id) {
    return one(pool, "SELECT " + CONVERSATION_COLUMNS + " FROM conversations c WHERE c.id = ?", Tuple.of(id),
        SqlStorage::conversation);
  }

  @Override
  public Future<List<Conversation>> conversations(
      String teamId, String viewerId, boolean excludeArchived, String afterId, int limit) {
    String sql = "SELECT " + CONVERSATION_COLUMNS + " FROM conversations c WHERE c.team_id = ? AND c.id > ?"
        + (excludeArchived ? " AND c.is_archived = FALSE" : "")
        + " AND (c.is_private = FALSE OR EXISTS (SELECT 1 FROM members m WHERE m.conversation_id = c.id AND m.user_id = ?))"
        + " ORDER BY c.id LIMIT ?";
    return list(pool, sql, Tuple.of(teamId, afterId == null ? "" : afterId, viewerId, limit), SqlStorage::conversation);
  }

  @Override
  public Future<List<String>> conversationIdsOf(String userId) {
    return list(pool, "SELECT conversation_id FROM members WHERE user_id = ? ORDER BY conversation_id",
        Tuple.of(userId), row -> row.getString(0));
  }

  @Override
  public Future<Boolean> isMember(String conversationId, String userId) {
    return query(pool, "SELECT 1 FROM members WHERE conversation_id = ? AND user_id = ?",
        Tuple.of(conversationId, userId)).map(rows -> rows.size() > 0);
  }

  @Override
  public Future<Boolean> addMember(String conversationId, String userId) {
    return group(conversationId).submit(conn -> update(conn,
            "INSERT INTO members (conversation_id, user_id, joined) VALUES (?, ?, ?)",
            Tuple.of(conversationId, userId, SlackTs.nowMicros())))
        .map(count -> count > 0)
        .recover(err -> isUniqueViolation(err) ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  @Override
  public Future<Boolean> removeMember(String conversationId, String userId) {
    return update(pool, "DELETE FROM members WHERE conversation_id = ? AND user_id = ?",
        Tuple.of(conversationId, userId)).map(count -> count > 0);
  }

  @Override
  public Future<List<String>> members(String conversationId, String afterUserId, int limit) {
    return list(pool, "SELECT user_id FROM members WHERE conversation_id = ? AND user_id > ? ORDER BY user_id LIMIT ?",
        Tuple.of(conversationId, afterUserId == null ? "" : afterUserId, limit), row -> row.getString(0));
  }

  @Override
  public Future<Integer> memberCount(String conversationId) {
    return one(pool, "SELECT COUNT(*) FROM members WHERE conversation_id = ?", Tuple.of(conversationId),
        row -> row.getLong(0).intValue());
  }

  // ---- messages and streams ----

  @Override
  public Future<Message> postMessage(String channelId, String userId, String subtype, String text, Long threadTs,
      JsonObject extra) {
    return group(channelId).submit(conn -> advance(conn, channelId).compose(position -> {
      Message message = new Message(channelId, position.ts(), position.seq(), userId, subtype, text, threadTs, extra,
          null, null);
      return update(conn,
          "INSERT INTO messages (channel_id, ts, seq, user_id, subtype, text, thread_ts, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          Tuple.of(channelId, message.ts(), message.seq(), userId, subtype, text)
              .addValue(threadTs).addValue(extra == null ? null : extra.encode()))
          .map(message);
    }));
  }

  private static final String MESSAGE_COLUMNS =
      "channel_id, ts, seq, user_id, subtype, text, thread_ts, extra, edited_ts, edited_by";

  @Override
  public Future<List<Message>> history(String channelId, long latest, long oldest, boolean inclusive, int limit) {
    String sql = "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE channel_id = ?"
        + (inclusive ? " AND ts <= ? AND ts >= ?" : " AND ts < ? AND ts > ?")
        + " ORDER BY ts DESC LIMIT ?";
    return list(pool, sql, Tuple.of(channelId, latest, oldest, limit), SqlStorage::message);
  }

  @Override
  public Future<Position> nextPosition(String channelId) {
    return group(channelId).submit(conn -> advance(conn, channelId));
  }

  /** Takes the channel's next sequence number and a ts after the last one; the row stays locked until commit. */
  private Future<Position> advance(SqlClient conn, String channelId) {
    return update(conn, "UPDATE streams SET last_seq = last_seq + 1, last_ts = GREATEST(last_ts + 1, ?) WHERE id = ?",
            Tuple.of(SlackTs.nowMicros(), channelId))
        .compose(count -> count == 0
            ? Future.failedFuture(new HeraldException(ErrorCode.CHANNEL_NOT_FOUND))
            : one(conn, "SELECT last_seq, last_ts FROM streams WHERE id = ?", Tuple.of(channelId),
                row -> new Position(row.getLong(0), row.getLong(1))));
  }

  private Future<Integer> createStream(SqlClient conn, String id) {
    return update(conn, "INSERT INTO streams (id, last_seq, last_ts) VALUES (?, 0, 0)", Tuple.of(id));
  }

  @Override
  public Future<Void> close() {
    return pool.close();
  }

  // ---- plumbing ----

  private String sql(String text) {
    if (dialect != Dialect.POSTGRES) {
      return text;
    }
    return sqlCache.computeIfAbsent(text, SqlStorage::numberPlaceholders);
  }

  static String numberPlaceholders(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    int n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '?') {
        out.append('$').append(++n);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private Future<RowSet<Row>> query(SqlClient client, String text, Tuple args) {
    return client.preparedQuery(sql(text)).execute(args);
  }

  private Future<Integer> update(SqlClient client, String text, Tuple args) {
    return query(client, text, args).map(RowSet::rowCount);
  }

  private <T> Future<T> one(SqlClient client, String text, Tuple args, Function<Row, T> mapper) {
    return query(client, text, args).map(rows -> rows.size() == 0 ? null : mapper.apply(rows.iterator().next()));
  }

  private <T> Future<List<T>> list(SqlClient client, String text, Tuple args, Function<Row, T> mapper) {
    return query(client, text, args).map(rows -> {
      List<T> out = new ArrayList<>(rows.size());
      for (Row row : rows) {
        out.add(mapper.apply(row));
      }
      return out;
    });
  }

  static boolean isUniqueViolation(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
        return true;
      }
      if (t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
        return true;
      }
    }
    return false;
  }

  private static Team team(Row row) {
    return new Team(row.getString(0), row.getString(1), row.getString(2), row.getLong(3));
  }

  private static User user(Row row) {
    return new User(row.getString(0), row.getString(1), row.getString(2), row.getString(3), row.getBoolean(4),
        row.getLong(5));
  }

  private static Conversation conversation(Row row) {
    return new Conversation(row.getString(0), row.getString(1), row.getString(2), row.getBoolean(3),
        row.getString(4), row.getLong(5), row.getBoolean(6), row.getString(7), row.getString(8), row.getLong(9),
        row.getString(10), row.getString(11), row.getLong(12));
  }

  private static Message message(Row row) {
    String extra = row.getString(7);
    return new Message(row.getString(0), row.getLong(1), row.getLong(2), row.getString(3), row.getString(4),
        row.getString(5), row.getLong(6), extra == null ? null : new JsonObject(extra), row.getLong(8),
        row.getString(9));
  }
}
