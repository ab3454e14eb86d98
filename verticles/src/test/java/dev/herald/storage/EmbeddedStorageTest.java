package dev.herald.storage;

import dev.herald.shared.config.HeraldConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;

/** The storage contract on the embedded database: an H2 file in a directory of its own. */
@DisplayName("Embedded (H2) storage")
class EmbeddedStorageTest extends StorageContractTest {
  @TempDir
  static Path dataDir;

  @Override
  protected HeraldConfig.Storage config() {
    HeraldConfig.Storage defaults = HeraldConfig.defaults().storage();
    return new HeraldConfig.Storage("embedded", dataDir.toString(), defaults.poolSize(), defaults.pg());
  }
}
