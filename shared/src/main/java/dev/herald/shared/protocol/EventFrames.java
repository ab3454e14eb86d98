package dev.herald.shared.protocol;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The client frame of a persisted event: its Slack JSON with the channel position appended as {@code "seq"} and
 * {@code "epoch"}, which is what a client keeps to resume after a reconnect. Spliced into the bytes once per event
 * by its Channel server, never re-parsed. Plain Slack clients ignore the two extra fields.
 */
public final class EventFrames {
  private EventFrames() {}

  /** Epochs travel as hex strings: a 64-bit number does not survive JavaScript. */
  public static String epochText(long epoch) {
    return Long.toHexString(epoch);
  }

  public static long parseEpoch(String text) {
    return Long.parseUnsignedLong(text, 16);
  }

  /** {@code {...}} becomes {@code {...,"seq":N,"epoch":"E"}}. */
  public static Buffer stamp(Buffer json, long seq, long epoch) {
    int end = json.length() - 1;
    while (end > 0 && json.getByte(end) != '}') {
      end--;
    }
    boolean empty = end <= 1 || lastNonSpaceBefore(json, end) == '{';
    byte[] suffix = ((empty ? "" : ",") + "\"seq\":" + seq + ",\"epoch\":\"" + epochText(epoch) + "\"}")
        .getBytes(StandardCharsets.US_ASCII);
    return Buffer.buffer(end + suffix.length).appendBuffer(json, 0, end).appendBytes(suffix);
  }

  private static byte lastNonSpaceBefore(Buffer json, int end) {
    for (int i = end - 1; i >= 0; i--) {
      byte b = json.getByte(i);
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return b;
      }
    }
    return 0;
  }
}
