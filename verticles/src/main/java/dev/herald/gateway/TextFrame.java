package dev.herald.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * An event as the bytes of a whole websocket text frame (RFC 6455 section 5.2: FIN, opcode 1, unmasked as a server
 * sends it). A server's frame is the same for every recipient, so a Gateway encodes an event's frame once and
 * each socket writes a reference to those bytes: no per-recipient header, copy or frame object.
 */
final class TextFrame {
  private static final int FIN_TEXT = 0x81;

  private TextFrame() {}

  /** A direct buffer holding the frame; the caller owns one reference and releases it after the writes. */
  static ByteBuf encode(Buffer json) {
    ByteBuf payload = ((BufferInternal) json).getByteBuf();
    int length = payload.readableBytes();
    int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer(header + length);
    frame.writeByte(FIN_TEXT);
    if (length < 126) {
      frame.writeByte(length);
    } else if (length <= 0xFFFF) {
      frame.writeByte(126).writeShort(length);
    } else {
      frame.writeByte(127).writeLong(length);
    }
    frame.writeBytes(payload, payload.readerIndex(), length);
    return frame;
  }
}
