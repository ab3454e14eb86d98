package dev.herald.loadtest;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The yardstick: the least a Vert.x websocket fan-out server can do. {@code GET /ws?user=U&channels=A,B} subscribes
 * a socket; {@code POST /post} (form: user, channel, text) or an RTM {@code message} frame encodes the event once and
 * writes the same bytes to every subscriber. No storage, no auth, no ordering beyond Vert.x's. One verticle per
 * event loop, each owning its sockets; a post reaches the others over the local event bus.
 */
public final class BaselineServer extends VerticleBase {
  private static final String FANOUT = "baseline.fanout";
  private static final AtomicLong TS = new AtomicLong(System.currentTimeMillis() * 1000);

  private final int port;
  private final Map<String, List<ServerWebSocket>> subscribers = new HashMap<>();
  private volatile int actualPort;

  private BaselineServer(int port) {
    this.port = port;
  }

  /** Deploys {@code instances} verticles sharing one port (0: any free port); completes with the port bound. */
  public static Future<Integer> start(Vertx vertx, int port, int instances) {
    List<BaselineServer> deployed = new java.util.concurrent.CopyOnWriteArrayList<>();
    // A negative port is Vert.x's "one random port shared by every instance asking for it".
    return vertx.deployVerticle(() -> {
      BaselineServer server = new BaselineServer(port == 0 ? -1 : port);
      deployed.add(server);
      return server;
    }, new io.vertx.core.DeploymentOptions().setInstances(instances)).map(id -> deployed.get(0).actualPort);
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<Buffer>consumer(FANOUT, msg -> fanOut(msg.headers().get("channel"), msg.body()));
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
        .webSocketHandler(this::onSocket)
        .requestHandler(req -> req.setExpectMultipart(true).endHandler(v -> {
          String ts = post(req.getFormAttribute("user"), req.getFormAttribute("channel"), req.getFormAttribute("text"));
          req.response().putHeader("content-type", "application/json").end("{\"ok\":true,\"ts\":\"" + ts + "\"}");
        }))
        .listen()
        .onSuccess(server -> actualPort = server.actualPort());
  }

  private void onSocket(ServerWebSocket socket) {
    Map<String, List<String>> query = new QueryStringDecoder(socket.uri()).parameters();
    String user = query.getOrDefault("user", List.of("")).get(0);
    String[] channels = query.getOrDefault("channels", List.of("")).get(0).split(",");
    for (String channel : channels) {
      subscribers.computeIfAbsent(channel, k -> new ArrayList<>()).add(socket);
    }
    socket.closeHandler(v -> {
      for (String channel : channels) {
        subscribers.get(channel).remove(socket);
      }
    });
    socket.textMessageHandler(text -> {
      JsonObject frame = new JsonObject(text);
      String ts = post(user, frame.getString("channel"), frame.getString("text"));
      socket.writeTextMessage("{\"ok\":true,\"reply_to\":" + frame.getValue("id") + ",\"ts\":\"" + ts + "\"}");
    });
    socket.writeTextMessage("{\"type\":\"hello\"}");
  }

  /** Encodes the event once (the same fields as a Slack message event) and hands it to every verticle. */
  private String post(String user, String channel, String text) {
    long micros = TS.incrementAndGet();
    String ts = micros / 1_000_000 + "." + String.format("%06d", micros % 1_000_000);
    Buffer event = new JsonObject().put("type", "message").put("user", user).put("text", text).put("ts", ts)
        .put("team", "T0").put("channel", channel).put("event_ts", ts).put("channel_type", "channel").toBuffer();
    vertx.eventBus().publish(FANOUT, event, new DeliveryOptions().addHeader("channel", channel));
    return ts;
  }

  private void fanOut(String channel, Buffer event) {
    List<ServerWebSocket> sockets = subscribers.get(channel);
    if (sockets != null) {
      for (ServerWebSocket socket : sockets) {
        socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, ((BufferInternal) event).getByteBuf(), true));
      }
    }
  }

  /** {@code BaselineServer [--port P] [--instances N]}: prints one {@code baseline ready:} line when listening. */
  public static void main(String[] args) throws Exception {
    int port = 0;
    int instances = Runtime.getRuntime().availableProcessors();
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--instances" -> instances = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Vertx vertx = Vertx.vertx();
    int bound = start(vertx, port, instances).await();
    System.out.println("baseline ready: api=http://127.0.0.1:" + bound + "/post websocket=ws://127.0.0.1:" + bound
        + "/ws instances=" + instances);
  }
}
