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
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * {@link Storage} over a Vert.x SQL {@link Pool}: the JDBC pool on an embedded SQLite file ({@link EmbeddedDatabase}),
 * or the reactive PostgreSQL client. The SQL is written once with {@code ?} placeholders and rewritten to {@code $n}
 * for PostgreSQL. Schema migrations (Flyway, {@code db/migration}) run before the pool opens.
 */
public final class SqlStorage implements Storage {
  private static final System.Logger LOG = System.getLogger(SqlStorage.class.getName());

  enum Dialect { SQLITE, POSTGRES }

  private final Pool pool;
  private final Dialect dialect;
  /** The embedded database's thread for the statements every post runs; null on PostgreSQL. */
  private final DatabaseThread direct;
  /**
   * Write transactions share commits with their neighbours ({@link GroupCommit}). On PostgreSQL groups are
   * partitioned by the row they contend on (a channel's stream), so they run side by side without ever waiting on
   * each other's locks; on SQLite, which has one writer, there is one. Either way one pool connection is always left
   * for reads.
   */
  private final GroupCommit[] groups;
  /** The rewritten SQL per statement, so the {@code ?} → {@code $n} pass runs once per statement. */
  private final ConcurrentHashMap<String, String> sqlCache = new ConcurrentHashMap<>();
  private volatile Team defaultTeam;

