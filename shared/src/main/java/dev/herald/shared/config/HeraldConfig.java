package dev.herald.shared.config;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed configuration. Three layers, later ones winning: the defaults in {@code conf/herald.json} (packaged in the
 * jar, so no file is needed), an operator's {@code --conf} file, then environment variables named
 * {@code HERALD_<SECTION>_<KEY>} (for example {@code HERALD_WEBAPP_PORT=9090}, {@code HERALD_STORAGE_PG_HOST=db1}).
 * Every key is documented in {@code conf/README.md}. Unknown keys are rejected at start-up, so a typo never goes
 * unnoticed.
 */
public record HeraldConfig(
    Webapp webapp, Gateway gateway, Channel channel, Presence presence, Ring ring, Storage storage,
    Cluster cluster, JsonObject json) {

  public record Webapp(String host, int port, int instances, int maxBodyBytes, int tokenCacheSeconds) {}

  /** {@code publicUrl} empty means {@code ws://host:port/websocket} with the port actually bound. */
  public record Gateway(String host, int port, String publicUrl, int instances, long ticketTtlMs, int maxFrameBytes,
      long pingIntervalMs, long idleTimeoutMs, int maxQueuedBytes, long typingIntervalMs, long drainSpreadMs,
      boolean compactHeap) {}

  /** {@code drainTimeoutMs}: the longest a cleanly stopping Channel server waits for Gateways to move away. */
  public record Channel(int instances, long reorderTimeoutMs, int windowSize, long windowMs, long drainTimeoutMs) {}

  public record Presence(int instances, long awayGraceMs, long gatewayLeaseMs, long heartbeatMs, long batchMs) {}

  /**
   * {@code handoffMs}: after a ring change, how long a new owner keeps recent events for Gateways still moving to it,
   * and how long Gateways stay subscribed at the previous owner. {@code rollCallMs}: how long a ring manager that
   * takes over collects Channel servers' re-announcements before publishing its first version.
   */
  public record Ring(int virtualNodes, long handoffMs, long rollCallMs) {}

  /**
   * The Hazelcast cluster ({@code --cluster}). {@code members}: comma-separated {@code host[:port]} to join through;
   * {@code host} empty means the local address among {@code members}; {@code port} and {@code busPort} (the event
   * bus's own) 0 mean any free port.
   */
  public record Cluster(String name, List<String> members, String host, int port, int busPort, int heartbeatSeconds,
      int failureSeconds) {}

  public record Storage(String kind, String dataDir, int poolSize, Postgres pg) {}

  public record Postgres(String host, int port, String database, String user, String password) {}

  /**
   * {@code webapp.rate_limits}: calls per {@code windowSeconds} for each of Slack's tiers, per caller and method;
   * {@code special} is {@code chat.postMessage} per channel; a bucket holds at least {@code minBurst} calls.
   */
  public record RateLimits(boolean enabled, int windowSeconds, int tier1, int tier2, int tier3, int tier4,
      int special, int minBurst) {}

  /** The Web API's rate limits ({@code webapp.rate_limits}). */
  public RateLimits rateLimits() {
    JsonObject r = json.getJsonObject("webapp").getJsonObject("rate_limits");
    return new RateLimits(r.getBoolean("enabled"), r.getInteger("window_seconds"), r.getInteger("tier1"),
        r.getInteger("tier2"), r.getInteger("tier3"), r.getInteger("tier4"), r.getInteger("special"),
        r.getInteger("min_burst"));
  }

  public static final String ENV_PREFIX = "HERALD_";

  /**
   * The port to give Vert.x for a configured port. Instances of a role in one JVM share one listening socket; Vert.x
   * shares servers by configured port and treats a negative port -n as "random port number n, shared by all who
   * ask for it", which is what 0 (any free port) means here; each role gets its own n, or they would share one.
   */
  public static int listenPort(int configured, int roleSlot) {
    return configured == 0 ? -roleSlot : configured;
  }

  public static final int WEBAPP_PORT_SLOT = 1;
  public static final int GATEWAY_PORT_SLOT = 2;

  /** The packaged defaults alone. */
  public static HeraldConfig defaults() {
    return load(new JsonObject(), Map.of());
  }

  /** Defaults, overlaid with {@code file} (may be empty), then with matching environment variables. */
  public static HeraldConfig load(JsonObject file, Map<String, String> env) {
    JsonObject merged = packagedDefaults();
    overlay(merged, file, "");
    applyEnvironment(merged, "", env);
    return from(merged);
  }

  /** A copy of this configuration with {@code overrides} (same shape as the conf file) laid over it. */
  public HeraldConfig with(JsonObject overrides) {
    JsonObject merged = json.copy();
    overlay(merged, overrides, "");
    return from(merged);
  }

  private static HeraldConfig from(JsonObject c) {
    JsonObject w = c.getJsonObject("webapp");
    JsonObject g = c.getJsonObject("gateway");
    JsonObject ch = c.getJsonObject("channel");
    JsonObject p = c.getJsonObject("presence");
    JsonObject r = c.getJsonObject("ring");
    JsonObject s = c.getJsonObject("storage");
    JsonObject pg = s.getJsonObject("pg");
    JsonObject cl = c.getJsonObject("cluster");
    HeraldConfig config = new HeraldConfig(
        new Webapp(w.getString("host"), w.getInteger("port"), w.getInteger("instances"),
            w.getInteger("max_body_bytes"), w.getInteger("token_cache_seconds")),
        new Gateway(g.getString("host"), g.getInteger("port"), g.getString("public_url"), g.getInteger("instances"),
            g.getLong("ticket_ttl_ms"), g.getInteger("max_frame_bytes"), g.getLong("ping_interval_ms"),
            g.getLong("idle_timeout_ms"), g.getInteger("max_queued_bytes"), g.getLong("typing_interval_ms"),
            g.getLong("drain_spread_ms"), g.getBoolean("compact_heap")),
        new Channel(ch.getInteger("instances"), ch.getLong("reorder_timeout_ms"), ch.getInteger("window_size"),
            ch.getLong("window_ms"), ch.getLong("drain_timeout_ms")),
        new Presence(p.getInteger("instances"), p.getLong("away_grace_ms"), p.getLong("gateway_lease_ms"),
            p.getLong("heartbeat_ms"), p.getLong("batch_ms")),
        new Ring(r.getInteger("virtual_nodes"), r.getLong("handoff_ms"), r.getLong("roll_call_ms")),
        new Storage(s.getString("kind"), s.getString("data_dir"), s.getInteger("pool_size"),
            new Postgres(pg.getString("host"), pg.getInteger("port"), pg.getString("database"), pg.getString("user"),
                pg.getString("password"))),
        new Cluster(cl.getString("name"), splitList(cl.getString("members")), cl.getString("host").trim(),
            cl.getInteger("port"), cl.getInteger("bus_port"), cl.getInteger("heartbeat_seconds"),
            cl.getInteger("failure_seconds")),
        c);
    config.validate();
    return config;
  }

  private void validate() {
    require(webapp.instances() >= 1, "webapp.instances must be at least 1");
    require(webapp.tokenCacheSeconds() >= 0, "webapp.token_cache_seconds must not be negative");
    require(gateway.instances() >= 1, "gateway.instances must be at least 1");
    require(channel.instances() >= 1, "channel.instances must be at least 1");
    require(presence.instances() >= 1, "presence.instances must be at least 1");
    require(presence.gatewayLeaseMs() > presence.heartbeatMs(), "presence.gateway_lease_ms must exceed heartbeat_ms");
    require(ring.virtualNodes() >= 1, "ring.virtual_nodes must be at least 1");
    require(gateway.maxFrameBytes() >= 1024, "gateway.max_frame_bytes must be at least 1024");
    RateLimits limits = rateLimits();
    require(limits.windowSeconds() >= 1, "webapp.rate_limits.window_seconds must be at least 1");
    require(Math.min(Math.min(limits.tier1(), limits.tier2()), Math.min(limits.tier3(), limits.tier4())) >= 1
        && limits.special() >= 1 && limits.minBurst() >= 1, "webapp.rate_limits values must be at least 1");
    require(gateway.idleTimeoutMs() > gateway.pingIntervalMs(), "gateway.idle_timeout_ms must exceed ping_interval_ms");
    require(gateway.maxQueuedBytes() >= 4096, "gateway.max_queued_bytes must be at least 4096");
    require(gateway.typingIntervalMs() >= 0, "gateway.typing_interval_ms must not be negative");
    require(gateway.drainSpreadMs() >= 0, "gateway.drain_spread_ms must not be negative");
    require(storage.kind().equals("embedded") || storage.kind().equals("postgres"),
        "storage.kind must be embedded or postgres, not " + storage.kind());
    require(ring.handoffMs() >= 0, "ring.handoff_ms must not be negative");
    require(ring.rollCallMs() >= 0, "ring.roll_call_ms must not be negative");
    require(channel.drainTimeoutMs() >= 0, "channel.drain_timeout_ms must not be negative");
    require(!cluster.name().isBlank(), "cluster.name must not be empty");
    require(!cluster.members().isEmpty(), "cluster.members must name at least one host");
    require(cluster.port() >= 0 && cluster.port() <= 65535, "cluster.port must be 0..65535");
    require(cluster.busPort() >= 0 && cluster.busPort() <= 65535, "cluster.bus_port must be 0..65535");
    require(cluster.heartbeatSeconds() >= 1, "cluster.heartbeat_seconds must be at least 1");
    require(cluster.failureSeconds() > cluster.heartbeatSeconds(),
        "cluster.failure_seconds must be greater than cluster.heartbeat_seconds");
  }

  /** A comma-separated list, blanks dropped. */
  private static List<String> splitList(String value) {
    List<String> items = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim());
      }
    }
    return List.copyOf(items);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("invalid configuration: " + message);
    }
  }

  private static JsonObject packagedDefaults() {
    try (InputStream in = HeraldConfig.class.getResourceAsStream("/herald.json")) {
      if (in == null) {
        throw new IllegalStateException("herald.json is missing from the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lays {@code source} over {@code target}; every key must already exist in the defaults. */
  private static void overlay(JsonObject target, JsonObject source, String path) {
    for (String key : source.fieldNames()) {
      String where = path + key;
      if (!target.containsKey(key)) {
        throw new IllegalArgumentException("invalid configuration: unknown key " + where);
      }
      Object value = source.getValue(key);
      Object current = target.getValue(key);
      if (current instanceof JsonObject nested) {
        if (!(value instanceof JsonObject overrides)) {
          throw new IllegalArgumentException("invalid configuration: " + where + " must be an object");
        }
        overlay(nested, overrides, where + ".");
      } else {
        target.put(key, coerce(where, current, value));
      }
    }
  }

  private static void applyEnvironment(JsonObject target, String path, Map<String, String> env) {
    for (String key : target.fieldNames()) {
      String where = path + key;
      Object current = target.getValue(key);
      if (current instanceof JsonObject nested) {
        applyEnvironment(nested, where + ".", env);
      } else {
        String name = ENV_PREFIX + where.replace('.', '_').toUpperCase(Locale.ROOT);
        String value = env.get(name);
        if (value != null) {
          target.put(key, coerce(name, current, value));
        }
      }
    }
  }

  private static Object coerce(String where, Object current, Object value) {
    try {
      if (current instanceof Integer) {
        return value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString().trim());
      }
      if (current instanceof Long) {
        return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
      }
      if (current instanceof Boolean) {
        return value instanceof Boolean b ? b : Boolean.parseBoolean(value.toString().trim());
      }
      return value.toString();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid configuration: " + where + " must be a number, not " + value);
    }
  }
}
