package dev.herald.webapp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** API tokens: 192 random bits behind a Slack-style prefix; only their SHA-256 is ever stored. */
public final class Tokens {
  private Tokens() {}

  private static final SecureRandom RANDOM = new SecureRandom();

  public static String mint(boolean bot) {
    byte[] secret = new byte[24];
    RANDOM.nextBytes(secret);
    return (bot ? "xoxb-" : "xoxp-") + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  public static String hash(String token) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
