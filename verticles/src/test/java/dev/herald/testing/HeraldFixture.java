package dev.herald.testing;

import dev.herald.launcher.Herald;
import dev.herald.launcher.Role;
import dev.herald.shared.bus.Codecs;
import dev.herald.shared.config.HeraldConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** A real Herald on loopback with every port picked by the OS and its own data directory. */
public final class HeraldFixture implements AutoCloseable {
  public static final long TIMEOUT_SECONDS = 20;
  public static final long START_TIMEOUT_SECONDS = 90;

  private final Vertx vertx;
  private final Herald herald;
  private final Path dataDir;

  private HeraldFixture(Vertx vertx, Herald herald, Path dataDir) {
    this.vertx = vertx;
    this.herald = herald;
    this.dataDir = dataDir;
  }

  public static HeraldFixture start() {
    return start(newDataDir(), new JsonObject());
  }

  public static HeraldFixture start(Path dataDir, JsonObject overrides) {
    return start(dataDir, overrides, EnumSet.allOf(Role.class));
  }

  public static HeraldFixture start(Path dataDir, JsonObject overrides, Set<Role> roles) {
    // Rate limits off unless a test turns them on: tests call far faster than any Slack tier allows.
    JsonObject conf = new JsonObject()
        .put("webapp", new JsonObject().put("port", 0)
            .put("rate_limits", new JsonObject().put("enabled", false)))
        .put("gateway", new JsonObject().put("port", 0))
        .put("storage", new JsonObject().put("data_dir", dataDir.toString()));
    HeraldConfig config = HeraldConfig.load(conf, java.util.Map.of()).with(overrides);
    Vertx vertx = Vertx.vertx();
    Codecs.registerAll(vertx);
    // Start-up gets longer than other steps: migrations and four roles on a busy two-core machine.
    Herald herald = await(Herald.start(vertx, config, roles), START_TIMEOUT_SECONDS);
    return new HeraldFixture(vertx, herald, dataDir);
  }

  public static Path newDataDir() {
    try {
      return Files.createTempDirectory("herald-test-");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static <T> T await(Future<T> future) {
    return await(future, TIMEOUT_SECONDS);
  }

  public static <T> T await(Future<T> future, long seconds) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  public Herald herald() {
    return herald;
  }

  public Path dataDir() {
    return dataDir;
  }

  public ApiClient api() {
    return new ApiClient(vertx, herald.webappPort());
  }

  @Override
  public void close() {
    await(herald.stop().eventually(vertx::close));
  }
}
