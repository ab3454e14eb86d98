package dev.herald.shared.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.util.function.Function;

/**
 * The codec family for every {@link BusMessage}: registered once per Vert.x instance as the default codec of each
 * type, so senders need no delivery options and no message is ever Java-serialized.
 */
public final class Codecs {
  private Codecs() {}

  /** Registers every bus message type. Call exactly once per Vert.x instance (a second registration throws). */
  public static void registerAll(Vertx vertx) {
    register(vertx, ChannelEvent.class, ChannelEvent::readFrom);
    register(vertx, SubscribeRequest.class, SubscribeRequest::readFrom);
    register(vertx, RingMember.class, RingMember::readFrom);
    register(vertx, RingSnapshot.class, RingSnapshot::readFrom);
    register(vertx, SessionRequest.class, SessionRequest::readFrom);
    register(vertx, SessionChannels.class, SessionChannels::readFrom);
    register(vertx, TicketRequest.class, TicketRequest::readFrom);
    register(vertx, TicketGrant.class, TicketGrant::readFrom);
    register(vertx, RtmPost.class, RtmPost::readFrom);
    register(vertx, PostResult.class, PostResult::readFrom);
    register(vertx, Ack.class, Ack::readFrom);
    register(vertx, PresenceUpdate.class, PresenceUpdate::readFrom);
    register(vertx, PresenceQuery.class, PresenceQuery::readFrom);
    register(vertx, PresenceStatus.class, PresenceStatus::readFrom);
    register(vertx, GatewayHeartbeat.class, GatewayHeartbeat::readFrom);
    register(vertx, ReplayRequest.class, ReplayRequest::readFrom);
    register(vertx, ReplayReply.class, ReplayReply::readFrom);
    register(vertx, AuthChange.class, AuthChange::readFrom);
    // Nothing Java-serialized crosses the (clustered) bus: refuse to decode it, whatever a sender tries.
    vertx.eventBus().serializableChecker(className -> false);
    vertx.eventBus().clusterSerializableChecker(className -> false);
  }

  private static <T extends BusMessage> void register(Vertx vertx, Class<T> type, Function<Wire.Reader, T> reader) {
    vertx.eventBus().registerDefaultCodec(type, new RecordCodec<>(type, reader));
  }

  /** Binary codec for one message type; local delivery hands over the same immutable instance. */
  static final class RecordCodec<T extends BusMessage> implements MessageCodec<T, T> {
    private final String name;
    private final Function<Wire.Reader, T> reader;

    RecordCodec(Class<T> type, Function<Wire.Reader, T> reader) {
      this.name = "herald." + type.getSimpleName();
      this.reader = reader;
    }

    @Override
    public void encodeToWire(Buffer buffer, T message) {
      int lengthAt = buffer.length();
      buffer.appendInt(0);
      message.writeTo(new Wire.Writer(buffer));
      buffer.setInt(lengthAt, buffer.length() - lengthAt - 4);
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
      return reader.apply(new Wire.Reader(buffer, pos + 4));
    }

    @Override
    public T transform(T message) {
      return message;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
