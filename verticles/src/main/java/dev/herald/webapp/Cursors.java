package dev.herald.webapp;

import dev.herald.shared.ErrorCode;
import dev.herald.shared.HeraldException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque pagination cursors ({@code next_cursor}): a kind tag and a position, base64url-encoded. */
public final class Cursors {
  private Cursors() {}

  public static String encode(String kind, String position) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((kind + ":" + position).getBytes(StandardCharsets.UTF_8));
  }

  /** The position in a cursor of {@code kind}; null for no cursor; {@code invalid_cursor} for anything else. */
  public static String decode(String kind, String cursor) {
    if (cursor == null) {
      return null;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (text.startsWith(kind + ":")) {
        return text.substring(kind.length() + 1);
      }
    } catch (IllegalArgumentException e) {
      // fall through
    }
    throw new HeraldException(ErrorCode.INVALID_CURSOR);
  }
}
