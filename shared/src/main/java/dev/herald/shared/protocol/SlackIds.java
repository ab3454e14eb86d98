package dev.herald.shared.protocol;

import java.security.SecureRandom;

/**
 * Slack-shaped identifiers: a type letter and ten base-32 characters ({@code U0ABCDE2FG}). Random rather than
 * sequential, so several Webapps mint ids without coordinating and ids leak nothing about counts.
 */
public final class SlackIds {
  private SlackIds() {}

  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  public static String team() {
    return mint('T');
  }

  public static String user() {
    return mint('U');
  }

  public static String bot() {
    return mint('B');
  }

  /** Public channel. */
  public static String channel() {
    return mint('C');
  }

  /** Private channel or group DM, Slack's historical "group". */
  public static String group() {
    return mint('G');
  }

  /** Direct message. */
  public static String im() {
    return mint('D');
  }

  private static String mint(char prefix) {
    char[] id = new char[11];
    id[0] = prefix;
    byte[] bytes = new byte[10];
    RANDOM.nextBytes(bytes);
    for (int i = 0; i < 10; i++) {
      id[i + 1] = ALPHABET[bytes[i] & 31];
    }
    return new String(id);
  }

  /** Whether {@code id} has the shape of one of our ids (cheap validation before touching storage). */
  public static boolean looksValid(String id) {
    if (id == null || id.length() < 2 || id.length() > 32) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }
}
