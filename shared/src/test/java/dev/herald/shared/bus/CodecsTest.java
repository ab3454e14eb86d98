package dev.herald.shared.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CodecsTest {
  private static <T extends BusMessage> T roundTrip(Class<T> type, T message, java.util.function.Function<Wire.Reader, T> reader) {
    Codecs.RecordCodec<T> codec = new Codecs.RecordCodec<>(type, reader);
    Buffer wire = Buffer.buffer("prefix");
    codec.encodeToWire(wire, message);
    return codec.decodeFromWire("prefix".length(), wire);
  }

  @Test
  @DisplayName("a channel event survives the wire byte for byte, including non-ASCII text and nulls")
  void channelEventRoundTrip() {
    ChannelEvent event = new ChannelEvent("C1", 42, 7, "message", "U1", "C9", 5, ChannelEvent.TRANSIENT,
        Buffer.buffer("{\"text\":\"héllo ✓\"}"));
    ChannelEvent decoded = roundTrip(ChannelEvent.class, event, ChannelEvent::readFrom);
    assertEquals(event.channelId(), decoded.channelId());
    assertEquals(event.seq(), decoded.seq());
    assertEquals(event.epoch(), decoded.epoch());
    assertEquals(event.type(), decoded.type());
    assertEquals(event.userId(), decoded.userId());
    assertEquals("C9", decoded.targetId());
    assertEquals(5, decoded.targetSeq());
    assertEquals(event.flags(), decoded.flags());
    assertEquals(event.payload(), decoded.payload());
  }

  @Test
  @DisplayName("list-carrying messages survive the wire")
  void listsRoundTrip() {
    SubscribeRequest request = new SubscribeRequest("gw-1", List.of("C1", "C2", "U3"), true);
    assertEquals(request, roundTrip(SubscribeRequest.class, request, SubscribeRequest::readFrom));
    RingSnapshot snapshot = new RingSnapshot(9, List.of("cs-a", "cs-b"));
    assertEquals(snapshot, roundTrip(RingSnapshot.class, snapshot, RingSnapshot::readFrom));
    SessionChannels channels = new SessionChannels("U1", "T1", List.of());
    assertEquals(channels, roundTrip(SessionChannels.class, channels, SessionChannels::readFrom));
  }

  @Test
  @DisplayName("an auth change survives the wire with either half null")
  void authChangeRoundTrip() {
    AuthChange revoked = AuthChange.tokenRevoked("ab12");
    assertEquals(revoked, roundTrip(AuthChange.class, revoked, AuthChange::readFrom));
    AuthChange changed = AuthChange.userChanged("U1");
    assertEquals(changed, roundTrip(AuthChange.class, changed, AuthChange::readFrom));
  }
}
