package dev.herald.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.shared.config.HeraldConfig;
import dev.herald.testing.TestPostgres;
import io.vertx.core.Future;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * The storage contract on PostgreSQL through the reactive client, in a database made for this class. Under CI an
 * unreachable server fails the class rather than skipping it (see {@link TestPostgres}).
 */
@DisplayName("PostgreSQL storage")
class PostgresStorageTest extends StorageContractTest {
  private TestPostgres database;
  /** Why there is no database, outside CI: each test then reports itself skipped with this reason. */
  private TestAbortedException unavailable;

  @BeforeAll
  void createDatabase() {
    try {
      database = TestPostgres.create();
    } catch (TestAbortedException e) {
      unavailable = e;
    }
  }

  @AfterAll
  void dropDatabase() {
    if (database != null) {
      database.close();
    }
  }

  @Override
  protected HeraldConfig.Storage config() {
    if (database == null) {
      Assumptions.abort(unavailable.getMessage());
    }
    return postgres(database);
  }

  private static HeraldConfig.Storage postgres(TestPostgres db) {
    HeraldConfig.Storage defaults = HeraldConfig.defaults().storage();
    return new HeraldConfig.Storage("postgres", defaults.dataDir(), defaults.poolSize(), db.pg());
  }

  @Test
  @DisplayName("Webapps opening an empty database at once migrate it once and agree on one default team")
  void concurrentFirstStartsAgree() {
    try (TestPostgres empty = TestPostgres.create()) {
      List<Future<Storage>> opening = List.of(
          SqlStorage.open(vertx, postgres(empty)), SqlStorage.open(vertx, postgres(empty)),
          SqlStorage.open(vertx, postgres(empty)));
      List<Storage> opened = await(Future.all(opening).map(all -> all.<Storage>list()));
      try {
        Team first = await(opened.get(0).defaultTeam());
        for (Storage s : opened) {
          assertEquals(first, await(s.defaultTeam()));
        }
      } finally {
        await(Future.all(opened.stream().map(Storage::close).toList()));
      }
    }
  }
}
