package dev.herald.shared.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the cluster relies on: our codecs for every bus type, and the ring and hand-off fields on the wire. */
class ClusterCodecsTest {
  private static <T extends BusMessage> T roundTrip(Class<T> type, Function<Wire.Reader, T> reader, T message) {
    Codecs.RecordCodec<T> codec = new Codecs.RecordCodec<>(type, reader);
    Buffer wire = Buffer.buffer("prefix");
    codec.encodeToWire(wire, message);
    return codec.decodeFromWire("prefix".length(), wire);
  }

  @Test
  @DisplayName("every bus message type has our codec as its default, so none is ever Java-serialized")
  void everyMessageTypeIsRegistered() throws Exception {
    File dir = new File(new File(BusMessage.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
        BusMessage.class.getPackageName().replace('.', File.separatorChar));
    List<Class<?>> types = new ArrayList<>();
    for (String file : dir.list()) {
      if (file.endsWith(".class") && !file.contains("$")) {
        Class<?> type = Class.forName(BusMessage.class.getPackageName() + "." + file.replace(".class", ""));
        if (type.isRecord() && BusMessage.class.isAssignableFrom(type)) {
          types.add(type);
        }
      }
    }
    assertFalse(types.isEmpty());
    Vertx vertx = Vertx.vertx();
    try {
      Codecs.registerAll(vertx);
      for (Class<?> type : types) {
        register(vertx, type);
      }
    } finally {
      vertx.close();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void register(Vertx vertx, Class<?> type) {
    // A second default codec for a type is refused: so one is registered already.
    assertThrows(IllegalStateException.class,
        () -> vertx.eventBus().registerDefaultCodec((Class) type, new Codecs.RecordCodec(type, in -> null)),
        type.getSimpleName() + " has no default codec");
  }

  @Test
  @DisplayName("a ring member crosses the bus with the cluster node of its JVM")
  void ringMemberRoundTrip() {
    RingMember member = new RingMember("cs-abc-0", "4f1c-node");
    assertEquals(member, roundTrip(RingMember.class, RingMember::readFrom, member));
  }

  @Test
  @DisplayName("a subscription keeps its hand-off flag across the bus")
  void subscribeRequestRoundTrip() {
    SubscribeRequest handoff = new SubscribeRequest("gw-1", List.of("C1", "C2"), true, true);
    assertEquals(handoff, roundTrip(SubscribeRequest.class, SubscribeRequest::readFrom, handoff));
    SubscribeRequest plain = new SubscribeRequest("gw-1", List.of("C1"), false);
    assertEquals(plain, roundTrip(SubscribeRequest.class, SubscribeRequest::readFrom, plain));
  }

  @Test
  @DisplayName("a ring version carries the cluster node of each member, for the next ring manager")
  void ringSnapshotRoundTrip() {
    RingSnapshot ring = new RingSnapshot(12, List.of("cs-a", "ps-b"), List.of("node-1", ""));
    assertEquals(ring, roundTrip(RingSnapshot.class, RingSnapshot::readFrom, ring));
    assertEquals(List.of("", ""), new RingSnapshot(1, List.of("cs-a", "cs-b")).clusterNodes());
  }
}
