package dev.herald.shared.protocol;

/**
 * Slack's {@code ts}: seconds and microseconds since the epoch as a string, {@code "1733328000.000123"}. Stored as
 * microseconds in a long; the string form sorts the same way as the number (ten-digit seconds until 2286).
 */
public final class SlackTs {
  private SlackTs() {}

  public static String format(long micros) {
    long seconds = micros / 1_000_000L;
    long fraction = micros % 1_000_000L;
    String frac = Long.toString(fraction);
    return seconds + "." + "000000".substring(frac.length()) + frac;
  }

  /** Parses a {@code ts}; throws {@link IllegalArgumentException} for anything that is not one. */
  public static long parse(String ts) {
    if (ts == null || ts.isEmpty() || ts.length() > 24) {
      throw new IllegalArgumentException("not a ts: " + ts);
    }
    int dot = ts.indexOf('.');
    try {
      if (dot < 0) {
        long seconds = Long.parseLong(ts);
        if (seconds < 0) {
          throw new IllegalArgumentException("not a ts: " + ts);
        }
        return Math.multiplyExact(seconds, 1_000_000L);
      }
      long seconds = Long.parseLong(ts.substring(0, dot));
      String frac = ts.substring(dot + 1);
      if (frac.length() > 6 || !frac.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("not a ts: " + ts);
      }
      long fraction = frac.isEmpty() ? 0 : Long.parseLong((frac + "000000").substring(0, 6));
      if (seconds < 0) {
        throw new IllegalArgumentException("not a ts: " + ts);
      }
      return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), fraction);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("not a ts: " + ts, e);
    }
  }

  public static long nowMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