  private SqlStorage(Vertx vertx, Pool pool, Dialect dialect, int poolSize, DatabaseThread direct) {
    this.pool = pool;
    this.dialect = dialect;
    this.direct = direct;
    // SQLite has one writer at a time whatever the number of connections, so one group there: its writes queue
    // behind each other's commit and share the next fsync. PostgreSQL commits in parallel, so there, groups side by
    // side.
    this.groups = new GroupCommit[dialect == Dialect.SQLITE ? 1 : Math.max(1, poolSize - 1)];
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
      if (Files.exists(dir.resolve("herald.mv.db"))) {
        // Before SQLite the embedded database was H2; its file is not read, so say so rather than seem empty.
        LOG.log(System.Logger.Level.WARNING, "storage: {0} is an H2 database from an earlier Herald; it is not read"
            + " (the embedded database is now {1})", dir.resolve("herald.mv.db"), dir.resolve("herald.db"));
      }
      DataSource dataSource = EmbeddedDatabase.open(dir);
      migrate(dataSource);
      LOG.log(System.Logger.Level.INFO, "storage: embedded database at {0}", dir.resolve("herald.db"));
      Pool pool = JDBCPool.pool(vertx, EmbeddedDatabase.forVertxPool(dataSource), poolOptions(config));
      return (Storage) new SqlStorage(vertx, pool, Dialect.SQLITE, config.poolSize(),
          new DatabaseThread(vertx, dataSource));
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
      // The port as text: MessageFormat would print 5432 as "5,432".
      LOG.log(System.Logger.Level.INFO, "storage: PostgreSQL at {0}:{1}/{2}", pg.host(), String.valueOf(pg.port()),
          pg.database());
      return null;
    }).map(ignored -> {
      PgConnectOptions connect = new PgConnectOptions()
          .setHost(pg.host()).setPort(pg.port()).setDatabase(pg.database())
          .setUser(pg.user()).setPassword(pg.password())
          .setCachePreparedStatements(true);
      Pool pool = PgBuilder.pool()
          .with(poolOptions(config))
          .connectingTo(connect)
          .using(vertx)
          .build();
      return (Storage) new SqlStorage(vertx, pool, Dialect.POSTGRES, config.poolSize(), null);
    }).compose(storage -> ((SqlStorage) storage).loadDefaultTeam().map(storage));
  }

  /** A request that cannot get a connection within 10 s fails (internal_error, logged) instead of waiting forever. */
  private static PoolOptions poolOptions(HeraldConfig.Storage config) {
    return new PoolOptions().setMaxSize(config.poolSize()).setConnectionTimeout(10)
        .setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
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
  public Future<Team> createTeam(String name, String domain) {
    Team team = new Team(SlackIds.team(), name, domain, SlackTs.nowMicros());
    return group(team.id()).submit(conn -> update(conn,
            "INSERT INTO teams (id, name, domain, created) VALUES (?, ?, ?, ?)",
            Tuple.of(team.id(), name, domain, team.created()))
        .compose(r -> createStream(conn, team.id())))
        .map(team)
        .recover(err -> {
          if (!isUniqueViolation(err)) {
            return Future.failedFuture(err);
          }
          // Two unique constraints: ask which one, rather than parse two databases' messages.
          return one(pool, "SELECT id FROM teams WHERE domain = ?", Tuple.of(domain), row -> row.getString(0))
              .compose(taken -> Future.failedFuture(new HeraldException(
                  taken != null ? ErrorCode.DOMAIN_TAKEN : ErrorCode.NAME_TAKEN_IN_ORG)));
        });
  }

  @Override
  public Future<User> createUser(String teamId, String name, String realName, boolean isBot, String tokenHash) {
    return group(teamId).submit(conn -> insertUsers(conn, teamId, List.of(new NewUser(name, realName, isBot, tokenHash))))
        .map(users -> users.get(0))
        .recover(err -> Future.failedFuture(isUniqueViolation(err) ? new HeraldException(ErrorCode.NAME_TAKEN) : err));
  }

  @Override
  public Future<List<User>> createUsers(String teamId, List<NewUser> users) {
    return group(teamId).submit(conn -> insertUsers(conn, teamId, users))
        .recover(err -> Future.failedFuture(isUniqueViolation(err) ? new HeraldException(ErrorCode.NAME_TAKEN) : err));
  }

  /**
   * Four statements however many users, three of them batched: each statement is one trip to the database. The
   * first registration claims the team (owner_id IS NULL only once); the row lock makes a concurrent one see it
   * taken. Rolled back with the rest if a name is taken.
   */
  private Future<List<User>> insertUsers(SqlConnection conn, String teamId, List<NewUser> fresh) {
    long now = SlackTs.nowMicros();
    List<String> ids = new ArrayList<>(fresh.size());
    for (int i = 0; i < fresh.size(); i++) {
      ids.add(SlackIds.user());
    }
    return update(conn, "UPDATE teams SET owner_id = ? WHERE id = ? AND owner_id IS NULL", Tuple.of(ids.get(0), teamId))
        .compose(claimed -> {
          List<User> users = new ArrayList<>(fresh.size());
          List<Tuple> userRows = new ArrayList<>(fresh.size());
          List<Tuple> tokenRows = new ArrayList<>(fresh.size());
          List<Tuple> streamRows = new ArrayList<>(fresh.size());
          for (int i = 0; i < fresh.size(); i++) {
            NewUser n = fresh.get(i);
            User user = new User(ids.get(i), teamId, n.name(), n.realName(), n.isBot(), now, i == 0 && claimed > 0);
            users.add(user);
            userRows.add(Tuple.tuple(List.of(user.id(), teamId, n.name(), n.realName(), n.isBot(), now, user.isOwner())));
            tokenRows.add(Tuple.of(n.tokenHash(), user.id(), now));
            streamRows.add(Tuple.of(user.id()));
          }
          return batch(conn, "INSERT INTO users (id, team_id, name, real_name, is_bot, created, is_owner) "
                  + "VALUES (?, ?, ?, ?, ?, ?, ?)", userRows)
              .compose(v -> batch(conn, "INSERT INTO tokens (token_hash, user_id, created) VALUES (?, ?, ?)", tokenRows))
              .compose(v -> batch(conn, "INSERT INTO streams (id, last_seq, last_ts) VALUES (?, 0, 0)", streamRows))
              .map(users);
        });
  }

  private static final String USER_COLUMNS =
      "u.id, u.team_id, u.name, u.real_name, u.is_bot, u.created, u.is_owner";

  @Override
  public Future<User> userByTokenHash(String tokenHash) {
    String sql = "SELECT " + USER_COLUMNS + " FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?";
    if (direct != null) {
      return direct.read(db -> db.one(sql, SqlStorage::user, tokenHash));
    }
    return one(pool, sql, Tuple.of(tokenHash), SqlStorage::user);
  }

  @Override
  public Future<Boolean> revokeToken(String tokenHash) {
    return update(pool, "DELETE FROM tokens WHERE token_hash = ?", Tuple.of(tokenHash)).map(count -> count > 0);
  }

  @Override
  public Future<User> user(String id) {
    return one(pool, "SELECT " + USER_COLUMNS + " FROM users u WHERE u.id = ?", Tuple.of(id), SqlStorage::user);
  }

  // ---- conversations and members ----

  private static final String CONVERSATION_COLUMNS =
      "c.id, c.team_id, c.name, c.is_private, c.creator, c.created, c.is_archived, c.topic, c.topic_creator, "
          + "c.topic_set, c.purpose, c.purpose_creator, c.purpose_set, c.kind";

  @Override
  public Future<Conversation> createConversation(String teamId, String name, boolean isPrivate, String creator) {
    long now = SlackTs.nowMicros();
    Conversation c = new Conversation(isPrivate ? SlackIds.group() : SlackIds.channel(), teamId, name, isPrivate,
        creator, now, false, "", "", 0, "", "", 0);
    return group(c.id()).submit(conn -> update(conn,
            "INSERT INTO conversations (id, team_id, name, is_private, creator, created, kind) VALUES (?, ?, ?, ?, ?, ?, ?)",
            Tuple.of(c.id(), teamId, name, isPrivate, creator, now, c.kind()))
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

  /** The conversation and whether the user is in it, in one query: the access check on every read and post needs both. */
  private static final String SEEN_SQL = "SELECT " + CONVERSATION_COLUMNS + ", EXISTS (SELECT 1 FROM members m WHERE "
      + "m.conversation_id = c.id AND m.user_id = ?) FROM conversations c WHERE c.id = ?";

  private static Seen seen(Columns row) {
    return new Seen(conversation(row), row.bool(14));
  }

  @Override
  public Future<Seen> conversationSeenBy(String id, String userId) {
    if (direct != null) {
      return direct.read(db -> db.one(SEEN_SQL, SqlStorage::seen, userId, id));
    }
    return one(pool, SEEN_SQL, Tuple.of(userId, id), row -> seen(Columns.of(row)));
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

  private static final String INSERT_MESSAGE =
      "INSERT INTO messages (channel_id, ts, seq, user_id, subtype, text, thread_ts, extra) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String COUNT_REPLY =
      "UPDATE messages SET reply_count = reply_count + 1, latest_reply = ? WHERE channel_id = ? AND ts = ?";

  @Override
  public Future<PostedIn> postMessageIfAdmitted(String channelId, String userId, String subtype, String text,
      JsonObject extra, Function<Seen, Conversation> admit) {
    if (direct != null) {
      return direct.write(db -> {
        Conversation c = admit.apply(db.one(SEEN_SQL, SqlStorage::seen, userId, channelId));
        return new PostedIn(c, insertMessage(db, channelId, userId, subtype, text, null, extra));
      });
    }
    return group(channelId).submit(conn -> one(conn, SEEN_SQL, Tuple.of(userId, channelId), row -> seen(Columns.of(row)))
        .compose(seen -> {
          Conversation c = admit.apply(seen);
          return insertMessage(conn, channelId, userId, subtype, text, null, extra).map(m -> new PostedIn(c, m));
        }));
  }

  @Override
  public Future<Message> postMessage(String channelId, String userId, String subtype, String text, Long threadTs,
      JsonObject extra) {
    if (direct != null) {
      return direct.write(db -> {
        Message message = insertMessage(db, channelId, userId, subtype, text, threadTs, extra);
        if (threadTs != null && db.update(COUNT_REPLY, message.ts(), channelId, threadTs) == 0) {
          throw new HeraldException(ErrorCode.INVALID_THREAD_TS);
        }
        return message;
      });
    }
    return group(channelId).submit(conn -> insertMessage(conn, channelId, userId, subtype, text, threadTs, extra)
        .compose(message -> threadTs == null ? Future.succeededFuture(message)
            : update(conn, COUNT_REPLY, Tuple.of(message.ts(), channelId, threadTs)).compose(count -> count == 0
                ? Future.failedFuture(new HeraldException(ErrorCode.INVALID_THREAD_TS))
                : Future.succeededFuture(message))));
  }

  /** A post's body, inside the caller's transaction: the channel's next position, then the message row. */
  private Message insertMessage(DatabaseThread.Statements db, String channelId, String userId, String subtype,
      String text, Long threadTs, JsonObject extra) throws SQLException {
    Position position = advance(db, channelId, 1).get(0);
    db.update(INSERT_MESSAGE, channelId, position.ts(), position.seq(), userId, subtype, text, threadTs,
        extra == null ? null : extra.encode());
    return new Message(channelId, position.ts(), position.seq(), userId, subtype, text, threadTs, extra, null, null);
  }

  /** {@link #insertMessage(DatabaseThread.Statements, String, String, String, String, Long, JsonObject)} on the pool. */
  private Future<Message> insertMessage(SqlClient conn, String channelId, String userId, String subtype, String text,
      Long threadTs, JsonObject extra) {
    return advance(conn, channelId).compose(position -> {
      Message message = new Message(channelId, position.ts(), position.seq(), userId, subtype, text, threadTs, extra,
          null, null);
      return update(conn, INSERT_MESSAGE, Tuple.of(channelId, message.ts(), message.seq(), userId, subtype, text)
          .addValue(threadTs).addValue(extra == null ? null : extra.encode()))
          .map(message);
    });
  }

  private static final String MESSAGE_COLUMNS =
      "channel_id, ts, seq, user_id, subtype, text, thread_ts, extra, edited_ts, edited_by, reply_count, latest_reply";

  @Override
  public Future<List<Message>> history(String channelId, long latest, long oldest, boolean inclusive, int limit) {
    String sql = "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE channel_id = ?"
        + (inclusive ? " AND ts <= ? AND ts >= ?" : " AND ts < ? AND ts > ?")
        + IN_CHANNEL_VIEW + " ORDER BY ts DESC LIMIT ?";
    return list(pool, sql, Tuple.of(channelId, latest, oldest, limit), SqlStorage::message);
  }

  @Override
  public Future<Position> nextPosition(String channelId) {
    return nextPositions(channelId, 1).map(positions -> positions.get(0));
  }

  @Override
  public Future<List<Position>> nextPositions(String channelId, int count) {
    return group(channelId).submit(conn -> advance(conn, channelId, count));
  }

  /** Takes the channel's next sequence number and a ts after the last one; the row stays locked until commit. */
  private Future<Position> advance(SqlClient conn, String channelId) {
    return advance(conn, channelId, 1).map(positions -> positions.get(0));
  }

  /**
   * Takes {@code count} sequence numbers and as many ts after the last one, with one statement: the update hands back
   * the row it wrote ({@code RETURNING}), so a post pays no second read.
   */
  private Future<List<Position>> advance(SqlClient conn, String channelId, int count) {
    return query(conn, advanceSql(), Tuple.of(count, count, SlackTs.nowMicros(), channelId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(new HeraldException(ErrorCode.CHANNEL_NOT_FOUND));
      }
      Row row = rows.iterator().next();
      return Future.succeededFuture(positions(row.getLong(0), row.getLong(1), count));
    });
  }

  /** {@link #advance(SqlClient, String, int)} on the embedded database's own thread. */
  private List<Position> advance(DatabaseThread.Statements db, String channelId, int count) throws SQLException {
    List<Position> positions = db.one(advanceSql(),
        row -> positions(row.getLong(0), row.getLong(1), count), count, count, SlackTs.nowMicros(), channelId);
    if (positions == null) {
      throw new HeraldException(ErrorCode.CHANNEL_NOT_FOUND);
    }
    return positions;
  }

  private String advanceSql() {
    // The larger of two values: GREATEST in PostgreSQL, the two-argument MAX in SQLite.
    String greatest = dialect == Dialect.POSTGRES ? "GREATEST" : "MAX";
    return "UPDATE streams SET last_seq = last_seq + ?, last_ts = " + greatest + "(last_ts + ?, ?) WHERE id = ?"
        + " RETURNING last_seq, last_ts";
  }

  /** The {@code count} positions ending at the stream's new last seq and ts. */
  private static List<Position> positions(long lastSeq, long lastTs, int count) {
    List<Position> positions = new ArrayList<>(count);
    for (int i = count - 1; i >= 0; i--) {
      positions.add(new Position(lastSeq - i, lastTs - i));
    }
    return positions;
  }

  private Future<Integer> createStream(SqlClient conn, String id) {
    return update(conn, "INSERT INTO streams (id, last_seq, last_ts) VALUES (?, 0, 0)", Tuple.of(id));
  }

  // ---- the rest of the Web API ----

  /** What a channel's history shows: not thread replies, unless broadcast to the channel. */
  private static final String IN_CHANNEL_VIEW =
      " AND (thread_ts IS NULL OR thread_ts = ts OR subtype = 'thread_broadcast')";

  private static final String PROFILE_COLUMNS = "id, real_name, display_name, first_name, last_name, title, phone, "
      + "email, status_text, status_emoji, status_expiration, profile_updated";

  @Override
  public Future<List<User>> users(String teamId, String afterId, int limit) {
    return list(pool, "SELECT " + USER_COLUMNS + " FROM users u WHERE u.team_id = ? AND u.id > ? ORDER BY u.id LIMIT ?",
        Tuple.of(teamId, afterId == null ? "" : afterId, limit), SqlStorage::user);
  }

  @Override
  public Future<Map<String, Profile>> profiles(Collection<String> userIds) {
    if (userIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return list(pool, "SELECT " + PROFILE_COLUMNS + " FROM users WHERE id IN (" + placeholders(userIds.size()) + ")",
        Tuple.tuple(new ArrayList<>(userIds)), SqlStorage::profile)
        .map(profiles -> {
          Map<String, Profile> byId = new HashMap<>();
          profiles.forEach(p -> byId.put(p.userId(), p));
          return byId;
        });
  }

  @Override
  public Future<Profile> updateProfile(Profile p) {
    long now = SlackTs.nowMicros();
    return update(pool, "UPDATE users SET real_name = ?, display_name = ?, first_name = ?, last_name = ?, title = ?, "
            + "phone = ?, email = ?, status_text = ?, status_emoji = ?, status_expiration = ?, profile_updated = ? "
            + "WHERE id = ?",
        Tuple.tuple(List.of(p.realName(), p.displayName(), p.firstName(), p.lastName(), p.title(), p.phone(),
            p.email(), p.statusText(), p.statusEmoji(), p.statusExpiration(), now, p.userId())))
        .map(count -> new Profile(p.userId(), p.realName(), p.displayName(), p.firstName(), p.lastName(), p.title(),
            p.phone(), p.email(), p.statusText(), p.statusEmoji(), p.statusExpiration(), now));
  }

  @Override
  public Future<Opened> openDirect(String teamId, String kind, List<String> members, String creator) {
    String dmKey = kind + ":" + String.join(",", members);
    String select = "SELECT " + CONVERSATION_COLUMNS + " FROM conversations c WHERE c.team_id = ? AND c.dm_key = ?";
    return one(pool, select, Tuple.of(teamId, dmKey), SqlStorage::conversation).compose(existing -> {
      if (existing != null) {
        return Future.succeededFuture(new Opened(existing, false));
      }
      long now = SlackTs.nowMicros();
      String id = kind.equals(Conversation.IM) ? SlackIds.im() : SlackIds.group();
      // A DM has no name of its own; its id keeps the (team, name) constraint satisfied and never clashes with a
      // channel name, which is lowercase.
      Conversation c = new Conversation(id, teamId, id, true, creator, now, false, "", "", 0, "", "", 0, kind);
      return pool.withTransaction(conn -> {
            Future<Integer> chain = update(conn,
                "INSERT INTO conversations (id, team_id, name, is_private, creator, created, kind, dm_key) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                Tuple.tuple(List.of(id, teamId, id, true, creator, now, kind, dmKey)));
            for (String member : members) {
              chain = chain.compose(r -> update(conn,
                  "INSERT INTO members (conversation_id, user_id, joined) VALUES (?, ?, ?)", Tuple.of(id, member, now)));
            }
            return chain.compose(r -> createStream(conn, id));
          })
          .map(r -> new Opened(c, true))
          // Opened at the same moment by someone else: theirs it is.
          .recover(err -> isUniqueViolation(err)
              ? one(pool, select, Tuple.of(teamId, dmKey), SqlStorage::conversation).map(o -> new Opened(o, false))
              : Future.failedFuture(err));
    });
  }

  @Override
  public Future<List<Conversation>> conversations(String teamId, String viewerId, String memberId, Set<String> kinds,
      boolean excludeArchived, String afterId, int limit) {
    if (kinds.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Object> args = new ArrayList<>();
    args.add(teamId);
    args.add(afterId == null ? "" : afterId);
    args.addAll(kinds);
    args.add(viewerId);
    StringBuilder sql = new StringBuilder("SELECT ").append(CONVERSATION_COLUMNS)
        .append(" FROM conversations c WHERE c.team_id = ? AND c.id > ? AND c.kind IN (")
        .append(placeholders(kinds.size())).append(")")
        .append(excludeArchived ? " AND c.is_archived = FALSE" : "")
        .append(" AND (c.is_private = FALSE OR EXISTS (SELECT 1 FROM members m WHERE m.conversation_id = c.id AND m.user_id = ?))");
    if (memberId != null) {
      sql.append(" AND EXISTS (SELECT 1 FROM members m2 WHERE m2.conversation_id = c.id AND m2.user_id = ?)");
      args.add(memberId);
    }
    sql.append(" ORDER BY c.id LIMIT ?");
    args.add(limit);
    return list(pool, sql.toString(), Tuple.tuple(args), SqlStorage::conversation);
  }

  @Override
  public Future<Void> renameConversation(String id, String name) {
    return update(pool, "UPDATE conversations SET name = ? WHERE id = ?", Tuple.of(name, id))
        .<Void>mapEmpty()
        .recover(err -> Future.failedFuture(isUniqueViolation(err) ? new HeraldException(ErrorCode.NAME_TAKEN) : err));
  }

  @Override
  public Future<Boolean> setArchived(String id, boolean archived) {
    return update(pool, "UPDATE conversations SET is_archived = ? WHERE id = ? AND is_archived = ?",
        Tuple.of(archived, id, !archived)).map(count -> count > 0);
  }

  @Override
  public Future<Void> setTopic(String id, String topic, String userId, long at) {
    return update(pool, "UPDATE conversations SET topic = ?, topic_creator = ?, topic_set = ? WHERE id = ?",
        Tuple.of(topic, userId, at, id)).mapEmpty();
  }

  @Override
  public Future<Void> setPurpose(String id, String purpose, String userId, long at) {
    return update(pool, "UPDATE conversations SET purpose = ?, purpose_creator = ?, purpose_set = ? WHERE id = ?",
        Tuple.of(purpose, userId, at, id)).mapEmpty();
  }

  @Override
  public Future<Long> lastRead(String conversationId, String userId) {
    return one(pool, "SELECT last_read FROM members WHERE conversation_id = ? AND user_id = ?",
        Tuple.of(conversationId, userId), row -> row.getLong(0));
  }

  @Override
  public Future<Boolean> markRead(String conversationId, String userId, long ts) {
    return update(pool, "UPDATE members SET last_read = ? WHERE conversation_id = ? AND user_id = ?",
        Tuple.of(ts, conversationId, userId)).map(count -> count > 0);
  }

  @Override
  public Future<Message> message(String channelId, long ts) {
    return one(pool, "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE channel_id = ? AND ts = ?",
        Tuple.of(channelId, ts), SqlStorage::message);
  }

  @Override
  public Future<List<Message>> historyAscending(String channelId, long oldest, long latest, boolean inclusive,
      int limit) {
    String sql = "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE channel_id = ?"
        + (inclusive ? " AND ts >= ? AND ts <= ?" : " AND ts > ? AND ts < ?")
        + IN_CHANNEL_VIEW + " ORDER BY ts ASC LIMIT ?";
    return list(pool, sql, Tuple.of(channelId, oldest, latest, limit), SqlStorage::message);
  }

  @Override
  public Future<List<Message>> replies(String channelId, long threadTs, long oldest, long latest, boolean inclusive,
      int limit) {
    String sql = "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE channel_id = ? AND thread_ts = ? AND ts <> ?"
        + (inclusive ? " AND ts >= ? AND ts <= ?" : " AND ts > ? AND ts < ?")
        + " ORDER BY ts ASC LIMIT ?";
    return list(pool, sql, Tuple.of(channelId, threadTs, threadTs, oldest, latest, limit), SqlStorage::message);
  }

  @Override
  public Future<List<String>> replyUsers(String channelId, long threadTs, int limit) {
    return list(pool, "SELECT user_id, MIN(ts) AS first_ts FROM messages WHERE channel_id = ? AND thread_ts = ? "
            + "AND ts <> ? GROUP BY user_id ORDER BY first_ts LIMIT ?",
        Tuple.of(channelId, threadTs, threadTs, limit), row -> row.getString(0));
  }

  @Override
  public Future<Integer> replyUserCount(String channelId, long threadTs) {
    return one(pool, "SELECT COUNT(DISTINCT user_id) FROM messages WHERE channel_id = ? AND thread_ts = ? AND ts <> ?",
        Tuple.of(channelId, threadTs, threadTs), row -> row.getLong(0).intValue());
  }

  @Override
  public Future<Change> updateMessage(String channelId, long ts, String text, JsonObject extra, String editedBy) {
    // The stream row is locked first: every change to this channel's messages is serialised behind it.
    return pool.withTransaction(conn -> advance(conn, channelId).compose(position -> one(conn,
            "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE channel_id = ? AND ts = ?", Tuple.of(channelId, ts),
            SqlStorage::message)
        .compose(before -> {
          if (before == null) {
            return Future.failedFuture(new HeraldException(ErrorCode.MESSAGE_NOT_FOUND));
          }
          Message after = new Message(channelId, ts, before.seq(), before.userId(), before.subtype(), text,
              before.threadTs(), extra, position.ts(), editedBy, before.replyCount(), before.latestReply());
          return update(conn, "UPDATE messages SET text = ?, extra = ?, edited_ts = ?, edited_by = ? "
                  + "WHERE channel_id = ? AND ts = ?",
              Tuple.of(text).addValue(extra == null ? null : extra.encode())
                  .addValue(position.ts()).addValue(editedBy).addValue(channelId).addValue(ts))
              .map(r -> new Change(before, after, position));
        })));
  }

  @Override
  public Future<Change> deleteMessage(String channelId, long ts) {
    return pool.withTransaction(conn -> advance(conn, channelId).compose(position -> one(conn,
            "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE channel_id = ? AND ts = ?", Tuple.of(channelId, ts),
            SqlStorage::message)
        .compose(before -> {
          if (before == null) {
            return Future.failedFuture(new HeraldException(ErrorCode.MESSAGE_NOT_FOUND));
          }
          Tuple key = Tuple.of(channelId, ts);
          Future<Integer> chain = update(conn, "DELETE FROM reactions WHERE channel_id = ? AND ts = ?", key)
              .compose(r -> update(conn, "DELETE FROM pins WHERE channel_id = ? AND ts = ?", key))
              .compose(r -> update(conn, "DELETE FROM messages WHERE channel_id = ? AND ts = ?", key));
          if (before.isReply()) {
            long parent = before.threadTs();
            chain = chain.compose(r -> update(conn, "UPDATE messages SET reply_count = reply_count - 1, "
                    + "latest_reply = (SELECT MAX(r.ts) FROM messages r WHERE r.channel_id = ? AND r.thread_ts = ? "
                    + "AND r.ts <> r.thread_ts) WHERE channel_id = ? AND ts = ?",
                Tuple.of(channelId, parent, channelId, parent)));
          }
          return chain.map(r -> new Change(before, null, position));
        })));
  }

  @Override
  public Future<Boolean> addReaction(String channelId, long ts, String name, String userId) {
    return update(pool, "INSERT INTO reactions (channel_id, ts, name, user_id, created) VALUES (?, ?, ?, ?, ?)",
            Tuple.of(channelId, ts, name, userId, SlackTs.nowMicros()))
        .map(count -> count > 0)
        .recover(err -> isUniqueViolation(err) ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  @Override
  public Future<Boolean> removeReaction(String channelId, long ts, String name, String userId) {
    return update(pool, "DELETE FROM reactions WHERE channel_id = ? AND ts = ? AND name = ? AND user_id = ?",
        Tuple.of(channelId, ts, name, userId)).map(count -> count > 0);
  }

  @Override
  public Future<Map<Long, List<Reaction>>> reactions(String channelId, Collection<Long> ts) {
    if (ts.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<Object> args = new ArrayList<>();
    args.add(channelId);
    args.addAll(ts);
    return query(pool, "SELECT ts, name, user_id FROM reactions WHERE channel_id = ? AND ts IN ("
            + placeholders(ts.size()) + ") ORDER BY ts, created, name, user_id", Tuple.tuple(args))
        .map(rows -> {
          Map<Long, Map<String, List<String>>> grouped = new HashMap<>();
          for (Row row : rows) {
            grouped.computeIfAbsent(row.getLong(0), k -> new LinkedHashMap<>())
                .computeIfAbsent(row.getString(1), k -> new ArrayList<>()).add(row.getString(2));
          }
          Map<Long, List<Reaction>> out = new HashMap<>();
          grouped.forEach((messageTs, byName) -> {
            List<Reaction> reactions = new ArrayList<>();
            byName.forEach((name, users) -> reactions.add(new Reaction(name, users)));
            out.put(messageTs, reactions);
          });
          return out;
        });
  }

  @Override
  public Future<List<ReactedItem>> reactedItems(String userId, ReactedItem before, int limit) {
    List<Object> args = new ArrayList<>(List.of(userId));
    String having = "";
    if (before != null) {
      having = " HAVING MIN(created) < ? OR (MIN(created) = ? AND (channel_id < ? OR (channel_id = ? AND ts < ?)))";
      args.addAll(List.of(before.reactedAt(), before.reactedAt(), before.channelId(), before.channelId(), before.ts()));
    }
    args.add(limit);
    return list(pool, "SELECT channel_id, ts, MIN(created) FROM reactions WHERE user_id = ? GROUP BY channel_id, ts"
            + having + " ORDER BY MIN(created) DESC, channel_id DESC, ts DESC LIMIT ?",
        Tuple.tuple(args), row -> new ReactedItem(row.getString(0), row.getLong(1), row.getLong(2)));
  }

  @Override
  public Future<Boolean> addPin(String channelId, long ts, String userId) {
    return update(pool, "INSERT INTO pins (channel_id, ts, pinned_by, created) VALUES (?, ?, ?, ?)",
            Tuple.of(channelId, ts, userId, SlackTs.nowMicros()))
        .map(count -> count > 0)
        .recover(err -> isUniqueViolation(err) ? Future.succeededFuture(false) : Future.failedFuture(err));
  }

  @Override
  public Future<Boolean> removePin(String channelId, long ts) {
    return update(pool, "DELETE FROM pins WHERE channel_id = ? AND ts = ?", Tuple.of(channelId, ts))
        .map(count -> count > 0);
  }

  @Override
  public Future<List<Pin>> pins(String channelId) {
    return list(pool, "SELECT channel_id, ts, pinned_by, created FROM pins WHERE channel_id = ? ORDER BY created DESC, ts DESC",
        Tuple.of(channelId), row -> new Pin(row.getString(0), row.getLong(1), row.getString(2), row.getLong(3)));
  }

  private static final String BOOKMARK_COLUMNS =
      "id, channel_id, title, link, emoji, type, created, updated, updated_by";

  @Override
  public Future<Void> addBookmark(Bookmark b) {
    return update(pool, "INSERT INTO bookmarks (" + BOOKMARK_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        Tuple.tuple(List.of(b.id(), b.channelId(), b.title(), b.link(), b.emoji(), b.type(), b.created(), b.updated(),
            b.updatedBy()))).mapEmpty();
  }

  @Override
  public Future<Bookmark> bookmark(String channelId, String id) {
    return one(pool, "SELECT " + BOOKMARK_COLUMNS + " FROM bookmarks WHERE channel_id = ? AND id = ?",
        Tuple.of(channelId, id), SqlStorage::bookmark);
  }

  @Override
  public Future<Void> updateBookmark(Bookmark b) {
    return update(pool, "UPDATE bookmarks SET title = ?, link = ?, emoji = ?, updated = ?, updated_by = ? "
            + "WHERE channel_id = ? AND id = ?",
        Tuple.tuple(List.of(b.title(), b.link(), b.emoji(), b.updated(), b.updatedBy(), b.channelId(), b.id())))
        .mapEmpty();
  }

  @Override
  public Future<Boolean> removeBookmark(String channelId, String id) {
    return update(pool, "DELETE FROM bookmarks WHERE channel_id = ? AND id = ?", Tuple.of(channelId, id))
        .map(count -> count > 0);
  }

  @Override
  public Future<List<Bookmark>> bookmarks(String channelId) {
    return list(pool, "SELECT " + BOOKMARK_COLUMNS + " FROM bookmarks WHERE channel_id = ? ORDER BY created, id",
        Tuple.of(channelId), SqlStorage::bookmark);
  }

  private static String placeholders(int count) {
    StringBuilder out = new StringBuilder(count * 3);
    for (int i = 0; i < count; i++) {
      out.append(i == 0 ? "?" : ", ?");
    }
    return out.toString();
  }

  private static Profile profile(Row row) {
    return new Profile(row.getString(0), row.getString(1), row.getString(2), row.getString(3), row.getString(4),
        row.getString(5), row.getString(6), row.getString(7), row.getString(8), row.getString(9), row.getLong(10),
        row.getLong(11));
  }

  private static Bookmark bookmark(Row row) {
    return new Bookmark(row.getString(0), row.getString(1), row.getString(2), row.getString(3), row.getString(4),
        row.getString(5), row.getLong(6), row.getLong(7), row.getString(8));
  }

  @Override
  public Future<Void> close() {
    return (direct == null ? Future.<Void>succeededFuture() : direct.close()).compose(v -> pool.close());
  }

  // ---- plumbing ----

  /**
   * The statement as this database takes it: the placeholders (JDBC's {@code ?}, PostgreSQL's {@code $1, $2...}).
   * The schema and every statement are otherwise the same text for both, but for {@link #advance}'s larger-of-two.
   */
  private String sql(String text) {
    if (dialect != Dialect.POSTGRES) {
      return text;
    }
    return sqlCache.computeIfAbsent(text, SqlStorage::numberPlaceholders);
  }

  /** Rewrites each {@code ?} outside quotes to {@code $n}; a {@code ?} in a literal or quoted name is left alone. */
  static String numberPlaceholders(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    int n = 0;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        // A doubled quote inside quotes is an escaped one: it closes and reopens, so toggling twice is right.
        if (c == quote) {
          quote = 0;
        }
        out.append(c);
      } else if (c == '\'' || c == '"') {
        quote = c;
        out.append(c);
      } else if (c == '?') {
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

  /**
   * Runs a write. On the pool itself it runs in its own transaction with an explicit commit: vertx-jdbc-client 5.0.7
   * leaves a pooled connection in manual-commit mode after any transaction (JDBCTxOp sets autoCommit false after
   * commit), so a bare write on the pool could stay uncommitted, unseen by others and holding its locks.
   */
  private Future<Integer> update(SqlClient client, String text, Tuple args) {
    if (client == pool) {
      return pool.withTransaction(conn -> update(conn, text, args));
    }
    return query(client, text, args).map(RowSet::rowCount);
  }

  private Future<Void> batch(SqlClient client, String text, List<Tuple> rows) {
    return client.preparedQuery(sql(text)).executeBatch(rows).mapEmpty();
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
      // A failed batch reports its statements' errors as the chain of next exceptions.
      for (SQLException sql = t instanceof SQLException e ? e : null; sql != null; sql = sql.getNextException()) {
        if ("23505".equals(sql.getSQLState())) {
          return true;
        }
      }
      if (t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
        return true;
      }
      if (t instanceof org.sqlite.SQLiteException lite
          && (lite.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
              || lite.getResultCode() == org.sqlite.SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY)) {
        return true;
      }
    }
    return false;
  }

  private static Team team(Row row) {
    return new Team(row.getString(0), row.getString(1), row.getString(2), row.getLong(3));
  }

  private static User user(Row row) {
    return user(Columns.of(row));
  }

  private static User user(Columns row) {
    return new User(row.getString(0), row.getString(1), row.getString(2), row.getString(3), row.bool(4),
        row.getLong(5), row.bool(6));
  }

  private static Conversation conversation(Row row) {
    return conversation(Columns.of(row));
  }

  private static Conversation conversation(Columns row) {
    return new Conversation(row.getString(0), row.getString(1), row.getString(2), row.bool(3),
        row.getString(4), row.getLong(5), row.bool(6), row.getString(7), row.getString(8), row.getLong(9),
        row.getString(10), row.getString(11), row.getLong(12), row.getString(13));
  }

  private static Message message(Row row) {
    String extra = row.getString(7);
    return new Message(row.getString(0), row.getLong(1), row.getLong(2), row.getString(3), row.getString(4),
        row.getString(5), row.getLong(6), extra == null ? null : new JsonObject(extra), row.getLong(8),
        row.getString(9), row.getInteger(10), row.getLong(11));
  }
}
