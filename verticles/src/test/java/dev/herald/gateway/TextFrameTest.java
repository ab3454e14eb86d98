package dev.herald.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The frames a Gateway encodes once per event are what a client's websocket decoder reads back. */
class TextFrameTest {

  /** Around each of RFC 6455's three length encodings: 7 bits, 16 bits, 64 bits. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 127, 65_535, 65_536, 200_000})
  void aClientDecodesTheFrameToTheSameText(int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append((char) ('a' + i % 26));
    }
    // A client's decoder: it expects unmasked frames from a server.
    EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(
        WebSocketDecoderConfig.newBuilder().expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build()));
    ByteBuf frame = TextFrame.encode(Buffer.buffer(text.toString()));
    assertTrue(client.writeInbound(frame.retainedDuplicate()));
    TextWebSocketFrame decoded = client.readInbound();
    try {
      assertTrue(decoded.isFinalFragment());
      assertEquals(text.toString(), decoded.text());
      assertNull(client.readInbound(), "one frame, nothing after it");
    } finally {
      decoded.release();
      frame.release();
      client.finishAndReleaseAll();
    }
    assertEquals(0, frame.refCnt(), "the encoder's reference is the caller's to release");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"type\":\"message\",\"text\":\"h\u00e9llo \u2603\"}"})
  void multiByteTextKeepsItsBytes(String json) {
    ByteBuf frame = TextFrame.encode(Buffer.buffer(json));
    try {
      byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
      assertEquals(2 + utf8.length, frame.readableBytes());
      assertEquals(utf8.length, frame.getByte(1));
    } finally {
      frame.release();
    }
  }
}
