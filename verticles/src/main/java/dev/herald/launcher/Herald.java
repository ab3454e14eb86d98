package dev.herald.launcher;

import dev.herald.admin.AdminVerticle;
import dev.herald.admin.RingManagerVerticle;
import dev.herald.channel.ChannelServerVerticle;
import dev.herald.gateway.GatewayVerticle;
import dev.herald.gateway.TicketBook;
import dev.herald.presence.PresenceServerVerticle;
import dev.herald.shared.ring.RingView;
import dev.herald.shared.config.HeraldConfig;
import dev.herald.storage.SqlStorage;
import dev.herald.storage.Storage;
import dev.herald.webapp.WebappVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Starts a set of roles on a Vert.x instance, in dependency order: the ring manager and Admin servers, the Channel
 * and presence servers (which join the ring), the Webapp with its storage, then the Gateways. Used by the CLI and by tests.
 */
public final class Herald {
  private final Vertx vertx;
  private final HeraldConfig config;
  private final Set<Role> roles;
  private final List<String> deployments = new ArrayList<>();
  private final List<WebappVerticle> webapps = new ArrayList<>();
  private final List<GatewayVerticle> gateways = new ArrayList<>();
  private final List<ChannelServerVerticle> channelServers = new ArrayList<>();
  private Storage storage;

  private Herald(Vertx vertx, HeraldConfig config, Set<Role> roles) {
    this.vertx = vertx;
    this.config = config;
    this.roles = roles;
  }

  /** Starts {@code roles}; the future completes when every one of them is ready to serve. */
  public static Future<Herald> start(Vertx vertx, HeraldConfig config, Set<Role> roles) {
    Herald herald = new Herald(vertx, config, roles);
    return herald.startAll().map(herald);
  }

  private Future<Void> startAll() {
    Future<Void> chain = Future.succeededFuture();
    if (roles.contains(Role.ADMIN)) {
      chain = chain.compose(v -> deploy(new RingManagerVerticle()))
          .compose(v -> deploy(new AdminVerticle(config)));
    }
    if (roles.contains(Role.CHANNEL)) {
      // Node ids are unique per JVM start: a restarted Channel server is a new ring member with no stale state.
      String jvm = UUID.randomUUID().toString().substring(0, 6);
      for (int i = 0; i < config.channel().instances(); i++) {
        ChannelServerVerticle server = new ChannelServerVerticle(RingView.CHANNEL_PREFIX + jvm + "-" + i, config);
        channelServers.add(server);
        chain = chain.compose(v -> deploy(server));
      }
    }
    if (roles.contains(Role.PRESENCE)) {
      String jvm = UUID.randomUUID().toString().substring(0, 6);
      for (int i = 0; i < config.presence().instances(); i++) {
        String nodeId = RingView.PRESENCE_PREFIX + jvm + "-" + i;
        chain = chain.compose(v -> deploy(new PresenceServerVerticle(nodeId, config)));
      }
    }
    if (roles.contains(Role.WEBAPP)) {
      chain = chain.compose(v -> SqlStorage.open(vertx, config.storage())).compose(s -> {
        storage = s;
        Future<Void> webappChain = Future.succeededFuture();
        for (int i = 0; i < config.webapp().instances(); i++) {
          WebappVerticle webapp = new WebappVerticle(config, storage);
          webapps.add(webapp);
          webappChain = webappChain.compose(v -> deploy(webapp));
        }
        return webappChain;
      });
    }
    if (roles.contains(Role.GATEWAY)) {
      TicketBook tickets = new TicketBook(config.gateway().ticketTtlMs());
      for (int i = 0; i < config.gateway().instances(); i++) {
        GatewayVerticle gateway = new GatewayVerticle(config, tickets);
        gateways.add(gateway);
        chain = chain.compose(v -> deploy(gateway));
      }
    }
    return chain;
  }

  private Future<Void> deploy(io.vertx.core.Deployable verticle) {
    return vertx.deployVerticle(verticle).map(id -> {
      deployments.add(id);
      return null;
    });
  }

  /** Stops every role in reverse order, then closes storage. */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      chain = chain.compose(v -> vertx.undeploy(id).otherwiseEmpty());
    }
    return chain.compose(v -> storage == null ? Future.succeededFuture() : storage.close());
  }

  public HeraldConfig config() {
    return config;
  }

  public Set<Role> roles() {
    return roles;
  }

  /** The Web API port actually bound, or -1 without the webapp role. */
  public int webappPort() {
    return webapps.isEmpty() ? -1 : webapps.get(0).actualPort();
  }

  /** The Gateway port actually bound, or -1 without the gateway role. */
  public int gatewayPort() {
    return gateways.isEmpty() ? -1 : gateways.get(0).actualPort();
  }

  public List<ChannelServerVerticle> channelServers() {
    return channelServers;
  }

  public Storage storage() {
    return storage;
  }
}
